/**
 * Headless Services of mgmtd, meta and storage.
 *
 * A headless Service gives each StatefulSet pod a stable DNS name (`<pod>.<service>`) and the Service
 * name itself resolves to every pod's IP. Alibaba's 3FS builds resolve DNS names in
 * `mgmtd_server_addresses` (all A records, re-resolved when mgmtd moves), so every process reaches
 * mgmtd as `RDMA://<prefix>-mgmtd:8000` and nothing needs a pod IP at deploy time.
 *
 * Pure module: no cloud SDK imports.
 */
import { PORTS, type ThreeFsService } from "../../threefs/constants";
import { objectLabels, objectNames, selectorLabels } from "./names";
import type { Service, WorkloadInput } from "./types";

/** Port names of a service's two listeners (RDMA and TCP; both are TCP ports to Kubernetes). */
export const PORT_NAMES = { rdma: "rdma", tcp: "tcp" } as const;

/**
 * The headless Service of one 3FS service, named like its StatefulSet (the StatefulSet's serviceName).
 * mgmtd publishes not-ready addresses: mgmtd peers must find each other to elect a primary before any of
 * them reports ready, and the other services must resolve the name while mgmtd is still starting (the
 * 3FS mgmtd client fails hard when the name does not resolve at all).
 */
export function headlessService(input: WorkloadInput, service: ThreeFsService): Service {
  const names = objectNames(input.prefix);
  const ports = PORTS[service];
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: names[service],
      namespace: input.namespace,
      labels: objectLabels(input.prefix, service, input.profile, input.labels),
    },
    spec: {
      clusterIP: "None",
      publishNotReadyAddresses: service === "mgmtd",
      selector: selectorLabels(input.prefix, service),
      ports: [
        { name: PORT_NAMES.rdma, port: ports.rdma, targetPort: ports.rdma, protocol: "TCP" },
        { name: PORT_NAMES.tcp, port: ports.tcp, targetPort: ports.tcp, protocol: "TCP" },
      ],
    },
  };
}

/** Cluster-wide DNS name of mgmtd's headless Service (ACK's default cluster domain), for any namespace. */
export function mgmtdFqdn(prefix: string, namespace: string, clusterDomain = "cluster.local"): string {
  return `${objectNames(prefix).mgmtd}.${namespace}.svc.${clusterDomain}`;
}

/**
 * The single mgmtd address exported to consumers, e.g. `RDMA://threefs-dev-mgmtd.threefs.svc.cluster.local:8000`:
 * the headless Service name resolves to every mgmtd pod. (The TOML files list one name per pod instead.)
 */
export function mgmtdAddress(prefix: string, namespace: string): string {
  return `RDMA://${mgmtdFqdn(prefix, namespace)}:${PORTS.mgmtd.rdma}`;
}
