/**
 * Container arguments of the 3FS processes. They are arguments of the 3FS binary itself (mgmtd_main,
 * meta_main, storage_main, hf3fs_fuse_main, admin_cli), to follow the binary in the container spec.
 *
 * Conventions the workloads must follow:
 * - the config ConfigMap (renderThreeFsConfigs) is mounted at CONFIG_DIR;
 * - server containers set env NODE_ID_ENV from the `apps.kubernetes.io/pod-index` label; the kubelet
 *   expands `$(NODE_ID)` in the args (a StatefulSet with `ordinals.start` = NODE_ID_BASE[service]);
 * - FUSE mounts the token Secret at TOKEN_DIR (the launcher file points at TOKEN_FILE).
 *
 * How 3FS reads them (3FS `ConfigBase.cc`, `app/Utils.cc`): `--cfg` / `--launcher_cfg` are gflags file
 * paths; `--launcher_config.<key>=<v>` and `--app_config.<key>=<v>` override single keys, the value being
 * TOML (strings unquoted: 3FS wraps string-typed keys in `"""…"""` itself; arrays as TOML arrays).
 *
 * Pure module: no cloud SDK imports.
 */
import { CONFIG_DIR, NODE_ID_ENV, type ThreeFsService } from "./constants";
import { validateClusterId, type ThreeFsConfigFileName } from "./toml";

/** Per-cluster launcher settings passed as flags. */
export interface LauncherFlagsInput {
  /** 3FS cluster id (validateClusterId). */
  clusterId: string;
  /** mgmtd addresses (mgmtdAddresses()); ignored for mgmtd, whose launcher has no mgmtd client. */
  mgmtdAddresses: string[];
}


/** Absolute path of a rendered config file inside the containers. */
export function configPath(file: ThreeFsConfigFileName): string {
  return `${CONFIG_DIR}/${file}`;
}

/**
 * A TOML array of strings for a flag value. The addresses are validated to [A-Za-z0-9.:/-], so JSON's
 * string syntax is also TOML's basic-string syntax.
 */
function tomlStringArray(values: string[]): string {
  for (const v of values) {
    if (!/^[A-Za-z0-9.:/-]+$/.test(v)) throw new Error(`mgmtd address "${v}" has characters a flag value cannot carry`);
  }
  return JSON.stringify(values);
}

function checkInput(input: LauncherFlagsInput, needsMgmtd: boolean): void {
  const problem = validateClusterId(input.clusterId);
  if (problem) throw new Error(`cluster id ${problem}`);
  if (needsMgmtd && input.mgmtdAddresses.length === 0) throw new Error("at least one mgmtd address is needed");
}

/**
 * Args of a 3FS server container: its launcher and main config files, the cluster id, the mgmtd
 * addresses (meta and storage; mgmtd finds its peers through FDB) and the node id from NODE_ID_ENV.
 * @example serviceArgs("storage", { clusterId: "c", mgmtdAddresses: ["RDMA://m-1.m.ns.svc.cluster.local:8000"] })
 * // ["--launcher_cfg=/etc/3fs/storage_main_launcher.toml", "--cfg=/etc/3fs/storage_main.toml",
 * //  "--launcher_config.cluster_id=c", "--launcher_config.mgmtd_client.mgmtd_server_addresses=[\"RDMA://…\"]",
 * //  "--app_config.node_id=$(NODE_ID)"]
 */
export function serviceArgs(service: ThreeFsService, input: LauncherFlagsInput): string[] {
  checkInput(input, service !== "mgmtd");
  const args = [
    `--launcher_cfg=${configPath(`${service}_main_launcher.toml`)}`,
    `--cfg=${configPath(`${service}_main.toml`)}`,
    `--launcher_config.cluster_id=${input.clusterId}`,
  ];
  if (service !== "mgmtd") args.push(`--launcher_config.mgmtd_client.mgmtd_server_addresses=${tomlStringArray(input.mgmtdAddresses)}`);
  args.push(`--app_config.node_id=$(${NODE_ID_ENV})`);
  return args;
}

/**
 * Args of the FUSE client (hf3fs_fuse_main): launcher and main files, cluster id (which is also the
 * file system name) and mgmtd addresses. Mount point and token file are in its launcher file. FUSE
 * has no node id.
 */
export function fuseArgs(input: LauncherFlagsInput): string[] {
  checkInput(input, true);
  return [
    `--launcher_cfg=${configPath("hf3fs_fuse_main_launcher.toml")}`,
    `--cfg=${configPath("hf3fs_fuse_main.toml")}`,
    `--launcher_config.cluster_id=${input.clusterId}`,
    `--launcher_config.mgmtd_client.mgmtd_server_addresses=${tomlStringArray(input.mgmtdAddresses)}`,
  ];
}

/**
 * Args of an admin_cli container. Everything, the cluster id included, is in admin_cli.toml. The token is
 * deliberately not an option here: on a command line (`--config.user_info.token=…`) it is readable from
 * /proc by anything with host PID access, so tools that need it write a private config file with a
 * `[user_info]` table instead (the bootstrap script and the admin-cli pod do).
 */
export function adminCliArgs(): string[] {
  return [`--cfg=${configPath("admin_cli.toml")}`];
}
