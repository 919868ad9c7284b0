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
 * Everything per cluster (cluster id, mgmtd addresses) is in the rendered files, so a reviewer sees it in
 * the ConfigMap diff; only the node id, which differs per pod, is a flag. How 3FS reads them: `--cfg` /
 * `--launcher_cfg` are gflags file paths; `--app_config.<key>=<v>` overrides one key of the app config,
 * the value parsed as TOML (the same per-key update as `--config.` flags, src/common/utils/ConfigBase.cc:104-130).
 *
 * Pure module: no cloud SDK imports.
 */
import { CONFIG_DIR, NODE_ID_ENV, type ThreeFsService } from "./constants";
import type { ThreeFsConfigFileName } from "./toml";

/** Absolute path of a rendered config file inside the containers. */
export function configPath(file: ThreeFsConfigFileName): string {
  return `${CONFIG_DIR}/${file}`;
}

/**
 * Args of a 3FS server container: its launcher and main config files and the node id from NODE_ID_ENV.
 * @example serviceArgs("storage")
 * // ["--launcher_cfg=/etc/3fs/storage_main_launcher.toml", "--cfg=/etc/3fs/storage_main.toml",
 * //  "--app_config.node_id=$(NODE_ID)"]
 */
export function serviceArgs(service: ThreeFsService): string[] {
  return [`--launcher_cfg=${configPath(`${service}_main_launcher.toml`)}`, `--cfg=${configPath(`${service}_main.toml`)}`, `--app_config.node_id=$(${NODE_ID_ENV})`];
}

/** Args of the FUSE client (hf3fs_fuse_main): launcher and main files. FUSE has no node id. */
export function fuseArgs(): string[] {
  return [`--launcher_cfg=${configPath("hf3fs_fuse_main_launcher.toml")}`, `--cfg=${configPath("hf3fs_fuse_main.toml")}`];
}

/**
 * Args of an admin_cli container. Everything, the cluster id included, is in admin_cli.toml. The token is
 * deliberately not an option here: on a command line (`--config.user_info.token=…`) it is readable from
 * /proc by anything with host PID access, so tools that need it write a private config file with the
 * token in its `[user_info]` table instead (the bootstrap script and the admin-cli pod do).
 */
export function adminCliArgs(): string[] {
  return [`--cfg=${configPath("admin_cli.toml")}`];
}
