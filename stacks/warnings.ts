/**
 * Warnings: valid configurations that are likely to hurt. `index.ts` reports them with `pulumi.log.warn`
 * (shown by `pulumi preview` and by the offline plan); they never block a deployment.
 *
 * Pure module: no cloud SDK imports.
 */
import { fitWarnings } from "../lib/nodepools/fit";
import type { StackConfig } from "./config";

/** Registries that serve from outside mainland China; pulls from `cn-*` VPCs are slow or fail. */
const OFFSHORE_REGISTRIES = ["ghcr.io", "docker.io", "registry-1.docker.io", "quay.io"];

/** The registry host of an image or registry prefix (`foundationdb` alone means Docker Hub). */
export function registryHost(ref: string): string {
  const first = ref.split("/")[0];
  return ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
}

/** One line per warning. */
export function configWarnings(cfg: StackConfig): string[] {
  const out: string[] = [];
  const pinned = ["mgmtd", "meta", "storage", "fuse", "admin-cli", ...(cfg.monitoring.enabled && !cfg.monitoring.images.exporter ? ["init"] : [])];
  if (cfg.images.tag === "main" && pinned.some((c) => !(c in cfg.images.digests))) {
    out.push(`threefs:images.tag is the moving branch tag 'main' and not every image has a digest in threefs:images.digests (${pinned.join(", ")}): nodes may run different 3FS builds; pin digests (the policy pack requires them in prod)`);
  }
  if (cfg.region.startsWith("cn-")) {
    const refs: Record<string, string> = { "threefs:images.registry": cfg.images.registry, "threefs:fdb.imageRegistry": `${cfg.fdb.imageRegistry}/fdb`, "threefs:fdb.operatorImage": cfg.fdb.operatorImage };
    if (cfg.monitoring.enabled) {
      for (const [k, v] of Object.entries(cfg.monitoring.images)) if (v !== undefined && k !== "exporter") refs[`threefs:monitoring.images.${k}`] = v;
    }
    for (const [key, ref] of Object.entries(refs)) {
      const host = registryHost(ref);
      // A registry with a configured mirror is pulled through the mirror (containerd hosts.toml).
      const mirrored = cfg.nodePools.registryMirrors.some((m) => [host, host === "docker.io" ? "registry-1.docker.io" : host].includes(m.split("=")[0]));
      if (OFFSHORE_REGISTRIES.includes(host) && !mirrored) {
        out.push(`${key}: images come from ${host}, which is often slow or unreachable from ${cfg.region}; mirror them to ACR (Container Registry) and point this key at the mirror, or add a mirror for ${host} to threefs:nodePools.registryMirrors`);
      }
    }
  }
  out.push(...fitWarnings(cfg));
  return out;
}
