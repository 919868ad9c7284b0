/**
 * Spec inputs per profile for the FDB tests. Fixed literals (not the stack presets) so that a preset
 * change does not churn the golden files; the numbers mirror the presets at the time of writing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { schedulingFor } from "../../lib/roles";
import { type FdbClusterInput, fdbProcessCounts } from "../../lib/fdb/spec";

const res = (reqCpu: string, reqMem: string, limCpu: string, limMem: string) => ({
  requests: { cpu: reqCpu, memory: reqMem },
  limits: { cpu: limCpu, memory: limMem },
});

/** dev: double redundancy, one zone, combined pool, compact process layout. */
export function devInput(): FdbClusterInput {
  return {
    clusterName: "threefs-fdb",
    profile: "dev",
    version: "7.1.61",
    redundancyMode: "double",
    storageEngine: "ssd-2",
    processCounts: fdbProcessCounts("double", "dev"),
    scheduling: schedulingFor("meta", "combined"),
    zones: 1,
    resources: res("500m", "1Gi", "1", "2Gi"),
    storageClassName: "threefs-fdb",
    storageGiB: 32,
    serviceAccountName: "threefs-fdb-pods",
    imageRegistry: "foundationdb",
  };
}

/** staging: double redundancy, prod-shaped (separate pools, operator-default counts), one zone. */
export function stagingInput(): FdbClusterInput {
  return {
    ...devInput(),
    profile: "staging",
    processCounts: fdbProcessCounts("double", "staging"),
    scheduling: schedulingFor("meta", "separate"),
    resources: res("1", "4Gi", "2", "8Gi"),
    storageGiB: 64,
  };
}

/** prod: triple redundancy over three zones, separate pools, a registry mirror. */
export function prodInput(): FdbClusterInput {
  return {
    ...devInput(),
    profile: "prod",
    redundancyMode: "triple",
    processCounts: fdbProcessCounts("triple", "prod"),
    scheduling: schedulingFor("meta", "separate"),
    zones: 3,
    resources: res("2", "8Gi", "4", "16Gi"),
    storageGiB: 256,
    imageRegistry: "registry-vpc.cn-beijing.aliyuncs.com/mirror",
    labels: { "app.kubernetes.io/instance": "threefs-prod" },
  };
}

const FIXTURES = join(__dirname, "..", "fixtures", "fdb");

/** Compares `value` (as YAML) with test/fixtures/fdb/<name>.yaml; UPDATE_GOLDEN=1 rewrites the file. */
export function expectGolden(name: string, value: unknown): void {
  const file = join(FIXTURES, `${name}.yaml`);
  const text = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, "utf8"));
}

/** The committed, pruned v1beta2 `.spec` schema (see tools/gen-fdb-schema-fixture.ts). */
export function specSchema(): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, "v1beta2-spec-schema.json"), "utf8")).schema;
}
