/**
 * The mount helper (consumer/mount.ts): what it adds, and the specs and options it refuses with a message.
 */
import * as pulumi from "@pulumi/pulumi";
import { mountOrFail, threeFsPodSpec, type ClientMount, type ThreeFsTenantReference } from "../../consumer";
import { MountError, mountThreeFs, type PodSpecLike } from "../../consumer/mount";

const client: ClientMount = {
  mountPath: "/mnt/3fs",
  nodes: 2,
  nodeSelector: { "threefs.io/client": "true" },
  tolerations: [{ key: "threefs.io/client", operator: "Equal", value: "true", effect: "NoSchedule" }],
  usrbioShmHostPath: "/dev/shm/3fs-threefs-prod",
};
const tenant = { uid: 1001, gid: 2000, directory: "/tenants/vision" };
const spec = (): PodSpecLike => ({ restartPolicy: "Never", containers: [{ name: "app", image: "img", env: [{ name: "A", value: "1" }] }, { name: "sidecar", image: "img" }] });
const env = (s: PodSpecLike, c = 0) => Object.fromEntries((s.containers[c].env ?? []).map((e) => [e.name, e.value]));

describe("mountThreeFs", () => {
  test("FUSE: client node, the whole mount with HostToContainer, the tenant's identity; the input is untouched", () => {
    const input = spec();
    const before = JSON.stringify(input);
    const out = mountThreeFs(input, client, {}, tenant);
    expect(JSON.stringify(input)).toBe(before);
    expect(out.restartPolicy).toBe("Never");
    expect(out.nodeSelector).toEqual(client.nodeSelector);
    expect(out.tolerations).toEqual(client.tolerations);
    expect(out.volumes).toEqual([{ name: "threefs", hostPath: { path: "/mnt/3fs", type: "Directory" } }]);
    for (const c of out.containers) {
      expect(c.volumeMounts).toEqual([{ name: "threefs", mountPath: "/mnt/3fs", mountPropagation: "HostToContainer" }]);
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false });
    }
    expect(env(out)).toEqual({ A: "1", THREEFS_MOUNT: "/mnt/3fs", THREEFS_DIR: "/mnt/3fs/tenants/vision" });
    expect(out.securityContext).toEqual({ runAsUser: 1001, runAsGroup: 2000, runAsNonRoot: true });
  });

  test("no client nodes: refused with what to change", () => {
    expect(() => mountThreeFs(spec(), { ...client, nodes: 0 }, {}, tenant)).toThrow(new MountError("the threefs stack has no client nodes (threefs:client.nodes is 0), so no node has the 3FS mount: add client nodes to the threefs stack"));
  });

  test("read-only: the mount is readOnly (still HostToContainer); with usrbio it is refused", () => {
    const out = mountThreeFs(spec(), client, { readOnly: true });
    expect(out.containers[0].volumeMounts).toEqual([{ name: "threefs", mountPath: "/mnt/3fs", mountPropagation: "HostToContainer", readOnly: true }]);
    expect(out.securityContext).toBeUndefined(); // no tenant: identity left alone
    expect(() => mountThreeFs(spec(), client, { readOnly: true, usrbio: true })).toThrow("usrbio needs a writable mount");
  });

  test("subPath: the directory inside the tenant's (or the root), as THREEFS_DIR and optionally the working directory; never a kubelet subPath", () => {
    const out = mountThreeFs(spec(), client, { subPath: "datasets/v2", workingDir: true, mountPath: "/data" }, tenant);
    expect(env(out)).toMatchObject({ THREEFS_MOUNT: "/data", THREEFS_DIR: "/data/tenants/vision/datasets/v2" });
    expect(out.containers[0].workingDir).toBe("/data/tenants/vision/datasets/v2");
    expect(out.containers[0].volumeMounts![0]).not.toHaveProperty("subPath");
    expect(env(mountThreeFs(spec(), client, { subPath: "shared" }))).toMatchObject({ THREEFS_DIR: "/mnt/3fs/shared" });
    for (const bad of ["/abs", "../up", "a/./b", "a//b"]) expect(() => mountThreeFs(spec(), client, { subPath: bad })).toThrow(`subPath '${bad}'`);
    expect(() => mountThreeFs(spec(), client, { mountPath: "/dev/shm" })).toThrow("outside /dev");
  });

  test("usrbio: the node's USRBIO directory becomes /dev/shm (type Directory: the FUSE pod creates it)", () => {
    const out = mountThreeFs(spec(), client, { usrbio: true, containers: ["app"] }, tenant);
    expect(out.volumes).toContainEqual({ name: "threefs-usrbio-shm", hostPath: { path: "/dev/shm/3fs-threefs-prod", type: "Directory" } });
    expect(out.containers[0].volumeMounts).toContainEqual({ name: "threefs-usrbio-shm", mountPath: "/dev/shm" });
    // Only the named container gets the mount; every container gets the tenant's identity.
    expect(out.containers[1].volumeMounts).toBeUndefined();
    expect(out.containers[1].securityContext).toEqual({ allowPrivilegeEscalation: false });
    expect(() => mountThreeFs(spec(), client, { containers: ["nope"] })).toThrow("containers nope are not in the pod spec");
  });

  test.each<[string, (s: PodSpecLike) => PodSpecLike, string]>([
    ["a privileged container", (s) => ({ ...s, containers: [{ ...s.containers[0], securityContext: { privileged: true } }] }), "container app is privileged"],
    ["another uid", (s) => ({ ...s, securityContext: { runAsUser: 0 } }), "the pod sets runAsUser 0; the tenant's pods run as 1001"],
    ["another gid in a container", (s) => ({ ...s, containers: [{ ...s.containers[0], securityContext: { runAsGroup: 5 } }] }), "container app sets runAsGroup 5"],
    ["privilege escalation", (s) => ({ ...s, initContainers: [{ name: "init", securityContext: { allowPrivilegeEscalation: true } }] }), "container init allows privilege escalation"],
    ["a clashing node selector", (s) => ({ ...s, nodeSelector: { "threefs.io/client": "false" } }), "nodeSelector threefs.io/client=false conflicts"],
    ["a volume of the same name", (s) => ({ ...s, volumes: [{ name: "threefs", emptyDir: {} }] }), "already has a volume named threefs"],
    ["a mount at the same path", (s) => ({ ...s, containers: [{ ...s.containers[0], volumeMounts: [{ name: "x", mountPath: "/mnt/3fs" }] }] }), "container app already mounts x at /mnt/3fs"],
    ["a different THREEFS_DIR", (s) => ({ ...s, containers: [{ ...s.containers[0], env: [{ name: "THREEFS_DIR", value: "/x" }] }] }), "container app sets THREEFS_DIR=/x"],
  ])("refuses %s", (_name, change, message) => {
    expect(() => mountThreeFs(change(spec()), client, {}, tenant)).toThrow(message);
  });

  test("keeps the pod's own selector and tolerations, adding only what is missing", () => {
    const out = mountThreeFs({ ...spec(), nodeSelector: { zone: "a" }, tolerations: [{ ...client.tolerations[0] }, { key: "gpu", operator: "Exists", effect: "NoSchedule" }] }, client);
    expect(out.nodeSelector).toEqual({ zone: "a", "threefs.io/client": "true" });
    expect(out.tolerations).toHaveLength(2);
    expect(mountThreeFs(spec(), { ...client, tolerations: [] }).tolerations).toBeUndefined();
  });
});

describe("threeFsPodSpec (Outputs)", () => {
  /** An Output's value or rejection (Output.promise is Pulumi's internal accessor, stable across 3.x). */
  const settle = <T>(o: pulumi.Output<T>) => (o as unknown as { promise(): Promise<T> }).promise();
  const tenantRef = (nodes: number): ThreeFsTenantReference => ({
    name: "vision",
    info: pulumi.output({ namespace: "vision", uid: 1001, gid: 1001, directory: "/tenants/vision", hostPath: "/mnt/3fs/tenants/vision", tokenSecretName: "vision-3fs-token" }),
    kubeconfig: pulumi.secret("k"),
    client: pulumi.output({ ...client, nodes }),
  });

  test("lifts the helper over the stack's Outputs, with the tenant's identity", async () => {
    const out = await settle(threeFsPodSpec(tenantRef(2), { containers: [{ name: "app", image: pulumi.output("img") }] }, { usrbio: true }));
    expect(out.securityContext).toEqual({ runAsUser: 1001, runAsGroup: 1001, runAsNonRoot: true });
    expect(out.containers).toEqual([expect.objectContaining({ image: "img" })]);
  });

  test("fails with a RunError (printed alone by Pulumi, at preview once the outputs are known) when the stack has no client nodes", () => {
    expect(() => mountOrFail({ containers: [{ name: "app" }] }, { ...client, nodes: 0 }, {}, undefined)).toThrow(
      new pulumi.RunError("threefs mount: the threefs stack has no client nodes (threefs:client.nodes is 0), so no node has the 3FS mount: add client nodes to the threefs stack"),
    );
    expect(() => mountOrFail({ containers: [{ name: "app" }] }, { ...client, nodes: 0 }, {}, undefined)).toThrow(pulumi.RunError);
  });
});
