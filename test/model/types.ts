/**
 * State of the 3FS cluster model (test/model): what a 3FS cluster on Kubernetes holds at one instant,
 * as plain JSON so each fake admin_cli process can load it, advance it and save it.
 *
 * Every behaviour the model applies to this state is in the modules beside this one, each rule with the
 * source it follows: AliyunContainerService/alibabacloud-3FS at ab363af (the images' source), cited as
 * `path:line`. The model refuses what 3FS refuses; where the source leaves a value open (durations of a
 * resync, RPC error codes of a dead node) the model picks the stricter reading and says so.
 */

import type { KubeSpec } from "./kube";
import type { KubeObjects } from "./pods";

/** mgmtd's node types (src/fbs/mgmtd/MgmtdTypes.h:40). */
export type NodeType = "MGMTD" | "META" | "STORAGE";

/** mgmtd's node statuses, in enum order (src/fbs/mgmtd/MgmtdTypes.h:30-38); list-nodes sorts by it. */
export const NODE_STATUS_ORDER = ["PRIMARY_MGMTD", "HEARTBEAT_CONNECTED", "HEARTBEAT_CONNECTING", "HEARTBEAT_FAILED", "DISABLED"] as const;
export type NodeStatus = (typeof NODE_STATUS_ORDER)[number];

/** Public target states (src/fbs/mgmtd/MgmtdTypes.h:10-19). */
export type PublicState = "SERVING" | "LASTSRV" | "SYNCING" | "WAITING" | "OFFLINE";
/** Local target states (src/fbs/mgmtd/MgmtdTypes.h:21-28). */
export type LocalState = "UPTODATE" | "ONLINE" | "OFFLINE";

/** What the cluster is made of: derived from a plan (the rendered files and the StatefulSets). */
export interface ClusterSpec {
  namespace: string;
  /** Cluster DNS domain (ACK's default cluster.local). */
  clusterDomain: string;
  /** mgmtd StatefulSet and its headless Service; node id = pod ordinal. */
  mgmtd: { statefulSet: string; service: string; ids: number[] };
  meta: { statefulSet: string; service: string; ids: number[] };
  storage: { statefulSet: string; service: string; ids: number[]; disksPerNode: number };
  /** Rendered 3FS files by name (mgmtd_main.toml, mgmtd_main_launcher.toml, …) as the pods mount them. */
  files: Record<string, string>;
  /** The Kubernetes API's view (nodes, FUSE pods, the check's RBAC), for Jobs that read it. */
  kube?: KubeSpec;
}

/** What happens to the Kubernetes side over time (seconds of model time from the start). */
export interface Scenario {
  /** When FoundationDB starts answering. Default 0. */
  fdbUpAt?: number;
  /** Pods (by name) that never get scheduled (Pending: no IP, no DNS record). */
  missingPods?: string[];
  /** When each pod is scheduled and its container first starts (default 0); absent pods start at 0. */
  podStartAt?: Record<string, number>;
  /** Storage process restarts: the pod's container stops at `at` for `downFor` seconds. */
  storageRestarts?: Array<{ nodeId: number; at: number; downFor: number; graceful: boolean }>;
  /** Seconds a resync of one target takes (the source has no constant; test scenarios choose). Default 20. */
  syncSeconds?: number;
  /** Kubernetes nodes (by name) where the FUSE pod is not Ready (its mount failed). */
  fuseDown?: string[];
  /** Kubernetes nodes (by name) without allocatable `aliyun/erdma` (the eRDMA device plugin is missing). */
  noErdma?: string[];
  /** Storage nodes whose ECS instance is released at `at` (seconds): process and EED disks gone (pods.ts). */
  lostInstances?: Array<{ nodeId: number; at: number }>;
}

/** A node record in mgmtd (src/fbs/mgmtd/NodeInfo.h). */
export interface NodeRecord {
  id: number;
  type: NodeType;
  status: NodeStatus;
  hostname: string;
  pid: number;
  /** Model ms of the last accepted heartbeat; 0 = never (printed N/A). */
  lastHeartbeatMs: number;
  /** The steady timestamp the heartbeat checker compares (set on creation, load and heartbeat). */
  touchedMs: number;
  releaseVersion: string;
  /** True once the node has advertised its service addresses (a heartbeat, not register-node). */
  hasAddress: boolean;
}

/** mgmtd's TargetInfo of a chain member or an orphan. */
export interface TargetInfo {
  targetId: string;
  localState: LocalState;
  nodeId?: number;
  diskIndex?: number;
  usedSize: number;
  /** When a report last refreshed it (ms), for the heartbeat checker. */
  touchedMs: number;
}

export interface ChainTarget {
  targetId: string;
  publicState: PublicState;
}

export interface Chain {
  chainId: number;
  chainVersion: number;
  targets: ChainTarget[];
  preferredOrder: string[];
  /** Newborn until this model ms: no automatic state change before it. */
  newbornUntilMs: number;
}

export interface ChainTableVersion {
  version: number;
  chains: number[];
  desc: string;
}

/** A target in a storage node's TargetMap (and on its disk). */
export interface LocalTarget {
  targetId: string;
  chainId: number;
  diskIndex: number;
  localState: LocalState;
  /** offline-target was called (memory only: cleared by a process restart). */
  offlineByUser: boolean;
  /** When a resync of this target finishes (ms), while it is SYNCING. */
  syncDoneAtMs?: number;
  /** Released after an UPTODATE → OFFLINE transition, reloaded ONLINE at this ms. */
  reloadAtMs?: number;
}

/** One 3FS server process (a pod's container). */
export interface ProcessState {
  /** running: serving; starting: launched and waiting for mgmtd; down: crashed/stopped until restartAtMs. */
  phase: "running" | "starting" | "down";
  /** When the current start attempt began / the next restart happens. */
  sinceMs: number;
  restartAtMs: number;
  /** Crash count for the kubelet's back-off (10 s doubling to 5 min). */
  crashes: number;
  /** Next heartbeat (ms). */
  nextHeartbeatMs: number;
  /** Storage only: still reporting every target OFFLINE after a start (Components.cc:87-122). */
  reportingOffline?: boolean;
  /** Storage only: the routing version it last applied. */
  seenRoutingVersion?: number;
}

export interface User {
  uid: number;
  name: string;
  token: string;
  root: boolean;
  admin: boolean;
  groups: number[];
}

export interface Inode {
  path: string;
  uid: number;
  gid: number;
  perm: number;
}

/** The whole model state (state.json). */
export interface ModelState {
  spec: ClusterSpec;
  scenario: Scenario;
  /** Model time the simulation has reached (ms). */
  simMs: number;
  /** FDB: root and gc-root inodes exist (init-cluster), the root layout, users, directories. */
  fs: { initialized: boolean; layout?: { tableId: number; chunkSize: number; stripeSize: number }; inodes: Inode[] };
  users: User[];
  /** mgmtd: the lease, nodes, routing. */
  lease?: { holder: number; endMs: number };
  nodes: NodeRecord[];
  targets: Record<string, TargetInfo>;
  orphans: Record<string, TargetInfo>;
  chains: Record<string, Chain>;
  tables: Record<string, ChainTableVersion[]>;
  routingVersion: number;
  /** Storage nodes' TargetMaps (on disk + in memory), by node id. */
  storage: Record<string, LocalTarget[]>;
  /**
   * Targets whose chunks a remove-target of another target deleted: the chunk engine keeps a disk's chunks per
   * chain and removal drops the whole chain on that disk (StorageOperator.cc:1127-1136, StorageTargets.h:80-83),
   * while the survivor still reports UPTODATE. Silent data loss on a real cluster; tests require none.
   */
  wiped?: string[];
  /** Processes by pod name. */
  processes: Record<string, ProcessState>;
  /** The Kubernetes objects of the workloads (pods.ts), created as the model first sees them. */
  k8s?: KubeObjects;
  /** Every command any admin_cli ran, in order (for the tests). */
  calls: string[];
}
