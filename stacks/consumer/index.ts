/**
 * Example consumer: a training-style Job on the 3FS client nodes that reads the FUSE mount.
 *
 * Everything it needs comes from the threefs stack through the typed contract: the kubeconfig, where
 * the mount is on the host, and how to land on a client node (selector + tolerations). The workload
 * mounts the host path with HostToContainer propagation so it sees the FUSE mount the 3FS client
 * DaemonSet made (and a remount after a client restart) without privileges of its own.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { readThreeFsStack } from "../contract";

const config = new pulumi.Config();
const threefs = readThreeFsStack(new pulumi.StackReference(config.require("threefsStack")));
const image = config.get("image") ?? "python:3.12.8-slim";
const subPath = config.get("subPath") ?? "datasets";

// clusterId is "" for a threefs stack given its cluster by kubeconfig alone (contract 1.4): no identifier then.
const provider = new k8s.Provider("threefs-cluster", { kubeconfig: threefs.kubeconfig, clusterIdentifier: threefs.clusterId.apply((id) => id || undefined) });

const ns = new k8s.core.v1.Namespace("training", { metadata: { name: `training-${pulumi.getStack()}` } }, { provider });

const script = [
  "set -eu",
  `dir=/data/${subPath}`,
  'mkdir -p "$dir"',
  'python3 -c "import os,sys; d=sys.argv[1]; n=sum(1 for _ in os.scandir(d)); print(f\'{n} entries in {d}\')" "$dir"',
].join("\n");

export const jobName = new k8s.batch.v1.Job(
  "train",
  {
    metadata: { namespace: ns.metadata.name, labels: { "app.kubernetes.io/name": "threefs-consumer" } },
    spec: {
      backoffLimit: 2,
      template: {
        spec: {
          restartPolicy: "Never",
          nodeSelector: threefs.clientNodeSelector,
          tolerations: threefs.clientTolerations,
          containers: [
            {
              name: "train",
              image,
              command: ["/bin/sh", "-c", script],
              volumeMounts: [{ name: "threefs", mountPath: "/data", mountPropagation: "HostToContainer" }],
              resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
            },
          ],
          // `Directory` (not DirectoryOrCreate): fail fast on a node without the 3FS mount point.
          volumes: [{ name: "threefs", hostPath: { path: threefs.mountPath, type: "Directory" } }],
        },
      },
    },
  },
  { provider },
).metadata.name;

export const namespace = ns.metadata.name;
