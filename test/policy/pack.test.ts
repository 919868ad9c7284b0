/**
 * Structural tests of the policy pack: policy metadata, the type tokens against the SDKs, the
 * label keys against the program's constants, the no-side-effect rule for policy modules, and the
 * harness itself (including the plan-row path the plan-capture test will use).
 */
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { API_SERVER_ACL_TYPE } from "../../components/apiServerAcl";
import * as constants from "../../lib/threefs/constants";
import * as common from "../../policy/policies/common";
import { allPolicies } from "../../policy/policies";
import { evaluate, fromPlanRow, fromPlanRows, isStackPolicy, resource, resourceArgs, type PlanRow } from "./harness";
import { compliantProdStack, fdbCluster, sgRule, storageStatefulSet } from "./fixtures";

const root = path.resolve(__dirname, "../..");
const policyDir = path.join(root, "policy");

describe("policy pack structure", () => {
  it("has uniquely named, described policies with a valid enforcement level", () => {
    const names = allPolicies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of allPolicies) {
      expect(p.name).toMatch(/^threefs-[a-z0-9-]+$/);
      expect(p.description.length).toBeGreaterThan(20);
      expect(["advisory", "mandatory"]).toContain(p.enforcementLevel);
    }
    expect(names).toEqual([
      "threefs-no-public-ingress",
      "threefs-prod-ack-deletion-protection",
      "threefs-prod-fdb-protected",
      "threefs-prod-storage-retain",
      "threefs-prod-fdb-redundancy",
      "threefs-prod-apiserver-allowlist",
      "threefs-images-pinned",
      "threefs-storage-anti-affinity",
      "threefs-privileged-allowlist",
      "threefs-chain-replicas",
      "threefs-chain-fits-storage-nodes",
      "threefs-eed-disk-size",
      "threefs-fdb-backup-in-prod",
      "threefs-profile-labelled",
      "threefs-profile-consistent",
    ]);
  });

  it("declares a default for every config property except the profile override", () => {
    for (const p of allPolicies) {
      for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
        if (key === "profile") continue;
        expect({ policy: p.name, key, hasDefault: typeof schema === "object" && "default" in schema }).toEqual({
          policy: p.name,
          key,
          hasDefault: true,
        });
      }
    }
  });

  it("constructs the PolicyPack only in policy/index.ts and imports @pulumi/policy as types elsewhere", () => {
    const modules = fs.readdirSync(path.join(policyDir, "policies")).filter((f) => f.endsWith(".ts"));
    for (const f of modules) {
      const src = fs.readFileSync(path.join(policyDir, "policies", f), "utf8");
      expect({ f, pack: /new\s+PolicyPack/.test(src) }).toEqual({ f, pack: false });
      for (const line of src.split("\n").filter((l) => /from "@pulumi\/policy"/.test(l))) {
        expect({ f, line }).toEqual({ f, line: expect.stringMatching(/^(import|export) type|^} from/) });
      }
      expect({ f, valueImport: /^import \{[^}]*\} from "@pulumi\/policy"/m.test(src) }).toEqual({ f, valueImport: false });
    }
    const entry = fs.readFileSync(path.join(policyDir, "index.ts"), "utf8");
    expect(entry.match(/new PolicyPack\(/g)).toHaveLength(1);
  });

  it("has a PulumiPolicy.yaml and a package.json with pinned dependencies and a lock file", () => {
    const manifest = YAML.parse(fs.readFileSync(path.join(policyDir, "PulumiPolicy.yaml"), "utf8"));
    expect(manifest).toMatchObject({ name: "threefs", runtime: "nodejs" });
    const pkg = JSON.parse(fs.readFileSync(path.join(policyDir, "package.json"), "utf8"));
    expect(pkg.dependencies).toEqual({ "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.248.0" });
    const lock = JSON.parse(fs.readFileSync(path.join(policyDir, "package-lock.json"), "utf8"));
    expect(lock.packages[""].dependencies).toEqual(pkg.dependencies);
  });

  it("uses the type tokens of the SDKs", () => {
    const sdkFile: Record<string, string> = {
      [common.TYPES.securityGroup]: "alicloud/ecs/securityGroup.js",
      [common.TYPES.securityGroupRule]: "alicloud/ecs/securityGroupRule.js",
      [common.TYPES.managedKubernetes]: "alicloud/cs/managedKubernetes.js",
      [common.TYPES.nodePool]: "alicloud/cs/nodePool.js",
      [common.TYPES.vpc]: "alicloud/vpc/network.js",
      [common.TYPES.vswitch]: "alicloud/vpc/switch.js",
      [common.TYPES.pod]: "kubernetes/core/v1/pod.js",
      [common.TYPES.configMap]: "kubernetes/core/v1/configMap.js",
      [common.TYPES.pvc]: "kubernetes/core/v1/persistentVolumeClaim.js",
      [common.TYPES.deployment]: "kubernetes/apps/v1/deployment.js",
      [common.TYPES.statefulSet]: "kubernetes/apps/v1/statefulSet.js",
      [common.TYPES.daemonSet]: "kubernetes/apps/v1/daemonSet.js",
      [common.TYPES.replicaSet]: "kubernetes/apps/v1/replicaSet.js",
      [common.TYPES.job]: "kubernetes/batch/v1/job.js",
      [common.TYPES.cronJob]: "kubernetes/batch/v1/cronJob.js",
      [common.TYPES.storageClass]: "kubernetes/storage/v1/storageClass.js",
    };
    for (const [token, file] of Object.entries(sdkFile)) {
      const src = fs.readFileSync(path.join(root, "node_modules/@pulumi", file), "utf8");
      expect({ token, found: src.includes(`__pulumiType = '${token}'`) }).toEqual({ token, found: true });
    }
    // The program's dynamic resource: the token it registers (components/apiServerAcl.ts).
    expect(common.TYPES.apiServerAcl).toBe(API_SERVER_ACL_TYPE);
    // The FDB CRD is not in the SDK: a CustomResource's token is kubernetes:<apiVersion>:<kind>.
    expect(common.TYPES.fdbCluster).toBe("kubernetes:apps.foundationdb.org/v1beta2:FoundationDBCluster");
  });

  it("uses the same label keys as the program", () => {
    expect(common.PROFILE_LABEL).toBe(constants.PROFILE_LABEL);
    expect(common.APP_NAME_LABEL).toBe(constants.APP_NAME_LABEL);
    expect(common.APP_NAME).toBe(constants.APP_NAME);
    expect(common.COMPONENT_LABEL).toBe(constants.COMPONENT_LABEL);
  });
});

describe("harness", () => {
  class FakeRule {
    static __pulumiType = common.TYPES.securityGroupRule;
  }
  class FakeByInstance {
    static isInstance(o: unknown): boolean {
      return (o as { __pulumiType?: string }).__pulumiType === common.TYPES.statefulSet;
    }
  }

  it("implements isType/asType like the policy server", () => {
    const rule = resourceArgs(sgRule({ type: "ingress" }));
    expect(rule.isType(FakeRule as never)).toBe(true);
    expect(rule.asType(FakeRule as never)).toBe(rule.props);
    expect(rule.isType(FakeByInstance as never)).toBe(false);
    const sts = resource(storageStatefulSet());
    expect(sts.isType(FakeByInstance as never)).toBe(true);
    expect(sts.asType(FakeRule as never)).toBeUndefined();
  });

  it("converts plan rows, linking parents and dependencies and carrying options", () => {
    const rows: PlanRow[] = [
      { urn: "urn:pulumi:prod::threefs::threefs:index:Cluster::c", type: "threefs:index:Cluster", name: "c", inputs: {} },
      {
        urn: "urn:pulumi:prod::threefs::threefs:index:Cluster$" + common.TYPES.fdbCluster + "::fdb",
        type: common.TYPES.fdbCluster,
        name: "fdb",
        parent: "urn:pulumi:prod::threefs::threefs:index:Cluster::c",
        dependsOn: ["urn:pulumi:prod::threefs::threefs:index:Cluster::c", "urn:missing"],
        inputs: fdbCluster().props,
        options: { protect: true },
      },
    ];
    const [parent, fdb] = fromPlanRows(rows);
    expect(fdb.parent).toBe(parent);
    expect(fdb.dependencies).toEqual([parent]);
    expect(fdb.opts.protect).toBe(true);
    expect(fdb.opts.parent).toBe(parent.urn);
    expect(fromPlanRow(rows[1], { protect: false }).opts.protect).toBe(false);
    expect(fromPlanRow({ ...rows[1], options: undefined, protect: true }).opts.protect).toBe(true);
  });

  it("evaluates a compliant prod stack without findings", async () => {
    expect(await evaluate(allPolicies, compliantProdStack().map(resource))).toEqual([]);
  });

  it("evaluates a broken prod stack: one finding per broken rule, config can disable policies", async () => {
    const stack = compliantProdStack().map(resource);
    const broken = [
      ...stack.filter((r) => r.type !== common.TYPES.fdbCluster),
      resource(fdbCluster({ protect: false, redundancy: "single" })),
      resource(sgRule({ type: "ingress", cidrIp: "0.0.0.0/0" }, "open")),
    ];
    const findings = await evaluate(allPolicies, broken);
    expect(findings.map((f) => `${f.policy}:${f.enforcementLevel}`).sort()).toEqual([
      "threefs-no-public-ingress:mandatory",
      "threefs-prod-fdb-protected:mandatory",
      "threefs-prod-fdb-redundancy:advisory",
    ]);
    const fewer = await evaluate(allPolicies, broken, {
      "threefs-prod-fdb-redundancy": "disabled",
      "threefs-no-public-ingress": { enforcementLevel: "advisory" },
    });
    expect(fewer.map((f) => `${f.policy}:${f.enforcementLevel}`).sort()).toEqual([
      "threefs-no-public-ingress:advisory",
      "threefs-prod-fdb-protected:mandatory",
    ]);
  });

  it("distinguishes stack and resource policies", () => {
    expect(allPolicies.filter(isStackPolicy).map((p) => p.name)).toEqual([
      "threefs-prod-apiserver-allowlist",
      "threefs-chain-fits-storage-nodes",
      "threefs-eed-disk-size",
      "threefs-fdb-backup-in-prod",
    ]);
  });
});
