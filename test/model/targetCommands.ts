/**
 * The model's storage-target and chain-membership commands: create-target, offline-target, remove-target,
 * update-chain, set-preferred-target-order, rotate-as-preferred-order, rotate-lastsrv. Sources: AliyunContainerService/alibabacloud-3FS
 * at ab363af (src/client/cli/admin/*.cc, src/storage/store/StorageTargets.cc,
 * src/storage/service/StorageOperator.cc, src/mgmtd/ops/*.cc, src/mgmtd/service/updateChain.cc).
 */
import { parsed as parse } from "./toml";
import { podOf } from "./cluster";
import { bumpRouting, freshTargetInfo } from "./mgmtd";
import { E, parseArgs, uint, type ArgSpec } from "./output";
import { statChainInfo, storageRpc } from "./routingCommands";
import type { Session } from "./session";
import type { Chain, LocalTarget } from "./types";

type Handler = (s: Session, words: string[]) => string;

const U64 = 0xffffffffffffffffn;

function u64(v: string, usage: string): string {
  if (!/^\d+$/.test(v) || BigInt(v) > U64) throw E.wrongUsage(`parse failed: pattern not found\n${usage}`);
  return BigInt(v).toString();
}

function chainOf(s: Session, targetId: string): Chain | undefined {
  return Object.values(s.state.chains).find((c) => c.targets.some((t) => t.targetId === targetId));
}

function localTargets(s: Session, nodeId: number): LocalTarget[] {
  return (s.state.storage[String(nodeId)] ??= []);
}

/** The storage pod's target paths (its rendered storage_main.toml). */
function targetPathCount(s: Session): number {
  const storage = parse(s.state.spec.files["storage_main.toml"] ?? "") as { server?: { targets?: { target_paths?: string[] } } };
  return storage.server?.targets?.target_paths?.length ?? 0;
}

/** Wakes the node's heartbeat: a TargetMap change triggers one within a second (CheckWorker.cc:235-239). */
function trigger(s: Session, nodeId: number): void {
  const pod = podOf(s.state, nodeId);
  const p = pod && s.state.processes[pod.name];
  if (p) p.nextHeartbeatMs = Math.min(p.nextHeartbeatMs, s.nowMs + 1000);
}

const CREATE_TARGET: ArgSpec = {
  usage: "Usage: create-target [--add-chunk-size] [--use-new-chunk-engine] [--chunk-size VAR] --node-id VAR --disk-index VAR --target-id VAR --chain-id VAR",
  positional: [],
  rest: true,
  flags: ["--add-chunk-size", "--use-new-chunk-engine"],
  values: ["--node-id", "--disk-index", "--target-id", "--chain-id"],
};

/**
 * create-target (CreateTarget.cc:14-74; StorageTargets.cc:123-194): a forced routing refresh; a LASTSRV
 * member of a multi-target chain is refused (7004 "creation of this target is prohibited"); an RPC to the
 * storage node (storageRpc); on the node: a disk index beyond target_paths, chain id 0, another local target
 * of the same chain, are 4018; an existing target id succeeds as a no-op (allowExistingTarget=true, Common.h:606;
 * its chain id is not compared). A new target is ONLINE and an orphan until a chain holds it.
 */
function createTarget(s: Session, words: string[]): string {
  const a = parseArgs(words, CREATE_TARGET);
  for (const k of ["--node-id", "--disk-index", "--target-id", "--chain-id"]) {
    if (a.values[k] === undefined) throw E.wrongUsage(`parse failed: ${k} required\n${CREATE_TARGET.usage}`);
  }
  if (a.pos.length > 0) throw E.wrongUsage(CREATE_TARGET.usage);
  const nodeId = uint(a.values["--node-id"], CREATE_TARGET.usage);
  const disk = uint(a.values["--disk-index"], CREATE_TARGET.usage);
  const targetId = u64(a.values["--target-id"], CREATE_TARGET.usage);
  const chainId = uint(a.values["--chain-id"], CREATE_TARGET.usage);
  s.mgmtd();
  const chain = s.state.chains[String(chainId)];
  const member = chain?.targets.find((t) => t.targetId === targetId);
  if (chain && chain.targets.length > 1 && member?.publicState === "LASTSRV") {
    throw E.routingError(`creation of this target is prohibited {"targetId":${targetId},"publicState":"LASTSRV"}`);
  }
  storageRpc(s, nodeId);
  const local = localTargets(s, nodeId);
  const paths = targetPathCount(s);
  if (disk >= paths) throw E.storageInitFailed(`disk index exceed ${disk} >= ${paths}`);
  if (chainId === 0) throw E.storageInitFailed(`target TargetId(${targetId}) without chain id`);
  const sameChain = local.find((t) => t.chainId === chainId && t.targetId !== targetId && chainOf(s, t.targetId)?.chainId === chainId);
  if (sameChain) throw E.storageInitFailed(`target TargetId(${sameChain.targetId}) is existing with same chain id ChainId(${chainId}), req target TargetId(${targetId})`);
  if (!local.some((t) => t.targetId === targetId)) {
    local.push({ targetId, chainId, diskIndex: disk, localState: "ONLINE", offlineByUser: false });
    trigger(s, nodeId);
  }
  return `Create target ${targetId} on disk ${disk} of ${nodeId} succeeded`;
}

/**
 * offline-target (OfflineTarget.cc:14-55; StorageOperator.cc:1079-1096; TargetMap.cc:294-303): an RPC to the
 * live storage node; an unknown target is 7004; the last serving target (head and tail) without --force is
 * 4032; an already offlined target is 4030. The OFFLINE is sticky until the process restarts.
 */
function offlineTarget(s: Session, words: string[]): string {
  const usage = "Usage: offline-target [--node-id VAR] --target-id VAR [--force]";
  const a = parseArgs(words, { usage, positional: [], flags: ["--force"], values: ["--node-id", "--target-id"] });
  if (a.values["--target-id"] === undefined) throw E.wrongUsage(`parse failed: --target-id required\n${usage}`);
  const targetId = u64(a.values["--target-id"], usage);
  s.mgmtd();
  let nodeId = a.values["--node-id"] === undefined ? undefined : uint(a.values["--node-id"], usage);
  // Without --node-id, the chain member's node from routing (orphans are not there): 7004 "node id is unknown".
  if (nodeId === undefined) nodeId = chainOf(s, targetId) ? s.state.targets[targetId]?.nodeId : undefined;
  if (nodeId === undefined) throw E.routingError("node id is unknown");
  storageRpc(s, nodeId);
  const t = localTargets(s, nodeId).find((x) => x.targetId === targetId);
  if (!t) throw E.routingError(`target TargetId(${targetId}) not found`);
  const chain = chainOf(s, targetId);
  const serving = chain?.targets.filter((x) => x.publicState === "SERVING" || x.publicState === "SYNCING") ?? [];
  const headAndTail = serving.length === 1 && serving[0].targetId === targetId;
  if (headAndTail && !a.flags.has("--force")) throw E.targetStateInvalid(`offline failed: target is the last online target! {"targetId":${targetId}}`);
  if (t.offlineByUser) throw E.targetOffline(`target is already offline, {"targetId":${targetId}}.`);
  t.offlineByUser = true;
  t.localState = "OFFLINE";
  t.syncDoneAtMs = undefined;
  trigger(s, nodeId);
  return `Offline target ${targetId} of ${nodeId} succeeded`;
}

/**
 * remove-target (RemoveTarget.cc:15-55; StorageOperator.cc:1098-1150): --node-id required; an RPC to the live
 * node; unknown → 7004; not offlined by offline-target (or a disk error) → 4032 "target is not offline!";
 * still in a chain in the node's routing, without --force → 4032 "target is still in a chain!". Removes the
 * data of the target's chain from its disk (other local targets of that chain on the disk lose theirs too).
 */
function removeTarget(s: Session, words: string[]): string {
  const usage = "Usage: remove-target --node-id VAR --target-id VAR [--force]";
  const a = parseArgs(words, { usage, positional: [], flags: ["--force"], values: ["--node-id", "--target-id"] });
  for (const k of ["--node-id", "--target-id"]) if (a.values[k] === undefined) throw E.wrongUsage(`parse failed: ${k} required\n${usage}`);
  const nodeId = uint(a.values["--node-id"], usage);
  const targetId = u64(a.values["--target-id"], usage);
  s.mgmtd();
  storageRpc(s, nodeId);
  const local = localTargets(s, nodeId);
  const t = local.find((x) => x.targetId === targetId);
  if (!t) throw E.routingError(`target TargetId(${targetId}) not found`);
  if (!t.offlineByUser) throw E.targetStateInvalid(`remove failed: target is not offline! {"targetId":${targetId}}`);
  // The node's routing lists the target in a chain (vChainId set, TargetMap.cc:194) — the model's routing
  // is what the node applied (storage refreshes within a heartbeat).
  if (chainOf(s, targetId) && !a.flags.has("--force")) throw E.targetStateInvalid(`remove failed: target is still in a chain! {"targetId":${targetId}}`);
  local.splice(local.indexOf(t), 1);
  // With the chunk engine (every target here is created with --use-new-chunk-engine) the removal deletes every
  // chunk of t's chain on t's disk (StorageOperator.cc:1127-1136 → StorageTargets.h:80-83 removeAllChunks), so
  // another local target of the same chain on that disk loses its data and keeps reporting as before.
  for (const other of local) if (other.chainId === t.chainId && other.diskIndex === t.diskIndex) (s.state.wiped ??= []).push(other.targetId);
  trigger(s, nodeId);
  return `Remove target ${targetId} of ${nodeId} succeeded`;
}

/**
 * update-chain <chain> <target> --mode add|remove (UpdateChain.cc:13-38; UpdateChainOperation.cc:12-116):
 * add refuses a target already in any chain (5018) and appends it OFFLINE; remove needs the target in this
 * chain (5017) and publicly OFFLINE (3 "…state is S"), then mgmtd forgets it. Both bump the chain version.
 * Nothing checks that the target exists, its node is alive, or the chain keeps a serving member.
 */
function updateChain(s: Session, words: string[]): string {
  const usage = "Usage: update-chain --mode VAR chainId targetId";
  const a = parseArgs(words, { usage, positional: ["chainId", "targetId"], values: ["--mode"], aliases: { "-m": "--mode" } });
  const mode = (a.values["--mode"] ?? "").toLowerCase();
  if (a.values["--mode"] === undefined) throw E.wrongUsage(`parse failed: --mode required\n${usage}`);
  if (mode !== "add" && mode !== "remove") throw E.wrongUsage(`Invalid mode: ${a.values["--mode"]}\n${usage}`);
  const chainId = uint(a.pos[0], usage);
  const targetId = u64(a.pos[1], usage);
  s.mgmtd();
  if (chainId === 0) throw E.invalidArg("Empty chain id");
  if (targetId === "0") throw E.invalidArg("Empty target id");
  const chain = s.state.chains[String(chainId)];
  if (!chain) throw E.chainNotFound(`chain: ${chainId}`);
  if (mode === "add") {
    if (chainOf(s, targetId)) throw E.targetExisted(`target: ${targetId}`);
    const complete = chain.preferredOrder.length === chain.targets.length;
    chain.targets.push({ targetId, publicState: "OFFLINE" });
    if (complete && chain.preferredOrder.length > 0) chain.preferredOrder.push(targetId);
    s.state.targets[targetId] = freshTargetInfo(targetId, s.nowMs);
    delete s.state.orphans[targetId];
  } else {
    const member = chain.targets.find((t) => t.targetId === targetId);
    if (!member) throw E.targetNotFound(`target ${targetId} is not found in chain ${chainId}`);
    if (member.publicState !== "OFFLINE") throw E.invalidArg(`Do not allow to remove target ${targetId} from chain ${chainId}: state is ${member.publicState}`);
    chain.targets = chain.targets.filter((t) => t !== member);
    chain.preferredOrder = chain.preferredOrder.filter((t) => t !== targetId);
    delete s.state.targets[targetId];
  }
  chain.chainVersion += 1;
  bumpRouting(s.state);
  return statChainInfo(chain);
}

/**
 * set-preferred-target-order <chain> <targets…> (SetPreferredTargetOrderOperation.cc:12-85): a subset of
 * the chain's targets, no duplicates; stored without a version bump and without moving anything.
 */
function setPreferredTargetOrder(s: Session, words: string[]): string {
  const usage = "Usage: set-preferred-target-order chainId targetIds";
  const a = parseArgs(words, { usage, positional: ["chainId"], rest: true });
  const chainId = uint(a.pos[0], usage);
  const order = a.pos.slice(1).map((t) => u64(t, usage));
  s.mgmtd();
  if (chainId === 0) throw E.invalidArg("Empty chain id");
  if (order.length === 0) throw E.invalidArg("Empty preferredTargetOrder");
  if (new Set(order).size !== order.length) throw E.invalidArg("Found duplicated target id in preferredTargetOrder");
  const chain = s.state.chains[String(chainId)];
  if (!chain) throw E.chainNotFound(`chain: ${chainId}`);
  for (const t of order) if (!chain.targets.some((x) => x.targetId === t)) throw E.invalidArg(`TargetId(${t}) not found in chain`);
  chain.preferredOrder = order;
  return statChainInfo(chain);
}

/**
 * rotate-lastsrv <chain> (updateChain.cc:143-163): only when the chain has ≥ 2 targets and its head is
 * LASTSRV: the head moves to the end, the new head becomes LASTSRV, every other target OFFLINE (may lose data).
 */
function rotateLastSrv(s: Session, words: string[]): string {
  const usage = "Usage: rotate-lastsrv chainId";
  const chainId = uint(parseArgs(words, { usage, positional: ["chainId"] }).pos[0], usage);
  s.mgmtd();
  if (chainId === 0) throw E.invalidArg("Empty chain id");
  const chain = s.state.chains[String(chainId)];
  if (!chain) throw E.chainNotFound(`chain: ${chainId}`);
  if (chain.targets.length >= 2 && chain.targets[0].publicState === "LASTSRV") {
    const [head, ...rest] = chain.targets;
    chain.targets = [...rest, head].map((t, i) => ({ targetId: t.targetId, publicState: i === 0 ? "LASTSRV" : "OFFLINE" }));
    chain.chainVersion += 1;
    bumpRouting(s.state);
  }
  return statChainInfo(chain);
}

/**
 * rotate-as-preferred-order <chain> (RotateAsPreferredOrder.cc:12-16, RotateAsPreferredOrderOperation.cc:12-72,
 * updateChain.cc:106-141): at most one step per call: for the first position i whose preferred target is not
 * there, if that target is SERVING the target at i moves to the end as OFFLINE; otherwise (or with an empty
 * or satisfied order) nothing changes and nothing fails. A step bumps the chain version; mgmtd keeps the
 * moved target's last local state (UPTODATE), so the chain updater makes it WAITING, its node then releases
 * and reloads it (TargetMap.cc:214-219, CheckWorker.cc:124-144) and it resyncs.
 */
function rotateAsPreferredOrder(s: Session, words: string[]): string {
  const usage = "Usage: rotate-as-preferred-order chainId";
  const chainId = uint(parseArgs(words, { usage, positional: ["chainId"] }).pos[0], usage);
  s.mgmtd();
  if (chainId === 0) throw E.invalidArg("Empty chain id");
  const chain = s.state.chains[String(chainId)];
  if (!chain) throw E.chainNotFound(`chain: ${chainId}`);
  for (let i = 0; i < chain.preferredOrder.length; i++) {
    const tid = chain.preferredOrder[i];
    const pos = chain.targets.findIndex((t) => t.targetId === tid);
    if (pos === i) continue;
    if (chain.targets[pos]?.publicState !== "SERVING") break;
    const [moved] = chain.targets.splice(i, 1);
    chain.targets.push({ targetId: moved.targetId, publicState: "OFFLINE" });
    chain.chainVersion += 1;
    bumpRouting(s.state);
    break;
  }
  return statChainInfo(chain);
}

export const TARGET_COMMANDS: Record<string, Handler> = {
  "rotate-as-preferred-order": rotateAsPreferredOrder,
  "create-target": createTarget,
  "offline-target": offlineTarget,
  "remove-target": removeTarget,
  "update-chain": updateChain,
  "set-preferred-target-order": setPreferredTargetOrder,
  "rotate-lastsrv": rotateLastSrv,
};
