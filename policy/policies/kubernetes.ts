/**
 * Kubernetes workload policies: image pinning, placement of the 3FS storage pods and which
 * containers may run privileged.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type Profile, COMPONENT_LABEL, TYPES, arr, configWithDefaults, isThreefsComponent, k8sName, labelsOf, rec, resolveProfile, str } from "./common";
import { containersOf, isDigest, parseImage, podSpecOf, selectorMatches } from "./k8s";

/** Config of {@link imagesPinned}. */
export interface ImagesPinnedConfig {
  /** Tags that move and therefore do not pin an image (compared case-insensitively), in every profile. */
  forbiddenTags: string[];
  /** Further moving tags refused in prod only: branch tags such as `main`, the only tag Alibaba publishes
   * for its 3FS images. dev/staging may run them while digests are being resolved; prod may not. */
  prodForbiddenTags: string[];
  /** Overrides the resource's profile (tag/label/stack name). */
  profile?: Profile;
  /** Require a digest (`@sha256:…`) on every image, not just a fixed tag. */
  requireDigest: boolean;
}

/**
 * `threefs-images-pinned` — every container image (containers, initContainers,
 * ephemeralContainers of Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs)
 * must carry a fixed tag that is not `latest`/`dev` (nor, in prod, a branch tag `main`/`master`), or a
 * digest. An untagged reference is an
 * implicit `:latest` and fails. Registry ports are not tags (`registry:5000/img` is untagged).
 *
 * Why: a moving tag makes a storage-node restart silently upgrade 3FS — mixed versions inside one
 * replication chain — and makes `pulumi preview` lie about what will run.
 */
export function imagesPinned(): ResourceValidationPolicy {
  // `main`/`master` are branch tags: Alibaba's 3FS images are published only as `main`, which moves
  // with every commit, so prod needs digests (threefs:images.digests).
  const defaults: ImagesPinnedConfig = { forbiddenTags: ["latest", "dev"], prodForbiddenTags: ["main", "master"], requireDigest: false };
  return {
    name: "threefs-images-pinned",
    description: "Container images must be pinned to a fixed tag (not latest/dev; in prod not main/master) or a digest.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
      properties: {
        forbiddenTags: { type: "array", items: { type: "string" }, default: defaults.forbiddenTags },
        prodForbiddenTags: { type: "array", items: { type: "string" }, default: defaults.prodForbiddenTags },
        profile: { type: "string", enum: ["dev", "staging", "prod"] },
        requireDigest: { type: "boolean", default: defaults.requireDigest },
      },
    },
    remediationSteps: "Use an immutable version tag (e.g. `:v1.2.3`) or a digest (`@sha256:…`).",
    validateResource: (args, reportViolation) => {
      const podSpec = podSpecOf(args.type, args.props);
      if (podSpec === undefined) return args.notApplicable("resource has no pod spec");
      const config = configWithDefaults(args, defaults);
      const prod = resolveProfile(args, config) === "prod";
      const forbidden = new Set([...config.forbiddenTags, ...(prod ? config.prodForbiddenTags : [])].map((t) => t.toLowerCase()));
      const owner = `${args.props.kind ?? args.type} '${k8sName(args.props, args.name)}'`;
      for (const c of containersOf(podSpec)) {
        const where = `${owner} ${c.list}[${c.index}] '${c.name}'`;
        const image = str(c.container.image);
        if (!image) {
          reportViolation(`${where}: image is not set.`);
          continue;
        }
        const ref = parseImage(image);
        if (ref.digest !== undefined) {
          if (!isDigest(ref.digest)) reportViolation(`${where}: image '${image}' has a malformed digest.`);
          continue; // a digest pins the content whatever the tag says
        }
        if (config.requireDigest) {
          reportViolation(`${where}: image '${image}' has no digest; this stack requires @sha256:… digests.`);
        } else if (ref.tag === undefined || ref.tag === "") {
          reportViolation(`${where}: image '${image}' has no tag (implicitly :latest); pin a version tag or digest.`);
        } else if (forbidden.has(ref.tag.toLowerCase())) {
          reportViolation(`${where}: image '${image}' uses the moving tag ':${ref.tag}'; pin a version tag or digest.`);
        }
      }
    },
  };
}

/** The topology key that spreads pods over distinct nodes. */
export const HOSTNAME_TOPOLOGY_KEY = "kubernetes.io/hostname";

/**
 * `threefs-storage-anti-affinity` — the 3FS storage StatefulSet (labels
 * `app.kubernetes.io/name: 3fs`, `app.kubernetes.io/component: storage`) must have a *required*
 * pod anti-affinity term with topologyKey `kubernetes.io/hostname` whose labelSelector selects
 * the StatefulSet's own pods.
 *
 * Why: 3FS chain replication places the replicas of a chain on different storage nodes; two
 * storage pods on one host would let one host failure take out several replicas of the same
 * chain. "Preferred" anti-affinity is not enough — the scheduler may ignore it under pressure.
 */
export function storageAntiAffinity(): ResourceValidationPolicy {
  return {
    name: "threefs-storage-anti-affinity",
    description: "The 3FS storage StatefulSet must require pod anti-affinity on kubernetes.io/hostname.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Add spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution " +
      "with topologyKey kubernetes.io/hostname and a labelSelector matching the storage pod labels.",
    validateResource: (args, reportViolation) => {
      if (args.type !== TYPES.statefulSet || !isThreefsComponent(args.props, "storage")) {
        return args.notApplicable("only applies to the 3FS storage StatefulSet");
      }
      const name = k8sName(args.props, args.name);
      const template = rec(rec(args.props.spec).template);
      const podLabels = rec(rec(template.metadata).labels);
      const terms = arr(
        rec(rec(rec(template.spec).affinity).podAntiAffinity).requiredDuringSchedulingIgnoredDuringExecution,
      ).map(rec);
      const hostTerms = terms.filter((t) => t.topologyKey === HOSTNAME_TOPOLOGY_KEY);
      if (hostTerms.length === 0) {
        reportViolation(
          `StatefulSet '${name}': spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution ` +
            `has no term with topologyKey '${HOSTNAME_TOPOLOGY_KEY}'; storage pods could share a node.`,
        );
        return;
      }
      if (!hostTerms.some((t) => selectorMatches(t.labelSelector, podLabels))) {
        reportViolation(
          `StatefulSet '${name}': the required anti-affinity term on '${HOSTNAME_TOPOLOGY_KEY}' has a labelSelector ` +
            "that does not select the StatefulSet's own pod labels (spec.template.metadata.labels), so it spreads nothing.",
        );
      }
    },
  };
}

/** One entry of the privileged-container allow-list. */
export interface PrivilegedAllowance {
  /** Container name (containers or initContainers). */
  container: string;
  /** Why the container cannot work unprivileged; shown in reviews, required. */
  reason: string;
  /** Optional: only when the workload's `app.kubernetes.io/component` label equals this. */
  component?: string;
}

/** The containers of the program that legitimately run privileged, each with its reason. */
export const PRIVILEGED_ALLOWLIST: readonly PrivilegedAllowance[] = [
  {
    container: "fuse",
    reason:
      "3FS FUSE client: opens /dev/fuse and mounts the file system into a hostPath with mountPropagation " +
      "Bidirectional, which Kubernetes only permits for privileged containers.",
  },
  {
    container: "storage",
    reason:
      "3FS storage service: storage_main runs blkid/lsblk to map each target directory to its elastic " +
      "ephemeral disk; those devices are not in an unprivileged container's /dev and a device cgroup rule " +
      "cannot name them in advance.",
  },
  ...["mgmtd", "meta", "admin-cli", "bootstrap", "check"].map((container) => ({
    container,
    reason:
      "3FS RDMA process (threefs:security.rdmaPods = privileged, the default): every Alibaba artefact runs " +
      "these pods privileged, and a failed IB start is fatal to the process (alibabacloud-3FS " +
      "src/core/app/ServerLauncher.h:41-42). Set rdmaPods = capabilities to run them unprivileged.",
  })),
  ...["monitor-collector", "chain-exporter"].map((container) => ({
    container,
    reason:
      "3FS monitor collector / chain-health exporter (threefs:monitoring, rdmaPods = privileged): " +
      "monitor_collector_main and admin_cli start IBManager and abort without a usable RDMA device " +
      "(alibabacloud-3FS src/common/app/OnePhaseApplication.h:83-84, src/client/bin/admin_cli.cc:105-107).",
  })),
  {
    container: "node-tuning",
    reason:
      "Init container raising the host sysctl fs.aio-max-nr for 3FS's libaio/io_uring I/O; the sysctl is " +
      "not namespaced, so securityContext.sysctls cannot set it.",
  },
];

/** Config of {@link privilegedAllowlist}. */
export interface PrivilegedConfig {
  allowed: PrivilegedAllowance[];
}

/** True when a container's securityContext makes it privileged (or equivalent: all capabilities). */
export function isPrivileged(container: Record<string, unknown>): boolean {
  const sc = rec(container.securityContext);
  if (sc.privileged === true) return true;
  return arr(rec(sc.capabilities).add).some((cap) => typeof cap === "string" && cap.toUpperCase() === "ALL");
}

/**
 * `threefs-privileged-allowlist` — only allow-listed containers may set
 * `securityContext.privileged: true` (or add capability ALL). The allow-list is a typed table with
 * a reason per entry ({@link PRIVILEGED_ALLOWLIST}), replaceable through the `allowed` config.
 *
 * Why: a privileged container owns the node. The 3FS data path needs a few (FUSE mounts, raw
 * disk access, a host sysctl); anything else privileged is a mistake or a copy-paste.
 */
export function privilegedAllowlist(): ResourceValidationPolicy {
  const defaults: PrivilegedConfig = { allowed: PRIVILEGED_ALLOWLIST.map((a) => ({ ...a })) };
  return {
    name: "threefs-privileged-allowlist",
    description: "Only allow-listed containers (the 3FS data path and RDMA processes) may run privileged.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
      properties: {
        allowed: {
          type: "array",
          items: {
            type: "object",
            properties: {
              container: { type: "string", minLength: 1 },
              reason: { type: "string", minLength: 10 },
              component: { type: "string" },
            },
            required: ["container", "reason"],
          },
          default: defaults.allowed,
        },
      },
    },
    remediationSteps:
      "Drop privileged and grant only the capabilities needed, or add the container to the allow-list with a reason.",
    validateResource: (args, reportViolation) => {
      const podSpec = podSpecOf(args.type, args.props);
      if (podSpec === undefined) return args.notApplicable("resource has no pod spec");
      const { allowed } = configWithDefaults(args, defaults);
      const component = str(labelsOf(args.props)[COMPONENT_LABEL]);
      const owner = `${args.props.kind ?? args.type} '${k8sName(args.props, args.name)}'`;
      for (const c of containersOf(podSpec)) {
        if (!isPrivileged(c.container)) continue;
        const ok = allowed.some((a) => a.container === c.name && (a.component === undefined || a.component === component));
        if (!ok) {
          reportViolation(
            `${owner} ${c.list}[${c.index}] '${c.name}' runs privileged (securityContext) but is not in the ` +
              `privileged allow-list (${allowed.map((a) => a.container).join(", ") || "empty"}).`,
          );
        }
      }
    },
  };
}

/** All Kubernetes workload policies, in pack order. */
export const kubernetesPolicies: ResourceValidationPolicy[] = [imagesPinned(), storageAntiAffinity(), privilegedAllowlist()];
