/**
 * The 3FS model refuses what 3FS refuses. Each test pins one rule of the model to the behaviour the source
 * shows (AliyunContainerService/alibabacloud-3FS ab363af; the rule's citation is beside its code in
 * test/model/*.ts): if the model were kinder than 3FS, the scripts tested against it would prove nothing.
 */
import { stringify, parse } from "smol-toml";
import { encodeToken } from "../../lib/threefs/token";
import { kubeRequest } from "./kube";
import { generateNewChain } from "./mgmtd";
import { LocalCluster } from "./local";
import { planOf, stackPlan } from "./plans";
import { decodeToken } from "./token";
import type { ChainTarget, ClusterSpec, LocalState } from "./types";

const DEV = stackPlan("dev").spec;
const ROOT = encodeToken(0, 42n);

/** A spec whose mgmtd_main.toml lacks `[server.service]`, as the sparse files before the model did. */
function withoutAutoRegistration(spec: ClusterSpec): ClusterSpec {
  const doc = parse(spec.files["mgmtd_main.toml"]) as { server: Record<string, unknown> };
  delete doc.server.service;
  return { ...spec, files: { ...spec.files, "mgmtd_main.toml": stringify(doc) } };
}

/** A cluster up to an initialised file system with the root user and every storage node connected. */
function readyCluster(spec = DEV): LocalCluster {
  const c = new LocalCluster(spec);
  c.wait(5);
  const cfg = c.config(ROOT);
  expect(c.cli(cfg, "init-cluster 1 1048576 16").failed).toBe(false);
  expect(c.cli(cfg, `user-add --root --admin --token ${ROOT} 0 root`).failed).toBe(false);
  c.wait(60);
  return c;
}

describe("meta needs init-cluster (GcManager::checkFs → Meta::BadFileSystem, the process aborts)", () => {
  test("before init-cluster no meta serves: stat / waits out MetaClient's minute and fails", () => {
    const c = new LocalCluster(DEV);
    c.wait(120);
    const before = c.nowMs;
    const r = c.cli(c.config(), "stat /");
    // Each crashing start heartbeats first (MetaServer.cc:30-41), so meta may be listed CONNECTED while its
    // process is gone: the call then fails at the RPC layer (2005) instead of 6002 MetaServiceNotAvailable.
    expect(r.failed).toBe(true);
    expect(r.out).toMatch(/^Encounter error: (6002\(MgmtdClient::MetaServiceNotAvailable\)|2005\(RPC::Timeout\))$/);
    expect(c.nowMs - before).toBeGreaterThanOrEqual(60_000);
    expect(c.state.processes["threefs-dev-meta-100"].crashes).toBeGreaterThan(0);
  });

  test("after init-cluster meta starts at its next restart and serves stat /", () => {
    const c = readyCluster();
    const r = c.cli(c.config(ROOT), "stat /");
    expect(r.failed).toBe(false);
    expect(r.out).toMatch(/^Type {9}Directory\nInode {8}0x0000000000000000\n/);
  });

  test("a repeated init-cluster changes nothing and prints the new arguments (InitFsOp never overwrites root)", () => {
    const c = readyCluster();
    const r = c.cli(c.config(ROOT), "init-cluster 1 524288 8");
    expect(r.out).toBe("Init filesystem, root directory layout: chain table ChainTableId(1), chunksize 524288, stripesize 8\n");
    expect(c.state.fs.layout).toEqual({ tableId: 1, chunkSize: 1048576, stripeSize: 16 });
    expect(c.cli(c.config(ROOT), "init-cluster 1 1000 8").out).toContain("3013(Meta::InvalidFileLayout)");
  });
});

describe("mgmtd admits unregistered nodes only when its TOML says so (MgmtdConfig.h:14 default false)", () => {
  test("the rendered config allows it: meta and storage register themselves", () => {
    const c = readyCluster();
    const out = c.cli(c.config(), "list-nodes").out;
    for (const id of [100, 101, 10000, 10001, 10002]) expect(out).toMatch(new RegExp(`^${id} +(META|STORAGE) +HEARTBEAT_CONNECTED`, "m"));
  });

  test("a file without [server.service] takes the code default: no meta or storage node ever appears", () => {
    const c = readyCluster(withoutAutoRegistration(DEV));
    const out = c.cli(c.config(), "list-nodes").out;
    expect(out).not.toMatch(/STORAGE|META/);
    // register-node makes a CONNECTING record; the node's next heartbeat is then accepted.
    expect(c.cli(c.config(), "register-node 10000 STORAGE")).toEqual({ out: "", failed: false });
    expect(c.cli(c.config(), "register-node 10000 STORAGE").out).toBe("Encounter error: 5004(Mgmtd::RegisterFail)\nNode id NodeId(10000) duplicated");
    c.wait(15);
    expect(c.cli(c.config(), "list-nodes").out).toMatch(/^10000 +STORAGE +HEARTBEAT_CONNECTED/m);
  });
});

describe("every mgmtd_server_addresses entry must resolve (MgmtdClient.cc:467-490)", () => {
  const perPod = ["RDMA://threefs-dev-mgmtd-1.threefs-dev-mgmtd.threefs-dev.svc.cluster.local:8000", "RDMA://threefs-dev-mgmtd-2.threefs-dev-mgmtd.threefs-dev.svc.cluster.local:8000"];

  test("per-pod names: one Pending mgmtd pod makes every new admin_cli fail 6004", () => {
    const c = new LocalCluster(DEV, { missingPods: ["threefs-dev-mgmtd-2"] });
    c.wait(30);
    expect(c.cli(c.config("", { addresses: perPod }), "list-nodes")).toEqual({ out: "Encounter error: 6004(MgmtdClient::RoutingInfoNotReady)", failed: true });
    expect(c.cli(c.config(), "list-nodes").failed).toBe(false); // the Service name resolves to the pod that exists
  });

  test("the Service name fails only when no mgmtd pod exists; a wrong cluster id looks the same", () => {
    const c = new LocalCluster(DEV, { missingPods: ["threefs-dev-mgmtd-1", "threefs-dev-mgmtd-2"] });
    c.wait(30);
    expect(c.cli(c.config(), "list-nodes").out).toBe("Encounter error: 6004(MgmtdClient::RoutingInfoNotReady)");
    const d = new LocalCluster(DEV);
    d.wait(30);
    expect(d.cli(d.config("", { clusterId: "other" }), "list-nodes").out).toBe("Encounter error: 6004(MgmtdClient::RoutingInfoNotReady)");
  });

  test("servers with an unresolvable entry cannot start: meta and storage never register", () => {
    const spec = { ...DEV, files: { ...DEV.files } };
    for (const f of ["meta_main_launcher.toml", "storage_main_launcher.toml"]) {
      const doc = parse(spec.files[f]) as { mgmtd_client: { mgmtd_server_addresses: string[] } };
      doc.mgmtd_client.mgmtd_server_addresses = perPod;
      spec.files[f] = stringify(doc);
    }
    const c = new LocalCluster(spec, { missingPods: ["threefs-dev-mgmtd-2"] });
    c.wait(120);
    expect(c.cli(c.config(), "list-nodes").out).not.toMatch(/STORAGE|META/);
  });
});

describe("targets (CreateTarget.cc, StorageTargets.cc, StorageOperator.cc)", () => {
  const target = (node: number, disk: number, t: number) => String(((10 * 1_000_000 + node) * 1000 + disk + 1) * 100 + t);

  test("create-target needs the node in routing with an address, alive; refuses a disk it has not", () => {
    const c = readyCluster();
    const cfg = c.config(ROOT);
    expect(c.cli(cfg, `create-target --node-id 10009 --disk-index 0 --target-id ${target(10009, 0, 1)} --chain-id 1000100001`).out).toBe("Encounter error: 7004(StorageClient::RoutingError)");
    expect(c.cli(cfg, `create-target --node-id 10000 --disk-index 7 --target-id ${target(10000, 7, 1)} --chain-id 1000800001`).out).toContain("4018(Storage::StorageInitFailed)\ndisk index exceed 7 >= 2");
    const ok = `create-target --node-id 10000 --disk-index 0 --target-id ${target(10000, 0, 1)} --chain-id 1000100001 --use-new-chunk-engine`;
    expect(c.cli(cfg, ok).out).toBe(`Create target ${target(10000, 0, 1)} on disk 0 of 10000 succeeded`);
    expect(c.cli(cfg, ok).failed).toBe(false); // an existing target: success, nothing new
    const d = readyCluster(withoutAutoRegistration(DEV));
    d.cli(d.config(ROOT), "register-node 10001 STORAGE");
    d.state.scenario.missingPods = ["threefs-dev-storage-10001"];
    expect(d.cli(d.config(ROOT), `create-target --node-id 10001 --disk-index 0 --target-id ${target(10001, 0, 1)} --chain-id 1000100001`).out).toBe("Encounter error: 7016(StorageClient::NoRDMAInterface)");
  });

  test("a dead storage node: the RPC waits out the storage client's 30 s and fails", () => {
    const c = readyCluster();
    c.state.scenario.storageRestarts = [{ nodeId: 10001, at: c.nowMs / 1000, downFor: 600, graceful: false }];
    c.wait(1);
    const before = c.nowMs;
    expect(c.cli(c.config(ROOT), `create-target --node-id 10001 --disk-index 0 --target-id ${target(10001, 0, 1)} --chain-id 1000100001`).out).toBe("Encounter error: 2005(RPC::Timeout)");
    expect(c.nowMs - before).toBeGreaterThanOrEqual(30_000);
  });

  test("list-targets: members whatever their state (N/A until reported), orphans only with --orphan", () => {
    const c = readyCluster();
    const cfg = c.config(ROOT);
    const [a, b] = [target(10000, 0, 1), target(10001, 0, 1)];
    c.cli(cfg, `create-target --node-id 10000 --disk-index 0 --target-id ${a} --chain-id 1000100001`);
    c.wait(3);
    expect(c.cli(cfg, "list-targets --orphan").out).toBe(`TargetId       LocalState  NodeId  DiskIndex  UsedSize\n${a}  ONLINE      10000   0          0`);
    expect(c.cli(cfg, "list-targets").out).toBe("TargetId  ChainId  Role  PublicState  LocalState  NodeId  DiskIndex  UsedSize");
    // b was never created: upload-chains accepts it; it is a member, OFFLINE, N/A until reported.
    const fs = require("node:fs") as typeof import("node:fs");
    const csv = `${require("node:os").tmpdir()}/model-chains-${process.pid}.csv`;
    fs.writeFileSync(csv, `ChainId,TargetId,TargetId\n1000100001,${a},${b}\n`);
    expect(c.cli(cfg, `upload-chains ${csv}`).out).toBe("Upload 1 chains succeeded");
    const listed = c.cli(cfg, "list-targets").out.split("\n").slice(1).map((l) => l.split(/\s+/));
    expect(listed.map((r) => [r[0], r[2], r[3], r[4], r[5]])).toEqual([
      [a, "HEAD", "SERVING", "OFFLINE", "N/A"],
      [b, "TAIL", "SERVING", "OFFLINE", "N/A"],
    ]);
    expect(c.cli(cfg, "list-targets --orphan").out.split("\n")).toHaveLength(1);
    // Same members in another order: skipped; other members: refused.
    expect(c.cli(cfg, `upload-chains ${csv}`).failed).toBe(false);
    fs.writeFileSync(csv, `ChainId,TargetId,TargetId\n1000100001,${a},${target(10002, 0, 1)}\n`);
    expect(c.cli(cfg, `upload-chains ${csv}`).out).toMatch(/^Encounter error: 5007\(Mgmtd::InvalidChainTable\)\nTarget mismatch of ChainId\(1000100001\)/);
    fs.writeFileSync(csv, `ChainId,TargetId,TargetId\n1000100002,${a},${target(10002, 0, 1)}\n`);
    expect(c.cli(cfg, `upload-chains ${csv}`).out).toBe(`Encounter error: 5007(Mgmtd::InvalidChainTable)\nTargetId(${a}) duplicated. chain id: 1000100002`);
    fs.writeFileSync(csv, `Chain,TargetId\n1,2\n`);
    expect(c.cli(cfg, `upload-chains ${csv}`).out).toBe("Encounter error: 33(InvalidFormat)\ncolumn[0] expected:'ChainId' actual:'Chain'");
    fs.rmSync(csv);
  });
});

describe("membership and removal (UpdateChainOperation.cc, StorageOperator.cc:1079-1150)", () => {
  /** A cluster with one chain [a, b] on nodes 10000 and 10001, both SERVING and UPTODATE. */
  function withChain(): { c: LocalCluster; a: string; b: string; x: string } {
    const c = readyCluster();
    const cfg = c.config(ROOT);
    const [a, b, x] = ["1010000000101", "1010001000101", "1010002000101"];
    c.cli(cfg, `create-target --node-id 10000 --disk-index 0 --target-id ${a} --chain-id 1000100001`);
    c.cli(cfg, `create-target --node-id 10001 --disk-index 0 --target-id ${b} --chain-id 1000100001`);
    c.cli(cfg, `create-target --node-id 10002 --disk-index 0 --target-id ${x} --chain-id 1000100001`);
    c.wait(5);
    const fs = require("node:fs") as typeof import("node:fs");
    const csv = `${require("node:os").tmpdir()}/model-chain-${process.pid}.csv`;
    fs.writeFileSync(csv, `ChainId,TargetId,TargetId\n1000100001,${a},${b}\n`);
    c.cli(cfg, `upload-chains ${csv}`);
    fs.rmSync(csv);
    c.wait(150); // past the 2-minute newborn window
    expect(c.cli(cfg, "list-chains").out).toContain(`${a}(SERVING-UPTODATE)  ${b}(SERVING-UPTODATE)`);
    return { c, a, b, x };
  }

  test("update-chain add appends OFFLINE; a target already in a chain is 5018; the new one syncs to SERVING", () => {
    const { c, a, x } = withChain();
    const cfg = c.config(ROOT);
    expect(c.cli(cfg, `update-chain 1000100001 ${a} --mode add`).out).toBe(`Encounter error: 5018(Mgmtd::TargetExisted)\ntarget: ${a}`);
    const out = c.cli(cfg, `update-chain --mode add 1000100001 ${x}`).out;
    expect(out).toContain(`Target          ${x}(OFFLINE)`);
    c.wait(15);
    expect(c.cli(cfg, "list-chains").out).toMatch(new RegExp(`SYNCING .*${x}\\(SYNCING-ONLINE\\)`));
    c.wait(40);
    expect(c.cli(cfg, "list-chains").out).toMatch(new RegExp(` SERVING .*${x}\\(SERVING-UPTODATE\\)`));
  });

  test("remove needs the member publicly OFFLINE; offline-target is an RPC to the live node, not for the last server", () => {
    const { c, a, b } = withChain();
    const cfg = c.config(ROOT);
    expect(c.cli(cfg, `update-chain 1000100001 ${a} --mode remove`).out).toBe(`Encounter error: 3(InvalidArg)\nDo not allow to remove target ${a} from chain 1000100001: state is SERVING`);
    expect(c.cli(cfg, `remove-target --node-id 10000 --target-id ${a}`).out).toContain("4032(Storage::TargetStateInvalid)\nremove failed: target is not offline!");
    expect(c.cli(cfg, `offline-target --node-id 10000 --target-id ${a}`).out).toBe(`Offline target ${a} of 10000 succeeded`);
    expect(c.cli(cfg, `offline-target --node-id 10000 --target-id ${a}`).out).toContain("4030(Storage::TargetOffline)");
    c.wait(5);
    expect(c.cli(cfg, `offline-target --node-id 10001 --target-id ${b}`).out).toContain("offline failed: target is the last online target!");
    expect(c.cli(cfg, `remove-target --node-id 10000 --target-id ${a}`).out).toContain("remove failed: target is still in a chain!");
    expect(c.cli(cfg, `update-chain 1000100001 ${a} --mode remove`).failed).toBe(false);
    expect(c.cli(cfg, `remove-target --node-id 10000 --target-id ${a}`).out).toBe(`Remove target ${a} of 10000 succeeded`);
  });

  test("set-preferred-target-order moves nothing; rotate-as-preferred-order moves the head to the end, where it resyncs", () => {
    const { c, a, b, x } = withChain();
    const cfg = c.config(ROOT);
    expect(c.cli(cfg, `set-preferred-target-order 1000100001 ${x}`).out).toBe(`Encounter error: 3(InvalidArg)\nTargetId(${x}) not found in chain`);
    expect(c.cli(cfg, `set-preferred-target-order 1000100001 ${b} ${b}`).out).toBe("Encounter error: 3(InvalidArg)\nFound duplicated target id in preferredTargetOrder");
    expect(c.cli(cfg, `set-preferred-target-order 1000100001 ${b} ${a}`).out).toContain(`PreferredOrder  [${b},${a}]`);
    expect(c.cli(cfg, "list-chains").out).toContain(`[${b},${a}]  ${a}(SERVING-UPTODATE)  ${b}(SERVING-UPTODATE)`);
    const rotated = c.cli(cfg, "rotate-as-preferred-order 1000100001").out;
    expect(rotated).toContain(`Target          ${b}(SERVING)\nTarget          ${a}(OFFLINE)`);
    expect(rotated).toMatch(/ChainVersion {4}2\n/); // version 1 from upload-chains, + 1
    c.wait(60);
    expect(c.cli(cfg, "list-chains").out).toContain(`${b}(SERVING-UPTODATE)  ${a}(SERVING-UPTODATE)`);
    // The order is satisfied: no step, no error, no version bump.
    const version = c.state.chains["1000100001"].chainVersion;
    expect(c.cli(cfg, "rotate-as-preferred-order 1000100001").failed).toBe(false);
    expect(c.state.chains["1000100001"].chainVersion).toBe(version);
    expect(c.cli(cfg, "rotate-as-preferred-order 999").out).toBe("Encounter error: 5012(Mgmtd::ChainNotFound)\nchain: 999");
  });

  test("a dead node: its targets go OFFLINE 60-70 s after its last heartbeat and to the chain's end", () => {
    const { c, a, b } = withChain();
    c.state.scenario.storageRestarts = [{ nodeId: 10000, at: Math.ceil(c.nowMs / 1000), downFor: 120, graceful: false }];
    c.wait(50);
    expect(c.cli(c.config(), "list-chains").out).toContain(`${a}(SERVING-`);
    c.wait(25);
    expect(c.cli(c.config(), "list-chains").out).toContain(`SERVING(1/2)  []              ${b}(SERVING-UPTODATE)  ${a}(OFFLINE-OFFLINE)`);
    expect(c.cli(c.config(), "list-nodes").out).toMatch(/^10000 +STORAGE +HEARTBEAT_FAILED/m);
    c.wait(120); // back, resynced
    expect(c.cli(c.config(), "list-chains").out).toContain(`${b}(SERVING-UPTODATE)  ${a}(SERVING-UPTODATE)`);
  });
});

describe("users (AdminUserCtrl.cc, UserStore.cc) and tokens (UserToken.cc)", () => {
  test("the first user must be admin; a token must decode to the user's uid; later users need an admin token", () => {
    const c = new LocalCluster(DEV);
    c.wait(5);
    expect(c.cli(c.config(), "user-add 0 root").out).toBe("Encounter error: 3(InvalidArg)\nThe first user must be admin");
    expect(c.cli(c.config(), `user-add --root --admin --token ${encodeToken(7, 1n)} 0 root`).out).toBe("Encounter error: 33(InvalidFormat)\nCould not set token from other uid");
    expect(c.cli(c.config(), `user-add --root --admin --token AAAA 0 root`).out).toBe("Encounter error: 33(InvalidFormat)\nDecode token fail: invalid format");
    expect(c.cli(c.config(), `user-add --root --admin --token ${ROOT} 0 root`).failed).toBe(false);
    expect(c.cli(c.config(), "user-add 1000 alice").out).toBe("Encounter error: 25(AuthenticationFail)\nToken decode failed");
    expect(c.cli(c.config(encodeToken(0, 43n)), "user-add 1000 alice").out).toBe("Encounter error: 25(AuthenticationFail)\nToken validate failed");
    expect(c.cli(c.config(ROOT), "user-add 1000 alice").out).toMatch(/^Uid {16}1000\nName {15}alice\n/);
    expect(c.cli(c.config(ROOT), "user-add 1000 alice").out).toBe("Encounter error: 3007(Meta::Exists)");
    expect(c.cli(c.config(ROOT), "user-stat 5").out).toBe("Encounter error: 3000(Meta::NotFound)\nUid 5 not found");
  });

  test("user-set-token: one of --token/--new, an admin token, an existing uid, a token of that uid; the old token stops working", () => {
    const c = new LocalCluster(DEV);
    c.wait(5);
    const usage = "Usage: user-set-token [--new] [--token VAR] [--invalidate-existed-tokens] [--max-active-tokens VAR] [--last-token-lifetime-days VAR] uid";
    expect(c.cli(c.config(), `user-add --root --admin --token ${ROOT} 0 root`).failed).toBe(false);
    const alice = encodeToken(1000, 5n);
    expect(c.cli(c.config(ROOT), `user-add --token ${alice} 1000 alice`).failed).toBe(false);
    expect(c.cli(c.config(ROOT), "user-set-token 1000").out).toBe(`Encounter error: 10000(Cli::WrongUsage)\nmust set one of token and generate-token\n${usage}`);
    expect(c.cli(c.config(ROOT), `user-set-token --new --token ${alice} 1000`).out).toContain("must set one of token and generate-token");
    const next = encodeToken(1000, 6n);
    expect(c.cli(c.config(alice), `user-set-token --token ${next} --invalidate-existed-tokens 1000`).out).toBe("Encounter error: 25(AuthenticationFail)\nNot Admin");
    expect(c.cli(c.config(ROOT), `user-set-token --token ${next} --invalidate-existed-tokens 7`).out).toBe("Encounter error: 3000(Meta::NotFound)\nUid 7 not found");
    expect(c.cli(c.config(ROOT), `user-set-token --token ${encodeToken(7, 1n)} --invalidate-existed-tokens 1000`).out).toBe("Encounter error: 33(InvalidFormat)\nCould not set token from other uid");
    // Without the flag the old token stays valid for days (User.cc:58-72): the model refuses to pretend.
    expect(c.cli(c.config(ROOT), `user-set-token --token ${next} 1000`).out).toMatch(/^Encounter error: 999\(Unknown\)\nmodel: /);
    expect(c.cli(c.config(ROOT), `user-set-token --token ${next} --invalidate-existed-tokens 1000`).out).toContain(`Token              ${next}(Expired at N/A)`);
    expect(c.cli(c.config(alice), "user-stat 1000").out).toBe("Encounter error: 25(AuthenticationFail)\nToken validate failed");
    expect(c.cli(c.config(next), "user-stat 1000").failed).toBe(false); // a non-admin may stat itself
    expect(c.cli(c.config(next), "user-stat 0").out).toBe("Encounter error: 25(AuthenticationFail)\nNot Admin");
  });

  test("the model's own token decoder agrees with the source's layout, and refuses a bad CRC", () => {
    expect(decodeToken(encodeToken(1234, 0x0123456789abcdefn))).toEqual({ uid: 1234, random: 0x0123456789abcdefn });
    expect(decodeToken("AACrRaoN8QDNZwFR2wDviSOi")).toEqual({ uid: 0, random: 0x0123456789abcdefn }); // the source layout's reference value
    const bad = Buffer.from(encodeToken(1, 1n), "base64");
    bad[0] ^= 1;
    expect(decodeToken(bad.toString("base64"))).toEqual({ error: "Decode token fail: invalid crc" });
  });
});

describe("directories (Mkdirs.cc, SetAttr.h, Stat.cc): what the tenants' directories rely on", () => {
  test("mkdir is not idempotent, -p gives every level the same mode, a new directory belongs to the caller", () => {
    const c = readyCluster();
    const root = c.config(ROOT);
    expect(c.cli(root, "mkdir --perm 0700 /a/b").out).toBe("Encounter error: 3000(Meta::NotFound)");
    expect(c.cli(root, "mkdir -p --perm 0700 /a/b")).toEqual({ out: "", failed: false });
    expect(c.cli(root, "mkdir -p --perm 0700 /a/b").out).toBe("Encounter error: 3007(Meta::Exists)");
    expect(c.cli(root, "mkdir /a").out).toBe("Encounter error: 3007(Meta::Exists)");
    // Both levels got 0700, owned by root: a tenant could not even traverse /a.
    expect(c.cli(root, "stat /a").out).toMatch(/^Permission {3}0700$/m);
    expect(c.cli(root, "stat /a/b").out).toMatch(/^Uid {10}0$/m);
    expect(c.cli(root, "stat /missing").out).toBe("Encounter error: 3000(Meta::NotFound)");
    expect(c.cli(root, "mkdir /a/./c").out).toBe("Encounter error: 3(InvalidArg)\nfilename is '.' or '..'");
  });

  test("set-perm: root changes owner and mode, never the root directory's; others may not take ownership", () => {
    const c = readyCluster();
    const root = c.config(ROOT);
    expect(c.cli(root, "mkdir --perm 0755 /t").failed).toBe(false);
    expect(c.cli(root, "set-perm --uid 1001 --gid 1001 --perm 0700 /t")).toEqual({ out: "", failed: false });
    expect(c.cli(root, "stat /t").out).toMatch(/^Permission {3}0700\nIFlags[^\n]*\nUid {10}1001\nGid {10}1001$/m);
    expect(c.cli(root, "set-perm --uid 1001 /").out).toBe("Encounter error: 3008(Meta::NoPermission)\nDon't allow change permission of 0x0000000000000000");
    expect(c.cli(c.config(ROOT, { uid: 1001, gid: 1001 }), "set-perm --uid 1002 /t").out).toBe("Encounter error: 3008(Meta::NoPermission)\nno perm to set uid");
    expect(c.cli(c.config(ROOT, { uid: 1002, gid: 1002 }), "mkdir /t/x").out).toMatch(/^Encounter error: 3008\(Meta::NoPermission\)\nacl /);
  });

  test("mkdir needs meta, which serves only after init-cluster", () => {
    const c = new LocalCluster(DEV);
    c.wait(120);
    const r = c.cli(c.config(), "mkdir /tenants");
    expect(r.failed).toBe(true);
    expect(r.out).toMatch(/^Encounter error: (6002\(MgmtdClient::MetaServiceNotAvailable\)|2005\(RPC::Timeout\))$/);
  });
});

describe("generateNewChain (updateChain.cc:25-104)", () => {
  const run = (targets: Array<[string, ChainTarget["publicState"], LocalState]>) =>
    generateNewChain(
      targets.map(([id, ps]) => ({ targetId: id, publicState: ps })),
      (id) => targets.find((t) => t[0] === id)![2],
    ).map((t) => `${t.targetId}:${t.publicState}`);

  test.each([
    ["a failed head with a live peer ends OFFLINE at the very end", [["a", "SERVING", "OFFLINE"], ["b", "SERVING", "UPTODATE"], ["c", "SERVING", "UPTODATE"]], ["b:SERVING", "c:SERVING", "a:OFFLINE"]],
    ["the sole failed server becomes LASTSRV", [["a", "SERVING", "OFFLINE"], ["b", "OFFLINE", "OFFLINE"]], ["a:LASTSRV", "b:OFFLINE"]],
    ["at most one new SYNCING per pass", [["a", "SERVING", "UPTODATE"], ["b", "OFFLINE", "ONLINE"], ["c", "OFFLINE", "ONLINE"]], ["a:SERVING", "b:SYNCING", "c:WAITING"]],
    ["a finished sync joins as the tail", [["a", "SERVING", "UPTODATE"], ["b", "SYNCING", "UPTODATE"]], ["a:SERVING", "b:SERVING"]],
    ["a returning LASTSRV serves again without a sync", [["a", "LASTSRV", "ONLINE"], ["b", "OFFLINE", "ONLINE"]], ["a:SERVING", "b:SYNCING"]],
    ["OFFLINE but UPTODATE waits (the node reloads it as ONLINE first)", [["a", "SERVING", "UPTODATE"], ["b", "OFFLINE", "UPTODATE"]], ["a:SERVING", "b:WAITING"]],
  ] as const)("%s", (_name, input, expected) => {
    expect(run(input as unknown as Array<[string, ChainTarget["publicState"], LocalState]>)).toEqual(expected);
  });
});

describe("Kubernetes objects of the workloads (pods.ts, kube.ts)", () => {
  // dev with a node to replace: the plan then renders the replacement Job's account too.
  const base = stackPlan("dev");
  const plan = planOf({ ...base.cfg, storage: { ...base.cfg.storage, replace: [10001] } }, base.placement);
  const kube = plan.spec.kube!;
  const ready = () => readyCluster(plan.spec);
  const token = (job: string) => kube.accounts!.find((a) => a.token.endsWith(`-${job}`))!.token;
  const url = (p: string) => new URL(`https://kubernetes.default.svc${p}`);
  const ns = "/api/v1/namespaces/threefs-dev";
  const podOf = (c: LocalCluster, name: string) =>
    (kubeRequest(c.state, kube, "GET", url(`${ns}/pods?labelSelector=statefulset.kubernetes.io%2Fpod-name%3D${name}`), token("roll"), undefined, c.nowMs).body as { items: Array<{ metadata: { uid: string; annotations: Record<string, string> }; status: { phase: string; conditions: Array<{ type: string; status: string }> } }> }).items[0];
  const cond = (p: ReturnType<typeof podOf>, type: string) => p.status.conditions.find((x) => x.type === type)?.status;

  test("RBAC as rendered: the roll may delete pods, not patch their status; the gate may patch status, not delete; nobody else gets in", () => {
    const c = ready();
    const pod = `${ns}/pods/threefs-dev-storage-10000`;
    expect(kubeRequest(c.state, kube, "PATCH", url(`${pod}/status`), token("roll"), "{}", c.nowMs).code).toBe(403);
    expect(kubeRequest(c.state, kube, "DELETE", url(pod), token("targetHealth"), undefined, c.nowMs).code).toBe(403);
    expect(kubeRequest(c.state, kube, "DELETE", url(`${ns}/persistentvolumeclaims/data0-threefs-dev-storage-10000`), token("roll"), undefined, c.nowMs).code).toBe(403);
    expect(kubeRequest(c.state, kube, "GET", url(pod), "not-a-token", undefined, c.nowMs).code).toBe(401);
  });

  test("a deleted pod comes back with a new uid and the current template; Ready needs the readiness gate", () => {
    const c = ready();
    const before = podOf(c, "threefs-dev-storage-10000");
    expect([cond(before, "ContainersReady"), cond(before, "Ready")]).toEqual(["True", "False"]); // no gate set yet
    kubeRequest(c.state, kube, "PATCH", url(`${ns}/pods/threefs-dev-storage-10000/status`), token("targetHealth"), JSON.stringify({ status: { conditions: [{ type: "threefs.io/chains-serving", status: "True" }] } }), c.nowMs);
    expect(cond(podOf(c, "threefs-dev-storage-10000"), "Ready")).toBe("True");
    c.state.spec.kube = { ...kube, workloads: { ...kube.workloads!, templateHashes: { ...kube.workloads!.templateHashes, storage: "new-template" } } };
    expect(podOf(c, "threefs-dev-storage-10000").metadata.annotations["threefs.io/template-hash"]).toBe(before.metadata.annotations["threefs.io/template-hash"]); // OnDelete: unchanged until deleted
    expect(kubeRequest(c.state, c.state.spec.kube, "DELETE", url(`${ns}/pods/threefs-dev-storage-10000`), token("roll"), undefined, c.nowMs).code).toBe(200);
    c.wait(10);
    const after = podOf(c, "threefs-dev-storage-10000");
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    expect(after.metadata.annotations["threefs.io/template-hash"]).toBe("new-template");
    expect(cond(after, "Ready")).toBe("False"); // a new pod has no gate condition
  });

  test("a lost instance: disks gone, the pod Pending on its claims; deleting a claim of a scheduled pod waits for the pod, and then the disk is new (empty)", () => {
    const c = ready();
    c.state.scenario.lostInstances = [{ nodeId: 10001, at: c.nowMs / 1000 + 1 }];
    c.wait(60);
    expect(c.state.storage["10001"]).toEqual([]);
    expect(podOf(c, "threefs-dev-storage-10001").status.phase).toBe("Pending");
    // Claims of a Pending pod go at once; the StatefulSet gives it new ones and it schedules.
    for (const d of [0, 1]) kubeRequest(c.state, kube, "DELETE", url(`${ns}/persistentvolumeclaims/data${d}-threefs-dev-storage-10001`), token("replace"), undefined, c.nowMs);
    c.wait(5);
    expect(podOf(c, "threefs-dev-storage-10001").status.phase).toBe("Running");
    // A claim of a running pod is only marked: the pod keeps its disk until it is deleted.
    const claim = `${ns}/persistentvolumeclaims/data0-threefs-dev-storage-10000`;
    kubeRequest(c.state, kube, "DELETE", url(claim), token("replace"), undefined, c.nowMs);
    expect((kubeRequest(c.state, kube, "GET", url(claim), token("replace"), undefined, c.nowMs).body as { metadata: { deletionTimestamp?: string } }).metadata.deletionTimestamp).toBeDefined();
  });
});
