/**
 * The model's commands that go to FoundationDB directly (init-cluster, user-*) or to meta (stat, mkdir,
 * set-perm). Sources: AliyunContainerService/alibabacloud-3FS at ab363af, src/client/cli/admin/*.cc.
 */
import { E, parseArgs, table, uint, type ArgSpec } from "./output";
import type { Session } from "./session";
import { decodeToken, newToken } from "./token";
import type { Inode, User } from "./types";

type Handler = (s: Session, words: string[]) => string;

const INIT_CLUSTER: ArgSpec = {
  usage:
    "Usage: init-cluster [--mgmtd-config-path VAR] [--meta-config-path VAR] [--storage-config-path VAR] [--fuse-config-path VAR] [--allow-config-existed] [--skip-config-check] chaintableid chunksize stripesize",
  positional: ["chaintableid", "chunksize", "stripesize"],
  flags: ["--allow-config-existed", "--skip-config-check"],
  values: ["--mgmtd-config-path", "--meta-config-path", "--storage-config-path", "--fuse-config-path"],
  aliases: { "--mgmtd": "--mgmtd-config-path", "--meta": "--meta-config-path", "--storage": "--storage-config-path", "--fuse": "--fuse-config-path" },
};

/**
 * init-cluster (InitCluster.cc:46-70, MetaStore.cc:24-69): FDB only; validates the root layout
 * (Schema.cc:125-154, Meta::InvalidFileLayout 3013); creates root and gc-root only when missing, so a repeat
 * changes nothing and prints the same line with the new arguments. The line ends in "\n" and is printed
 * with endl: the output is the line and an empty line.
 */
function initCluster(s: Session, words: string[]): string {
  const a = parseArgs(words, INIT_CLUSTER);
  const [tableId, chunk, stripe] = a.pos.map((p) => uint(p, INIT_CLUSTER.usage));
  s.fdb();
  const bad = chunk === 0 ? "chunksize is 0" : (chunk & (chunk - 1)) !== 0 ? "chunksize should be power of 2." : stripe === 0 ? "stripesize is 0" : tableId === 0 ? "invalid chain table 0" : undefined;
  if (bad) throw E.invalidFileLayout(`Failed to init filesystem: Meta::InvalidFileLayout(3013) ${bad}`);
  const fs = s.state.fs;
  if (!fs.initialized) {
    fs.initialized = true;
    fs.layout = { tableId, chunkSize: chunk, stripeSize: stripe };
    fs.inodes.push({ path: "/", uid: 0, gid: 0, perm: 0o755 });
  }
  // The config steps (--mgmtd …) store a service config in FDB; the program never uses them (its
  // services read --cfg files), so the model refuses them rather than pretend to store anything.
  if (Object.keys(a.values).length > 0) throw E.unknown("model: init-cluster config options are not modelled (the program does not use them)");
  return `Init filesystem, root directory layout: chain table ChainTableId(${tableId}), chunksize ${chunk}, stripesize ${stripe}\n`;
}

/**
 * ensureAdmin (AdminUserCtrl.cc:27-48): the config token must decode, its uid exist, the token match the
 * user's, and the user be admin or uid 0 (or `self`). Every failure is 25 AuthenticationFail.
 */
function ensureAdmin(s: Session, self?: number): User {
  const d = decodeToken(s.cfg.token);
  if ("error" in d) throw E.authFail("Token decode failed");
  const u = s.state.users.find((x) => x.uid === d.uid);
  if (!u) throw E.authFail(`Uid ${d.uid} not found`);
  if (u.token !== s.cfg.token) throw E.authFail("Token validate failed");
  if (u.uid !== 0 && !u.admin && u.uid !== self) throw E.authFail("Not Admin");
  return u;
}

/** printUserAttr (AdminUserCtrl.cc:50-63). */
function userAttr(u: User): string {
  return table([
    ["Uid", u.uid],
    ["Name", u.name],
    ["Token", `${u.token}(Expired at N/A)`],
    ["IsRootUser", String(u.root)],
    ["IsAdmin", String(u.admin)],
    ["Gid", u.uid],
    ["SupplementaryGids", u.groups.map((g) => `Gid(${g})`).join(", ")],
  ]);
}

const USER_ADD: ArgSpec = { usage: "Usage: user-add [--root] [--admin] [--groups VAR] [--token VAR] uid name", positional: ["uid", "name"], flags: ["--root", "--admin"], values: ["--groups", "--token"] };

/**
 * user-add (AdminUserCtrl.cc:65-112, UserStore.cc:54-85): the first user must be --admin and needs no token;
 * later ones need an admin token; a duplicate uid is 3007 Meta::Exists without a message; a --token must
 * decode to the same uid (33 "Could not set token from other uid"); gid = uid.
 */
function userAdd(s: Session, words: string[]): string {
  const a = parseArgs(words, USER_ADD);
  const uid = uint(a.pos[0], USER_ADD.usage);
  s.fdb();
  if (s.state.users.length === 0) {
    if (!a.flags.has("--admin")) throw E.invalidArg("The first user must be admin");
  } else ensureAdmin(s);
  if (s.state.users.some((u) => u.uid === uid)) throw E.metaExists();
  let token = a.values["--token"];
  if (token !== undefined) {
    const d = decodeToken(token);
    if ("error" in d) throw E.invalidFormat(d.error);
    if (d.uid !== uid) throw E.invalidFormat("Could not set token from other uid");
  } else token = newToken(uid, BigInt(s.state.users.length + 1) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn);
  const groups = (a.values["--groups"] ?? "").split(",").filter((g) => g !== "").map((g) => {
    if (!/^\d+$/.test(g)) throw E.unknown(`Invalid leading character: "${g}"`);
    return Number(g);
  });
  const u: User = { uid, name: a.pos[1], token, root: a.flags.has("--root"), admin: a.flags.has("--admin"), groups };
  s.state.users.push(u);
  return userAttr(u);
}

/** user-stat (AdminUserCtrl.cc:243-275): admin or self; a missing uid is 3000 "Uid N not found". */
function userStat(s: Session, words: string[]): string {
  const spec: ArgSpec = { usage: "Usage: user-stat uid", positional: ["uid"] };
  const uid = uint(parseArgs(words, spec).pos[0], spec.usage);
  s.fdb();
  ensureAdmin(s, uid);
  const u = s.state.users.find((x) => x.uid === uid);
  if (!u) throw E.metaNotFound(`Uid ${uid} not found`);
  return userAttr(u);
}

const USER_SET_TOKEN: ArgSpec = {
  usage: "Usage: user-set-token [--new] [--token VAR] [--invalidate-existed-tokens] [--max-active-tokens VAR] [--last-token-lifetime-days VAR] uid",
  positional: ["uid"],
  flags: ["--new", "--invalidate-existed-tokens"],
  values: ["--token", "--max-active-tokens", "--last-token-lifetime-days"],
};

/**
 * user-set-token (AdminUserCtrl.cc:200-241, UserStore.cc:131-160, User.cc:49-76): exactly one of --token and
 * --new (WrongUsage "must set one of token and generate-token"), an admin token, the uid must exist (3000
 * "Uid N not found"), a --token must decode to that uid (33). An unchanged token changes nothing. With
 * --invalidate-existed-tokens the endless token is replaced and nothing is kept; without it the old token
 * stays valid for --last-token-lifetime-days, which the model does not keep: it refuses that form.
 */
function userSetToken(s: Session, words: string[]): string {
  const a = parseArgs(words, USER_SET_TOKEN);
  const uid = uint(a.pos[0], USER_SET_TOKEN.usage);
  const given = a.values["--token"];
  if ((given !== undefined && given !== "" ? 1 : 0) + (a.flags.has("--new") ? 1 : 0) !== 1) throw E.wrongUsage(`must set one of token and generate-token\n${USER_SET_TOKEN.usage}`);
  s.fdb();
  ensureAdmin(s);
  const u = s.state.users.find((x) => x.uid === uid);
  if (!u) throw E.metaNotFound(`Uid ${uid} not found`);
  let token = given;
  if (token !== undefined) {
    const d = decodeToken(token);
    if ("error" in d) throw E.invalidFormat(d.error);
    if (d.uid !== uid) throw E.invalidFormat("Could not set token from other uid");
  } else token = newToken(uid, BigInt(s.nowMs + 1) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn);
  if (token !== u.token) {
    if (!a.flags.has("--invalidate-existed-tokens")) throw E.unknown("model: user-set-token without --invalidate-existed-tokens (the old token stays valid for days) is not modelled");
    u.token = token;
  }
  return userAttr(u);
}

/** user-list (AdminUserCtrl.cc:277-331): admin; rows in FDB key order (little-endian uid bytes). */
function userList(s: Session, words: string[]): string {
  parseArgs(words, { usage: "Usage: user-list [--json]", positional: [] });
  s.fdb();
  ensureAdmin(s);
  const key = (uid: number) => Buffer.from(new Uint32Array([uid]).buffer).toString("hex");
  const users = [...s.state.users].sort((x, y) => (key(x.uid) < key(y.uid) ? -1 : 1));
  return table([["Uid", "Name", "Token", "IsRoot", "IsAdmin", "Gids"], ...users.map((u) => [u.uid, u.name, u.token, String(u.root), String(u.admin), u.groups.map((g) => `Gid(${g})`).join(", ")])]);
}

// ------------------------------------------------------------------------------------------- meta

function normalize(path: string): string {
  const parts = path.split("/").filter((p) => p !== "");
  if (parts.some((p) => p === "." || p === "..")) throw E.invalidArg("filename is '.' or '..'");
  return `/${parts.join("/")}`;
}

function inode(s: Session, path: string): Inode | undefined {
  return s.state.fs.inodes.find((i) => i.path === path);
}

const parentOf = (p: string) => (p.lastIndexOf("/") === 0 ? "/" : p.slice(0, p.lastIndexOf("/")));

/** Write permission on a directory for the session's user (uid 0 always passes, Schema.cc:24-45). */
function canWrite(s: Session, dir: Inode): boolean {
  const uid = s.cfg.uid < 0 ? 0 : s.cfg.uid;
  const gid = s.cfg.gid < 0 ? 0 : s.cfg.gid;
  if (uid === 0) return true;
  const bits = dir.uid === uid ? (dir.perm >> 6) & 7 : dir.gid === gid ? (dir.perm >> 3) & 7 : dir.perm & 7;
  return (bits & 2) !== 0;
}

const MKDIR: ArgSpec = { usage: "Usage: mkdir [--recursive] [--perm VAR] path", positional: ["path"], flags: ["--recursive"], values: ["--perm"], aliases: { "-p": "--recursive", "-r": "--recursive" } };

/**
 * mkdir (Mkdir.cc, Mkdirs.cc:27-125): an existing target is 3007 Meta::Exists even with -p (not idempotent);
 * a missing parent without -p is 3000; the parent needs write permission (3008); the new directory
 * belongs to the caller (uid/gid), perm from --perm (octal, default 0755). Prints nothing.
 */
function mkdir(s: Session, words: string[]): string {
  const a = parseArgs(words, MKDIR);
  const perm = a.values["--perm"] === undefined ? 0o755 : /^[0-7]+$/.test(a.values["--perm"]) ? parseInt(a.values["--perm"], 8) : NaN;
  if (Number.isNaN(perm)) throw E.invalidArg(`invalid permission format: ${a.values["--perm"]}`);
  s.meta();
  const path = normalize(a.pos[0]);
  if (inode(s, path)) throw E.metaExists();
  const missing: string[] = [];
  for (let p = path; !inode(s, p); p = parentOf(p)) missing.unshift(p);
  if (missing.length > 1 && !a.flags.has("--recursive")) throw E.metaNotFound();
  const parent = inode(s, parentOf(missing[0]))!;
  if (!canWrite(s, parent)) throw E.metaNoPermission(`acl {uid: ${parent.uid}, gid: ${parent.gid}, perm: ${parent.perm.toString(8)}}, user ${s.cfg.uid} has no perm for 2`);
  const uid = s.cfg.uid < 0 ? 0 : s.cfg.uid;
  const gid = s.cfg.gid < 0 ? 0 : s.cfg.gid;
  for (const p of missing) s.state.fs.inodes.push({ path: p, uid, gid, perm: perm & 0o7777 });
  return "";
}

const SET_PERM: ArgSpec = { usage: "Usage: set-perm [--uid VAR] [--gid VAR] [--perm VAR] [--iflags VAR] path", positional: ["path"], values: ["--uid", "--gid", "--perm", "--iflags"], aliases: { "-u": "--uid", "-g": "--gid", "-p": "--perm" } };

/** set-perm (SetPermission.cc, SetAttr.h:30-66): root cannot change tree roots (3008); only root changes uid. */
function setPerm(s: Session, words: string[]): string {
  const a = parseArgs(words, SET_PERM);
  s.meta();
  const path = normalize(a.pos[0]);
  const node = inode(s, path);
  if (!node) throw E.metaNotFound();
  const changes = ["--uid", "--gid", "--perm"].filter((k) => a.values[k] !== undefined);
  if (path === "/" && changes.length > 0) throw E.metaNoPermission("Don't allow change permission of 0x0000000000000000");
  const caller = s.cfg.uid < 0 ? 0 : s.cfg.uid;
  if (a.values["--uid"] !== undefined) {
    if (caller !== 0) throw E.metaNoPermission("no perm to set uid");
    node.uid = uint(a.values["--uid"], SET_PERM.usage);
  }
  if (a.values["--gid"] !== undefined) {
    if (caller !== 0 && caller !== node.uid) throw E.metaNoPermission("no perm to set gid");
    node.gid = uint(a.values["--gid"], SET_PERM.usage);
  }
  if (a.values["--perm"] !== undefined) {
    if (caller !== 0 && caller !== node.uid) throw E.metaNoPermission("no perm to set perm");
    node.perm = parseInt(a.values["--perm"], 8) & 0o7777;
  }
  return "";
}

/** stat (Stat.cc:137-182): meta needed; a missing path is 3000; the rows of a directory. */
function stat(s: Session, words: string[]): string {
  const spec: ArgSpec = { usage: "Usage: stat [--follow-link] [--display-layout] [--inode] path", positional: ["path"], flags: ["--follow-link", "--display-layout", "--inode"], aliases: { "-L": "--follow-link" } };
  const a = parseArgs(words, spec);
  s.meta();
  const path = normalize(a.pos[0]);
  const node = inode(s, path);
  if (!node) throw E.metaNotFound();
  const idx = s.state.fs.inodes.indexOf(node);
  const id = (n: number) => `0x${n.toString(16).padStart(16, "0")}`;
  const parent = inode(s, parentOf(path))!;
  return table([
    ["Type", "Directory"],
    ["Inode", id(idx === 0 ? 0 : idx + 1)],
    ["NLink", 1],
    ["Permission", node.perm.toString(8).padStart(4, "0")],
    ["IFlags", path === "/" ? "0x00000010" : "0x00000000"],
    ["Uid", node.uid],
    ["Gid", node.gid],
    ["ParentInode", id(path === "/" ? 0 : s.state.fs.inodes.indexOf(parent))],
  ]);
}

export const FS_COMMANDS: Record<string, Handler> = {
  "init-cluster": initCluster,
  "user-add": userAdd,
  "user-stat": userStat,
  "user-list": userList,
  "user-set-token": userSetToken,
  mkdir,
  "set-perm": setPerm,
  stat,
};
