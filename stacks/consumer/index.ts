/**
 * Example consumer: two Jobs of one tenant on the 3FS client nodes, deployed with the tenant's
 * namespace-scoped kubeconfig (no cluster-admin kubeconfig, no root token).
 *
 * - `train` reads and writes through the FUSE mount (POSIX I/O) in the tenant's directory.
 * - `usrbio` uses USRBIO, the zero-copy ring API next to FUSE: with `usrbioFioImage` (an image with fio and
 *   3FS's engine, benchmarks/fio_usrbio, built against the images' 3FS commit) it runs a read benchmark;
 *   otherwise — the published 3FS images ship neither the USRBIO library nor the engine — a probe
 *   (usrbio_probe.py) that exercises what the API needs: the shared /dev/shm and buffer registration.
 *
 * Both pods come from the mount helper (consumer/): on a client node, the mount with HostToContainer
 * propagation, running as the tenant, unprivileged. See docs/consumers.md.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { readThreeFsStack, threeFsPodSpec } from "../../consumer";

const config = new pulumi.Config();
const threefs = readThreeFsStack(new pulumi.StackReference(config.require("threefsStack")));
const tenant = threefs.tenant(config.get("tenant") ?? "vision");
const image = config.get("image") ?? "python:3.12.8-slim";
const subPath = config.get("subPath") ?? "datasets";
const fioImage = config.get("usrbioFioImage") || undefined;
const fioEngine = config.get("usrbioFioEngine") ?? "/usr/local/lib/hf3fs_usrbio.so";

// The tenant's kubeconfig can deploy into its namespace only.
const provider = new k8s.Provider("tenant", { kubeconfig: tenant.kubeconfig, namespace: tenant.info.namespace });
const namespace = tenant.info.namespace;
const labels = { "app.kubernetes.io/name": "threefs-consumer" };
const resources = { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } };

const train = [
  "set -eu",
  'mkdir -p "$THREEFS_DIR"',
  'python3 -c "import os,sys; d=sys.argv[1]; n=sum(1 for _ in os.scandir(d)); print(f\'{n} entries in {d}\')" "$THREEFS_DIR"',
].join("\n");

export const trainJob = new k8s.batch.v1.Job(
  "train",
  {
    metadata: { namespace, labels },
    spec: {
      backoffLimit: 2,
      template: {
        metadata: { labels },
        spec: threeFsPodSpec(tenant, { restartPolicy: "Never", containers: [{ name: "train", image, command: ["/bin/sh", "-c", train], resources }] }, { subPath }),
      },
    },
  },
  { provider },
).metadata.name;

// USRBIO: a read benchmark through 3FS's fio engine when an image has it, else the environment probe.
const probe = new k8s.core.v1.ConfigMap("usrbio-probe", { metadata: { namespace, labels }, data: { "usrbio_probe.py": fs.readFileSync(path.join(__dirname, "usrbio_probe.py"), "utf8") } }, { provider });
const fio = (name: string, extra: string) => `fio --name=${name} --filename="$THREEFS_DIR/usrbio-bench" --size=4G --bs=4M --direct=1 ${extra}`;
const usrbio: k8s.types.input.core.v1.Container = fioImage
  ? {
      name: "usrbio",
      image: fioImage,
      command: ["/bin/sh", "-c", ["set -eu", 'mkdir -p "$THREEFS_DIR"', fio("prepare", "--rw=write --ioengine=psync"), fio("usrbio-read", `--rw=read --iodepth=32 --ioengine=external:${fioEngine} --mountpoint="$THREEFS_MOUNT"`)].join("\n")],
      resources: { requests: { cpu: "4", memory: "4Gi" }, limits: { cpu: "8", memory: "8Gi" } },
    }
  : { name: "usrbio", image, command: ["python3", "/opt/probe/usrbio_probe.py"], resources, volumeMounts: [{ name: "probe", mountPath: "/opt/probe", readOnly: true }] };

export const usrbioJob = new k8s.batch.v1.Job(
  "usrbio",
  {
    metadata: { namespace, labels },
    spec: {
      backoffLimit: 2,
      template: {
        metadata: { labels },
        spec: threeFsPodSpec(
          tenant,
          { restartPolicy: "Never", containers: [usrbio], volumes: fioImage ? [] : [{ name: "probe", configMap: { name: probe.metadata.name } }] },
          { subPath, usrbio: true },
        ),
      },
    },
  },
  { provider },
).metadata.name;

export { namespace };
