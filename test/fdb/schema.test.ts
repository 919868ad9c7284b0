/**
 * The generated FoundationDBCluster specs against the operator's v1beta2 OpenAPI schema (pruned copy in
 * test/fixtures/fdb/v1beta2-spec-schema.json): no field the CRD lacks, right types, enums, patterns.
 */
import { buildFdbClusterSpec } from "../../lib/fdb/spec";
import { devInput, prodInput, specSchema, stagingInput } from "./inputs";
import { type StructuralSchema, validationErrors } from "./schemaValidator";

const schema = specSchema() as StructuralSchema;

describe("v1beta2 schema fixture", () => {
  it("is the spec schema of the pinned operator release", () => {
    expect(schema.type).toBe("object");
    for (const field of ["version", "databaseConfiguration", "processCounts", "faultDomain", "processes", "mainContainer", "routing", "labels"]) {
      expect(schema.properties).toHaveProperty(field);
    }
  });
});

describe("generated specs are valid v1beta2", () => {
  it.each([
    ["dev", devInput()],
    ["staging", stagingInput()],
    ["prod (3 zones)", prodInput()],
    ["prod (5 zones, zone fault domain)", { ...prodInput(), zones: 5 }],
    ["single redundancy", { ...devInput(), redundancyMode: "single" as const }],
    ["redwood engine", { ...prodInput(), storageEngine: "ssd-redwood-1-experimental" as const }],
  ])("%s", (_name, input) => {
    // Round-trip through JSON: exactly what the provider sends to the API server.
    const spec: unknown = JSON.parse(JSON.stringify(buildFdbClusterSpec(input)));
    expect(validationErrors(schema, spec)).toEqual([]);
  });
});

describe("the validator catches what the API server would prune or reject", () => {
  const valid = (): Record<string, any> => JSON.parse(JSON.stringify(buildFdbClusterSpec(prodInput())));

  it.each<[string, (s: Record<string, any>) => void, RegExp]>([
    ["unknown top-level field", (s) => (s.redundancyMode = "triple"), /spec\.redundancyMode: unknown field/],
    ["camelCase instead of the CRD's snake_case", (s) => (s.databaseConfiguration.redundancyMode = "triple"), /databaseConfiguration\.redundancyMode: unknown field/],
    ["enum violation", (s) => (s.databaseConfiguration.redundancy_mode = "quadruple"), /not one of/],
    ["wrong type (string for integer)", (s) => (s.processCounts.storage = "5"), /processCounts\.storage: expected integer, got string/],
    ["wrong type (number for string)", (s) => (s.version = 7.1), /spec\.version: expected string, got number/],
    ["pattern violation", (s) => (s.version = "seven"), /does not match/],
    ["unknown field inside the embedded PodSpec", (s) => (s.processes.general.podTemplate.spec.nodeSelecter = {}), /podTemplate\.spec\.nodeSelecter: unknown field/],
    ["unknown container field", (s) => (s.processes.general.podTemplate.spec.containers[0].resource = {}), /containers\[0\]\.resource: unknown field/],
    ["quantity of the wrong type", (s) => (s.processes.general.podTemplate.spec.containers[0].resources.limits.cpu = true), /expected integer or string/],
    ["invalid quantity string", (s) => (s.processes.general.volumeClaimTemplate.spec.resources.requests.storage = "lots"), /does not match/],
    ["unknown faultDomain field", (s) => (s.faultDomain.topologyKey = "x"), /faultDomain\.topologyKey: unknown field/],
    ["required field missing", (s) => delete s.processes.general.podTemplate.spec.containers[0].name, /containers\[0\]\.name: required/],
    ["null where not nullable", (s) => (s.routing = null), /spec\.routing: null is not allowed/],
  ])("%s", (_name, mutate, message) => {
    const spec = valid();
    mutate(spec);
    expect(validationErrors(schema, spec).join("\n")).toMatch(message);
  });

  it("accepts integers for int-or-string quantities", () => {
    const spec = valid();
    spec.processes.general.podTemplate.spec.containers[0].resources.limits.cpu = 4;
    expect(validationErrors(schema, spec)).toEqual([]);
  });

  it("accepts any process class key under processes (additionalProperties)", () => {
    const spec = valid();
    spec.processes.storage = { customParameters: ["knob_x=1"] };
    expect(validationErrors(schema, spec)).toEqual([]);
  });
});
