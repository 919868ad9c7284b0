/**
 * Glue between the 3FS file renderers (lib/threefs) and the workload builders: renders the TOML files,
 * process arguments and bootstrap files of a stack from the ThreeFs arguments, and names the hashed
 * objects. Kept apart from the component so tests get exactly what the component deploys.
 *
 * Pure module: no cloud SDK imports.
 */
import { fuseArgs, serviceArgs } from "../../threefs/args";
import type { Tenant } from "../../tenants/spec";
import { renderBootstrap, type ChainMembers } from "../../threefs/bootstrap";
import { renderCheck, type PoolExpectation } from "../../threefs/check";
import { renderMigrate } from "../../threefs/migrate";
import { idsOfSets, type StorageSet } from "../../threefs/storageNodes";
import { renderReplace } from "../../threefs/dayTwo";
import { NODE_ID_BASE, NODE_ID_ENV } from "../../threefs/constants";
import { tokenFromRandomBytesBase64 } from "../../threefs/token";
import { mgmtdAddresses, renderThreeFsConfigs } from "../../threefs/toml";
import { quantityToBytes } from "../quantity";
import { configHashes, configMapNames, contentHash, type RenderedFiles } from "./manifests";
import { objectNames, selectorLabels } from "./names";
import type { ConfigComponent, ImageSettings, Profile, RdmaPodSecurity, Resources, WorkloadInput } from "./types";

export { validateKubernetesVersion } from "./version";

/** The ThreeFs arguments the files depend on, with Inputs resolved. */
export interface FilesInput {
  prefix: string;
  namespace: string;
  profile: Profile;
  clusterId: string;
  mgmtd: { replicas: number };
  meta: { replicas: number };
  storage: { nodes: number; sets?: StorageSet[]; disksPerNode: number; resources: Resources };
  fuse: { mountPath: string };
  chains: { replicas: number; targetsPerDisk: number; stripeSize: number; chunkSizeBytes?: number; placement: readonly ChainMembers[]; desc?: string };
  monitorCollector?: string;
  /** Tenants whose 3FS users and directories the bootstrap ensures (resolved, lib/tenants/spec.ts). */
  tenants?: readonly Tenant[];
  /** What the post-deploy check expects beyond the 3FS plan: the pools, the client nodes, the write size. */
  check: ThreeFsCheckArgs;
  /** Day-2 operations (docs/operations.md). */
  operations?: ThreeFsOperationsArgs;
}

/** How the day-2 Jobs run (ThreeFsArgs.operations). */
export interface ThreeFsOperationsArgs {
  /** Resyncs a storage node takes part in at once during a migration (1–16). Default 2. */
  maxSyncsPerNode?: number;
  /** Balance chain heads with set-preferred-target-order. Default true. */
  balanceHeads?: boolean;
  /** Storage node ids whose instance (and disks) were lost: the replacement Job brings them back. */
  replace?: number[];
}

/** The post-deploy check's stack-level inputs (ThreeFsArgs.check). */
export interface ThreeFsCheckArgs {
  /** Every node pool of the stack (lib/nodepools poolExpectations). */
  pools: PoolExpectation[];
  /** Labels of the client nodes; empty when the stack has none. */
  clientSelector: Record<string, string>;
  /** MiB written and read back through the mount (0: no write). */
  writeMiB: number;
}

/** Rendered files plus the hashes that name the config ConfigMaps and the bootstrap ConfigMap/Job. */
export interface RenderResult {
  files: RenderedFiles;
  /** Per component, the hash of its own config files. */
  configHashes: Record<ConfigComponent, string>;
  /** The check ConfigMap's files and the hash naming the check Job and ConfigMap. */
  check: { files: Record<string, string>; hash: string };
  /** The migration ConfigMap's files and the hash naming the migration Job (with admin_cli.toml's). */
  migrate: { files: Record<string, string>; hash: string };
  /** The replacement ConfigMap's files and hash, when nodes are being replaced. */
  replace?: { files: Record<string, string>; hash: string };
  /**
   * Names the bootstrap ConfigMap and Job: the bootstrap files (script, plan.env, chain plan) and
   * admin_cli.toml, the only config file the Job reads. Other config changes (e.g. the storage buffer
   * pool, which follows the storage memory limit) leave it, and the finished Job, alone.
   */
  bootstrapHash: string;
}

/**
 * Renders every 3FS file of a stack.
 * @throws Error from the renderers when an input is out of range
 */
export function renderFiles(input: FilesInput): RenderResult {
  const names = objectNames(input.prefix);
  const addresses = mgmtdAddresses({ service: names.mgmtd, namespace: input.namespace });
  const configFiles: Record<string, string> = renderThreeFsConfigs({
    clusterId: input.clusterId,
    mgmtdAddresses: addresses,
    disksPerNode: input.storage.disksPerNode,
    // The buffer pool is pinned at start-up, so it must fit in the container's limit, not its request.
    storageMemoryBytes: quantityToBytes(input.storage.resources.limits.memory),
    monitorCollector: input.monitorCollector,
    mountpoint: input.fuse.mountPath,
  });
  const hashes = configHashes(configFiles);
  const bootstrapInput = {
    chains: input.chains.placement,
    replicas: input.chains.replicas,
    targetsPerDisk: input.chains.targetsPerDisk,
    stripeSize: input.chains.stripeSize,
    chunkSize: input.chains.chunkSizeBytes,
    disksPerNode: input.storage.disksPerNode,
    storageNodes: input.storage.nodes,
    storageNodeIds: idsOfSets(input.storage.sets, input.storage.nodes),
    clusterId: input.clusterId,
    desc: input.chains.desc ?? input.prefix,
    // Same rule as the policy pack: only dev may run chains without a second replica.
    minReplicas: input.profile === "dev" ? 1 : 2,
    tenants: (input.tenants ?? []).map((t) => ({ name: t.name, uid: t.uid, gid: t.gid, directory: t.directory, mode: t.mode })),
  };
  const bootstrap = renderBootstrap(bootstrapInput);
  const migrate = renderMigrate(bootstrapInput, { maxSyncsPerNode: input.operations?.maxSyncsPerNode, heads: input.operations?.balanceHeads });
  const replaceNodes = input.operations?.replace ?? [];
  const replace = replaceNodes.length > 0 ? renderReplace({ namespace: input.namespace, statefulSet: names.storage, nodes: replaceNodes, placement: bootstrapInput }) : undefined;
  const ids = (base: number, n: number) => Array.from({ length: n }, (_, i) => base + i);
  const check = renderCheck({
    namespace: input.namespace,
    mgmtdIds: ids(NODE_ID_BASE.mgmtd, input.mgmtd.replicas),
    metaIds: ids(NODE_ID_BASE.meta, input.meta.replicas),
    storageIds: idsOfSets(input.storage.sets, input.storage.nodes),
    chains: input.chains.placement.length * input.storage.disksPerNode,
    pools: input.check.pools,
    fuseSelector: selectorLabels(input.prefix, "fuse"),
    clientSelector: input.check.clientSelector,
    mountPath: input.fuse.mountPath,
    writeMiB: input.check.writeMiB,
    placement: bootstrapInput,
  });
  return {
    check,
    migrate: { files: migrate.files, hash: contentHash({ migrate: migrate.hash, adminCliConfig: hashes["admin-cli"] }) },
    replace: replace && { files: replace.files, hash: contentHash({ replace: replace.hash, adminCliConfig: hashes["admin-cli"] }) },
    files: {
      configFiles,
      args: {
        mgmtd: serviceArgs("mgmtd"),
        meta: serviceArgs("meta"),
        storage: serviceArgs("storage"),
        fuse: fuseArgs(),
      },
      nodeIdEnv: NODE_ID_ENV,
      bootstrapFiles: bootstrap.files,
      checkFiles: check.files,
      migrateFiles: migrate.files,
      replaceFiles: replace?.files,
      // bootstrap.sh reads plan.env beside itself and needs no environment.
      bootstrapEnv: [],
    },
    configHashes: hashes,
    bootstrapHash: contentHash({ bootstrap: bootstrap.hash, adminCliConfig: hashes["admin-cli"] }),
  };
}

/** Everything of ThreeFsArgs the builders need, Inputs resolved (see the ThreeFs component). */
export interface ResolvedArgs extends FilesInput {
  images: ImageSettings;
  layout: WorkloadInput["layout"];
  mgmtd: { replicas: number; resources: Resources };
  meta: { replicas: number; resources: Resources };
  storage: { nodes: number; disksPerNode: number; diskSizeGiB: number; storageClassName: string; resources: Resources };
  fuse: { mountPath: string; resources: Resources };
  adminCli: { resources: Resources };
  fdbClusterFileConfigMap: string;
  smokeTest: { enabled: boolean; fio: boolean; fioImage?: string };
  /** How the RDMA pods without host needs run (default privileged, as Alibaba's chart). */
  security?: { rdmaPods: RdmaPodSecurity };
  protect: boolean;
  labels?: Record<string, string>;
}

/** The builders' input and the rendered files for resolved ThreeFs arguments. */
export function planInput(args: ResolvedArgs): { input: WorkloadInput; rendered: RenderResult } {
  const names = objectNames(args.prefix);
  const rendered = renderFiles(args);
  const input: WorkloadInput = {
    prefix: args.prefix,
    namespace: args.namespace,
    profile: args.profile,
    clusterId: args.clusterId,
    images: args.images,
    layout: args.layout,
    mgmtd: args.mgmtd,
    meta: args.meta,
    storage: args.storage,
    fuse: args.fuse,
    adminCli: args.adminCli,
    fdbClusterFileConfigMap: args.fdbClusterFileConfigMap,
    tokenSecretName: names.token,
    tenantTokensSecretName: (args.tenants ?? []).length > 0 ? names.tenantTokens : undefined,
    configMaps: configMapNames(args.prefix, rendered.files.configFiles),
    bootstrap: { configMapName: names.bootstrap(rendered.bootstrapHash), hash: rendered.bootstrapHash },
    check: { configMapName: names.check(rendered.check.hash), hash: rendered.check.hash, onClient: Object.keys(args.check.clientSelector).length > 0 },
    smokeTest: args.smokeTest,
    rdmaPods: args.security?.rdmaPods ?? "privileged",
    operations: { replicas: args.chains.replicas, replace: [...(args.operations?.replace ?? [])] },
    labels: args.labels ?? {},
  };
  return { input, rendered };
}

/** The root user's token from the base64 of 8 random bytes (uid 0). */
export function threeFsToken(randomBytesBase64: string): string {
  return tokenFromRandomBytesBase64(randomBytesBase64, 0);
}
