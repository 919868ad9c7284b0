/**
 * Properties of the 3FS objects that other parts of the program (TOML files, chain table, policy pack)
 * rely on, checked on the dev and prod inputs and on random sizes.
 */
import fc from "fast-check";
import { parse } from "smol-toml";
import { BOOTSTRAP_DIR, ERDMA_RESOURCE, NODE_ID_BASE, NODE_ID_ENV, PORTS, TOKEN_FILE, type ThreeFsService } from "../../lib/threefs/constants";
import { isDns1123Label } from "../../lib/k8s/threefs/names";
import { POD_INDEX_LABEL } from "../../lib/k8s/threefs/statefulSets";
import { BOOTSTRAP_DEADLINE_SECONDS } from "../../lib/k8s/threefs/jobs";
import { CHECK_DEADLINE_SECONDS, CHECK_DIR } from "../../lib/threefs/check";
import { buildWorkloads } from "../../lib/k8s/threefs/manifests";
import { planInput } from "../../lib/k8s/threefs/render";
import { DIGESTS, build, containersOf, devArgs, objects, prodArgs, ringPairs } from "./fixtures";
import { chainsFromGroups } from "../../lib/threefs/placementLock";

const SERVICES: ThreeFsService[] = ["mgmtd", "meta", "storage"];
const COMPONENTS = new Set(["mgmtd", "meta", "storage", "fuse", "admin-cli", "bootstrap", "check", "fio", "migrate", "roll", "replace", "target-health"]);

describe.each([
  ["dev", devArgs],
  ["prod", prodArgs],
])("%s", (_name, argsOf) => {
  const args = argsOf();
  const { workloads: w, configFiles } = build(args);

  test("StatefulSets: ordinals start at the node-id base, node id from the pod-index label, real serviceName", () => {
    for (const s of SERVICES) {
      const sts = w.statefulSets[s];
      expect(sts.spec.ordinals.start).toBe(NODE_ID_BASE[s]);
      expect(sts.spec.podManagementPolicy).toBe("Parallel");
      expect(sts.spec.serviceName).toBe(w.services[s].metadata.name);
      expect(w.services[s].spec.selector).toEqual(sts.spec.selector.matchLabels);
      const c = sts.spec.template.spec.containers[0];
      expect(c.env).toContainEqual({ name: NODE_ID_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${POD_INDEX_LABEL}']` } } });
      expect(c.args).toContain(`--app_config.node_id=$(${NODE_ID_ENV})`);
      expect(c.readinessProbe?.tcpSocket?.port).toBe(PORTS[s].tcp);
      expect(c.livenessProbe).toBeDefined();
      expect(c.startupProbe).toBeDefined();
      expect(w.disruptionBudgets[s].spec).toEqual({ maxUnavailable: 1, selector: sts.spec.selector });
    }
    expect(w.statefulSets.storage.spec.replicas).toBe(args.storage.nodes);
    expect(w.statefulSets.mgmtd.spec.replicas).toBe(args.mgmtd.replicas);
    expect(w.services.mgmtd.spec.publishNotReadyAddresses).toBe(true);
    expect(w.services.storage.spec.publishNotReadyAddresses).toBe(false);
  });

  test("storage disks: one claim per disk on the EED class, mounted at storage_main.toml's target_paths", () => {
    const sts = w.statefulSets.storage;
    const claims = sts.spec.volumeClaimTemplates ?? [];
    expect(claims.map((c) => c.metadata.name)).toEqual(Array.from({ length: args.storage.disksPerNode }, (_, i) => `data${i}`));
    for (const c of claims) {
      expect(c.spec.storageClassName).toBe(args.storage.storageClassName);
      expect(c.spec.resources.requests.storage).toBe(`${args.storage.diskSizeGiB}Gi`);
    }
    const toml = parse(configFiles["storage_main.toml"]) as { server: { targets: { target_paths: string[] } } };
    const mounts = sts.spec.template.spec.containers[0].volumeMounts ?? [];
    const dataMounts = claims.map((c) => mounts.find((m) => m.name === c.metadata.name)?.mountPath);
    expect(dataMounts).toEqual(toml.server.targets.target_paths);
  });

  test("storage: required host anti-affinity selecting its own pods; node-tuning raises aio-max-nr first", () => {
    const spec = w.statefulSets.storage.spec.template.spec;
    const terms = spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    expect(terms).toHaveLength(1);
    expect(terms[0].topologyKey).toBe("kubernetes.io/hostname");
    const podLabels = w.statefulSets.storage.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(terms[0].labelSelector.matchLabels)) expect(podLabels[k]).toBe(v);
    expect(spec.initContainers?.map((c) => c.name)).toEqual(["node-tuning"]);
    expect(spec.initContainers?.[0].command?.join(" ")).toContain("67108864 > /proc/sys/fs/aio-max-nr");
  });

  test("every object carries the 3FS labels the policy pack reads", () => {
    for (const o of objects(args)) {
      const labels = (o.metadata as { labels: Record<string, string> }).labels;
      expect(labels["app.kubernetes.io/name"]).toBe("3fs");
      expect(COMPONENTS.has(labels["app.kubernetes.io/component"])).toBe(true);
      expect(labels["threefs.io/profile"]).toBe(args.profile);
      expect(isDns1123Label((o.metadata as { name: string }).name)).toBe(true);
    }
  });

  test.each([
    ["privileged", /^(fuse|storage|node-tuning|mgmtd|meta|admin-cli|bootstrap|check|migrate|roll|replace|target-health)$/],
    ["capabilities", /^(fuse|storage|node-tuning)$/],
  ] as const)("containers (rdmaPods %s): pinned images pulled IfNotPresent; privileged only as allowed; eRDMA for 3FS processes", (mode, privileged) => {
    for (const o of objects({ ...args, security: { rdmaPods: mode } })) {
      for (const { owner, container } of containersOf(o)) {
        expect(container.image).toMatch(/:main@sha256:[0-9a-f]{64}$/);
        const imageOf: Record<string, string> = { "node-tuning": "storage", bootstrap: "admin-cli", check: "init", fio: "fuse", migrate: "admin-cli", roll: "init", replace: "init", "target-health": "init" };
        expect(container.image).toContain(`/3fs-${imageOf[container.name] ?? container.name}:main@${DIGESTS[(imageOf[container.name] ?? container.name) as keyof typeof DIGESTS]}`);
        expect(container.imagePullPolicy).toBe("IfNotPresent");
        if (container.securityContext?.privileged) expect([owner, container.name]).toEqual([owner, expect.stringMatching(privileged)]);
        else if (["mgmtd", "meta", "admin-cli", "bootstrap", "check", "migrate", "roll", "replace", "target-health"].includes(container.name)) {
          expect([owner, container.name, container.securityContext?.capabilities?.add]).toEqual([owner, container.name, ["IPC_LOCK", "SYS_RESOURCE"]]);
        }
        const rdma = ["mgmtd", "meta", "storage", "fuse", "admin-cli", "bootstrap", "check", "migrate", "roll", "replace", "target-health"].includes(container.name);
        expect(container.resources?.requests[ERDMA_RESOURCE]).toBe(rdma ? "1" : undefined);
        expect(container.resources?.limits[ERDMA_RESOURCE]).toBe(rdma ? "1" : undefined);
      }
    }
  });

  test("FUSE: hostPath mount point with Bidirectional propagation, preStop unmount, token at TOKEN_FILE", () => {
    const pod = w.fuse.spec.template.spec;
    const c = pod.containers[0];
    expect(pod.volumes).toContainEqual({ name: "mnt", hostPath: { path: args.fuse.mountPath, type: "DirectoryOrCreate" } });
    expect(c.volumeMounts).toContainEqual({ name: "mnt", mountPath: args.fuse.mountPath, mountPropagation: "Bidirectional" });
    expect(c.lifecycle?.preStop?.exec.command.join(" ")).toContain(`umount -l ${args.fuse.mountPath}`);
    const launcher = parse(configFiles["hf3fs_fuse_main_launcher.toml"]) as { mountpoint: string; token_file: string };
    expect(launcher.mountpoint).toBe(args.fuse.mountPath);
    const tokenMount = c.volumeMounts?.find((m) => m.name === "token");
    const tokenItem = pod.volumes?.find((v) => v.name === "token")?.secret?.items?.[0];
    expect(`${tokenMount?.mountPath}/${tokenItem?.path}`).toBe(TOKEN_FILE);
    expect(launcher.token_file).toBe(TOKEN_FILE);
    expect(pod.nodeSelector).toEqual({ "threefs.io/client": "true" });
  });

  test("bootstrap: Job and ConfigMap named by the hash, script from BOOTSTRAP_DIR, no TTL", () => {
    const job = w.bootstrapJob;
    const hash = job.metadata.name.split("-").pop()!;
    expect(w.bootstrapConfigMap.metadata.name.endsWith(hash)).toBe(true);
    expect(w.bootstrapConfigMap.metadata.labels?.["app.kubernetes.io/component"]).toBe("bootstrap");
    expect(Object.keys(w.bootstrapConfigMap.data).sort()).toEqual(["bootstrap.sh", "chain-plan.json", "chains.sh", "common.sh", "placement.txt", "plan.env", "tenants.sh", "tenants.tsv"]);
    expect(JSON.parse(w.bootstrapConfigMap.data["chain-plan.json"]).replicas).toBe(args.chains.replicas);
    expect(job.spec.template.spec.containers[0].command).toEqual(["/bin/bash", `${BOOTSTRAP_DIR}/bootstrap.sh`]);
    expect(job.spec).not.toHaveProperty("ttlSecondsAfterFinished");
    expect(job.spec.template.spec.restartPolicy).toBe("Never");
  });

  test("config: one ConfigMap per component, each mounted at /etc/3fs by exactly the pods that read it", () => {
    const expected: Record<string, string[]> = {
      mgmtd: ["mgmtd_main.toml", "mgmtd_main_launcher.toml"],
      meta: ["meta_main.toml", "meta_main_launcher.toml"],
      storage: ["storage_main.toml", "storage_main_launcher.toml"],
      fuse: ["hf3fs_fuse_main.toml", "hf3fs_fuse_main_launcher.toml"],
      "admin-cli": ["admin_cli.toml"],
    };
    for (const [c, files] of Object.entries(expected)) {
      const cm = w.configMaps[c as keyof typeof w.configMaps];
      expect(cm.metadata.name).toMatch(new RegExp(`^${args.prefix}-${c}-config-[0-9a-f]{8}$`));
      expect(cm.metadata.labels?.["app.kubernetes.io/component"]).toBe(c);
      expect(Object.keys(cm.data).sort()).toEqual(files.sort());
      for (const f of files) expect(cm.data[f]).toBe(configFiles[f]);
    }
    // Every rendered file is in exactly one ConfigMap.
    expect(Object.values(w.configMaps).flatMap((cm) => Object.keys(cm.data)).sort()).toEqual(Object.keys(configFiles).sort());
    // Each pod's `config` volume names its component's ConfigMap, and a mount of that volume is at /etc/3fs
    // (volume names match the mounts; no pod mounts another component's config).
    const mounted: [string, { spec: { template: { spec: { volumes?: { name: string; configMap?: { name: string } }[]; containers: { volumeMounts?: { name: string; mountPath: string }[] }[] } } } }][] = [
      ["mgmtd", w.statefulSets.mgmtd],
      ["meta", w.statefulSets.meta],
      ["storage", w.statefulSets.storage],
      ["fuse", w.fuse],
      ["admin-cli", w.adminCli],
      ["admin-cli", w.bootstrapJob],
    ];
    for (const [c, obj] of mounted) {
      const pod = obj.spec.template.spec;
      const volumeNames = new Set((pod.volumes ?? []).map((v) => v.name));
      for (const m of pod.containers[0].volumeMounts ?? []) {
        if (!/^data\d+$/.test(m.name)) expect(volumeNames.has(m.name)).toBe(true);
      }
      const config = (pod.volumes ?? []).find((v) => v.name === "config");
      expect(config?.configMap?.name).toBe(w.configMaps[c as keyof typeof w.configMaps].metadata.name);
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: "config", mountPath: "/etc/3fs", readOnly: true });
      const configMapsMounted = (pod.volumes ?? []).filter((v) => v.configMap?.name.includes("-config-")).map((v) => v.configMap!.name);
      expect(configMapsMounted).toEqual([w.configMaps[c as keyof typeof w.configMaps].metadata.name]);
    }
    // Every --cfg/--launcher_cfg file a process is started with is in its own ConfigMap.
    for (const [c, obj] of [["mgmtd", w.statefulSets.mgmtd], ["meta", w.statefulSets.meta], ["storage", w.statefulSets.storage], ["fuse", w.fuse]] as const) {
      const cfgs = (obj.spec.template.spec.containers[0].args ?? []).filter((a) => /^--(launcher_)?cfg=/.test(a)).map((a) => a.split("/").pop()!);
      expect(cfgs.length).toBe(2);
      for (const f of cfgs) expect(Object.keys(w.configMaps[c].data)).toContain(f);
    }
  });

  test("update strategies: everything OnDelete (the roll Job restarts), FUSE not awaited; templates carry their hash; storage gated on its chains", () => {
    expect(w.statefulSets.storage.spec.updateStrategy).toEqual({ type: "OnDelete" });
    expect(w.statefulSets.mgmtd.spec.updateStrategy).toEqual({ type: "OnDelete" });
    expect(w.statefulSets.meta.spec.updateStrategy).toEqual({ type: "OnDelete" });
    const hashes = [w.statefulSets.mgmtd, w.statefulSets.meta, w.statefulSets.storage, w.fuse].map((o) => o.spec.template.metadata.annotations?.["threefs.io/template-hash"]);
    expect(new Set(hashes).size).toBe(4);
    expect(w.dayTwo.roll.configMap.data["plan.env"]).toContain(`HASH_STORAGE=${hashes[2]}\n`);
    expect(w.statefulSets.storage.spec.template.spec.readinessGates).toEqual([{ conditionType: "threefs.io/chains-serving" }]);
    expect(w.statefulSets.mgmtd.spec.template.spec.readinessGates).toBeUndefined();
    expect(w.fuse.spec.updateStrategy).toEqual({ type: "OnDelete" });
    expect(w.fuse.metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
  });

  test("storage claims are retained when the StatefulSet is deleted or scaled down, in every profile", () => {
    expect(w.statefulSets.storage.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
  });

  test("post-deploy check: the init image on a client node with the mount HostToContainer, its own read-only ServiceAccount", () => {
    const { job, cronJob, role, clusterRole, roleBinding, clusterRoleBinding, configMap, serviceAccount } = w.check;
    const pod = job.spec.template.spec;
    const c = pod.containers[0];
    expect(c.image).toMatch(/\/3fs-init:main@sha256:/);
    expect(c.command).toEqual(["/bin/bash", `${CHECK_DIR}/check.sh`]);
    expect(c.volumeMounts).toContainEqual({ name: "mnt", mountPath: args.fuse.mountPath, mountPropagation: "HostToContainer" });
    expect(pod.volumes).toContainEqual({ name: "mnt", hostPath: { path: args.fuse.mountPath, type: "Directory" } });
    expect(pod.nodeSelector).toEqual(w.fuse.spec.template.spec.nodeSelector);
    expect(pod.tolerations).toEqual(w.fuse.spec.template.spec.tolerations);
    expect(pod.serviceAccountName).toBe(serviceAccount.metadata.name);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(serviceAccount.automountServiceAccountToken).toBe(false); // only the check's pod gets the token
    // Read-only, and only what it reads: pods in the namespace, nodes in the cluster.
    expect(role.rules).toEqual([{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }]);
    expect(clusterRole.rules).toEqual([{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "list"] }]);
    expect([roleBinding.roleRef.name, clusterRoleBinding.roleRef.name]).toEqual([role.metadata.name, clusterRole.metadata.name]);
    expect(job.metadata.name).toBe(configMap.metadata.name);
    expect(job.spec.activeDeadlineSeconds).toBe(CHECK_DEADLINE_SECONDS);
    expect(job.spec.backoffLimit).toBe(0);
    expect(cronJob.spec.suspend).toBe(true);
    expect(cronJob.spec.jobTemplate.spec).toEqual(job.spec);
    expect(Object.keys(configMap.data).sort()).toEqual(["chains.sh", "check.sh", "common.sh", "placement.txt", "plan.env", "pools.json"]);
    expect(w.bootstrapJob.spec.activeDeadlineSeconds).toBe(BOOTSTRAP_DEADLINE_SECONDS);
    expect(w.fioJob === undefined).toBe(!args.smokeTest.fio);
  });
});

describe("layouts and changes", () => {
  test("separate layout tolerates each role's taint; combined has none", () => {
    const prod = build(prodArgs()).workloads;
    expect(prod.statefulSets.storage.spec.template.spec.tolerations).toEqual([
      { key: "threefs.io/storage", operator: "Equal", value: "true", effect: "NoSchedule" },
    ]);
    expect(prod.statefulSets.meta.spec.template.spec.tolerations?.[0].key).toBe("threefs.io/meta");
    expect(build(devArgs()).workloads.fuse.spec.template.spec.tolerations).toBeUndefined();
  });

  test("the bootstrap Job name changes with the placement, and only then", () => {
    const a = build(devArgs()).workloads.bootstrapJob.metadata.name;
    const same = build(devArgs({ smokeTest: { enabled: false, fio: false } })).workloads.bootstrapJob.metadata.name;
    const placement = chainsFromGroups(ringPairs(3, 16).reverse());
    const b = build(devArgs({ chains: { ...devArgs().chains, placement } })).workloads.bootstrapJob.metadata.name;
    expect(same).toBe(a);
    expect(b).not.toBe(a);
  });

  test("a storage memory change (buffer pool) touches only the storage ConfigMap and StatefulSet", () => {
    const a = build(devArgs()).workloads;
    const storage = devArgs().storage;
    const b = build(devArgs({ storage: { ...storage, resources: { ...storage.resources, limits: { ...storage.resources.limits, memory: "8Gi" } } } })).workloads;
    expect(b.configMaps.storage.data["storage_main.toml"]).not.toBe(a.configMaps.storage.data["storage_main.toml"]);
    expect(b.configMaps.storage.metadata.name).not.toBe(a.configMaps.storage.metadata.name);
    for (const c of ["mgmtd", "meta", "fuse", "admin-cli"] as const) expect(b.configMaps[c]).toEqual(a.configMaps[c]);
    expect(b.statefulSets.mgmtd).toEqual(a.statefulSets.mgmtd);
    expect(b.statefulSets.meta).toEqual(a.statefulSets.meta);
    expect(b.fuse).toEqual(a.fuse);
    expect(b.adminCli).toEqual(a.adminCli);
    expect(b.bootstrapJob).toEqual(a.bootstrapJob);
    expect(b.bootstrapConfigMap).toEqual(a.bootstrapConfigMap);
    expect(b.check).toEqual(a.check);
  });

  test("a FUSE-only config change touches only the FUSE ConfigMap and DaemonSet", () => {
    const a = build(devArgs()).workloads;
    const c = build(devArgs({ fuse: { ...devArgs().fuse, mountPath: "/data/3fs" } })).workloads;
    expect(c.configMaps.fuse.metadata.name).not.toBe(a.configMaps.fuse.metadata.name);
    for (const k of ["mgmtd", "meta", "storage", "admin-cli"] as const) expect(c.configMaps[k]).toEqual(a.configMaps[k]);
    expect(c.statefulSets).toEqual(a.statefulSets);
    expect(c.bootstrapJob).toEqual(a.bootstrapJob);
  });

  test("another mgmtd replica changes no config file: every process finds mgmtd through the Service name", () => {
    const a = build(devArgs()).workloads;
    const b = build(devArgs({ mgmtd: { ...devArgs().mgmtd, replicas: 3 } })).workloads;
    expect(b.configMaps).toEqual(a.configMaps);
    expect(b.bootstrapJob).toEqual(a.bootstrapJob);
    expect(b.statefulSets.mgmtd.spec.replicas).toBe(3);
  });

  test("the bootstrap Job name follows admin_cli.toml too (cluster id), with its ConfigMap", () => {
    const a = build(devArgs()).workloads;
    const b = build(devArgs({ clusterId: "threefs-other" })).workloads;
    expect(b.configMaps["admin-cli"].metadata.name).not.toBe(a.configMaps["admin-cli"].metadata.name);
    expect(b.bootstrapJob.metadata.name).not.toBe(a.bootstrapJob.metadata.name);
    expect(b.bootstrapConfigMap.metadata.name).toBe(b.bootstrapJob.metadata.name);
  });

  test("buildWorkloads refuses ConfigMap names that do not match their files", () => {
    const { input, rendered } = planInput(devArgs());
    const stale = { ...input, configMaps: { ...input.configMaps, storage: "threefs-dev-storage-config-00000000" } };
    expect(() => buildWorkloads(stale, rendered.files)).toThrow(/configMaps.storage/);
    const extra = { ...rendered.files, configFiles: { ...rendered.files.configFiles, "new_main.toml": "" } };
    expect(() => buildWorkloads(input, extra)).toThrow(/new_main.toml/);
  });

  test("a pinned fio image replaces the apt-get install", () => {
    const fioImage = "registry.example.com:5000/tools/fio:3.36";
    const job = build(prodArgs({ smokeTest: { enabled: true, fio: true, fioImage } })).workloads.fioJob!;
    expect(job.spec.template.spec.containers[0].image).toBe(fioImage);
    expect(job.spec.template.spec.containers[0].command?.[2]).not.toContain("apt-get");
  });

  test("no client nodes: the check runs on a meta node without the mount, and no fio Job", () => {
    const w = build(devArgs({ smokeTest: { enabled: true, fio: true }, check: { ...devArgs().check, clientSelector: {}, writeMiB: 0 } })).workloads;
    const pod = w.check.job.spec.template.spec;
    expect(pod.nodeSelector).toEqual(w.statefulSets.meta.spec.template.spec.nodeSelector);
    expect(pod.volumes?.some((v) => v.hostPath)).toBe(false);
    expect(w.check.configMap.data["plan.env"]).toMatch(/^CLIENT_SELECTOR=$/m);
    expect(w.fioJob).toBeUndefined();
  });

  test.each([
    ["prefix", { prefix: "Bad_Prefix" }],
    ["mount path", { fuse: { ...devArgs().fuse, mountPath: "relative" } }],
    ["moving tag", { images: { ...devArgs().images, tag: "latest" } }],
    ["mgmtd replicas", { mgmtd: { ...devArgs().mgmtd, replicas: 100 } }],
    ["storage memory", { storage: { ...devArgs().storage, resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } } }],
    ["replicas > nodes", { chains: { ...devArgs().chains, replicas: 4 } }],
    ["unpinned fio image", { smokeTest: { enabled: true, fio: true, fioImage: "docker.io/library/fio" } }],
    ["moving fio image", { smokeTest: { enabled: true, fio: true, fioImage: "registry:5000/fio:latest" } }],
  ])("rejects a bad %s", (_what, overrides) => {
    expect(() => build(devArgs(overrides as never))).toThrow();
  });

  test("random sizes: claims, mounts and target paths stay in step; names stay DNS labels", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 64, max: 8192 }), fc.integer({ min: 1, max: 5 }), (nodes, disks, size, mgmtd) => {
        const args = devArgs({
          storage: { ...devArgs().storage, nodes, disksPerNode: disks, diskSizeGiB: size },
          mgmtd: { ...devArgs().mgmtd, replicas: mgmtd },
          chains: { replicas: 2, targetsPerDisk: 2, stripeSize: 1, placement: chainsFromGroups(ringPairs(nodes, 2)) },
        });
        const { workloads: w, configFiles } = build(args);
        const claims = w.statefulSets.storage.spec.volumeClaimTemplates ?? [];
        expect(claims).toHaveLength(disks);
        const paths = (parse(configFiles["storage_main.toml"]) as { server: { targets: { target_paths: string[] } } }).server.targets.target_paths;
        const mounts = w.statefulSets.storage.spec.template.spec.containers[0].volumeMounts ?? [];
        expect(claims.map((c) => mounts.find((m) => m.name === c.metadata.name)?.mountPath)).toEqual(paths);
        expect(new Set(claims.map((c) => c.spec.resources.requests.storage))).toEqual(new Set([`${size}Gi`]));
      }),
      { numRuns: 40 },
    );
  });
});

describe("with the committed prod placement lock", () => {
  test("the lock's chain groups feed placement.txt unchanged, head first", async () => {
    const { readLock } = await import("../../stacks/placement");
    const { lock } = readLock(`${__dirname}/../..`, "prod");
    const { workloads } = build(prodArgs({ chains: { ...prodArgs().chains, placement: lock!.chains } }));
    const lines = workloads.bootstrapConfigMap.data["placement.txt"].split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    expect(lines.map((l) => l.split(" ").map((m) => m.split(":").map(Number)))).toEqual(lock!.chains);
  });
});
