/**
 * The 3FS objects pass the policy pack's Kubernetes and 3FS policies (images pinned, storage
 * anti-affinity, privileged allow-list, chain plan, EED sizes), evaluated with the pack's test harness.
 */
import { TYPES } from "../../policy/policies/common";
import { kubernetesPolicies } from "../../policy/policies/kubernetes";
import { threefsPolicies } from "../../policy/policies/threefs";
import { evaluate, resource } from "../policy/harness";
import { devArgs, objects, prodArgs } from "./fixtures";

const TYPE_OF_KIND: Record<string, string> = {
  ConfigMap: TYPES.configMap,
  StatefulSet: TYPES.statefulSet,
  DaemonSet: TYPES.daemonSet,
  Deployment: TYPES.deployment,
  Job: TYPES.job,
  Service: "kubernetes:core/v1:Service",
  PodDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
};

describe.each([
  ["dev", devArgs],
  ["prod", prodArgs],
])("%s objects under the policy pack", (stack, argsOf) => {
  test("no violations", async () => {
    const args = argsOf();
    const eed = resource({
      type: TYPES.storageClass,
      stack,
      props: { metadata: { name: args.storage.storageClassName }, parameters: { type: "elastic_ephemeral_disk_standard" } },
    });
    const resources = [eed, ...objects(args).map((o) => resource({ type: TYPE_OF_KIND[String(o.kind)], stack, props: o }))];
    const findings = await evaluate([...kubernetesPolicies, ...threefsPolicies], resources);
    expect(findings).toEqual([]);
  });

  test("the pack would catch a storage StatefulSet without anti-affinity", async () => {
    const sts = objects(argsOf()).find((o) => o.kind === "StatefulSet" && (o.metadata as { name: string }).name.endsWith("-storage"))!;
    const broken = JSON.parse(JSON.stringify(sts));
    delete broken.spec.template.spec.affinity;
    const findings = await evaluate(kubernetesPolicies, [resource({ type: TYPES.statefulSet, stack, props: broken })]);
    expect(findings.map((f) => f.policy)).toContain("threefs-storage-anti-affinity");
  });

  test("the pack would catch a privileged container it does not know or a moving tag", async () => {
    const deploy = JSON.parse(JSON.stringify(objects(argsOf()).find((o) => o.kind === "Deployment")!));
    deploy.spec.template.spec.containers[0].name = "debug-shell";
    deploy.spec.template.spec.containers[0].securityContext = { privileged: true };
    deploy.spec.template.spec.containers[0].image = "ghcr.io/aliyuncontainerservice/alibabacloud-3fs/3fs-admin-cli:dev";
    const findings = await evaluate(kubernetesPolicies, [resource({ type: TYPES.deployment, stack, props: deploy })]);
    expect(findings.map((f) => f.policy).sort()).toEqual(["threefs-images-pinned", "threefs-privileged-allowlist"]);
  });
});
