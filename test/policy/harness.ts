/**
 * Test harness for the threefs policy pack: builds the argument objects the Pulumi analyzer would
 * pass to `validateResource` / `validateStack` and runs policies on them, without the Pulumi CLI,
 * without a PolicyPack (no gRPC server) and without loading any Pulumi SDK at runtime.
 *
 * Resources come from hand-written fixtures ({@link resource}) or from the rows the plan tool
 * captures from the program's mock run ({@link fromPlanRow} / {@link fromPlanRows}).
 *
 * Running the whole pack over a captured mock run:
 *
 *   import { allPolicies } from "../../policy/policies";
 *   const resources = fromPlanRows(rows);               // rows: PlanRow[] from the plan tool
 *   const findings = await evaluate(allPolicies, resources);
 *   expect(findings.filter((f) => f.enforcementLevel === "mandatory")).toEqual([]);
 *
 * The profile comes from the resources' tags/labels or from the stack segment of their URNs, so
 * capture the run under a stack named dev / staging / prod (or pass `{ "<policy>": { profile } }`
 * as the third argument of `evaluate`).
 *
 * Fidelity notes (compared with @pulumi/policy 1.21's server):
 *   - isType/asType compare the class's static `__pulumiType` with the type token, falling back to
 *     `isInstance({ __pulumiType })`, like the server does;
 *   - getConfig returns the config given for that policy (the server applies schema defaults first;
 *     every policy merges its own defaults, so omitting config is equivalent);
 *   - notApplicable throws, as on the server, and the runner records the reason;
 *   - props are plain objects (no unknown-value proxy: mock runs have no unknowns);
 *   - stack validations receive the same props as resource validations (the server passes outputs
 *     there; for Kubernetes objects and mock runs the two coincide).
 */
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
  ThreefsPolicy,
} from "../../policy/policies/common";

/** Options of a resource as the analyzer reports them (subset of PolicyResourceOptions). */
export interface FixtureOptions {
  protect?: boolean;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  parent?: string;
  /** Accepted for plan rows but NOT visible to real policies (see policy/README.md). */
  retainOnDelete?: boolean;
}

/** A hand-written resource fixture. `stack` only feeds the URN (default "dev"). */
export interface Fixture {
  type: string;
  props: Record<string, unknown>;
  name?: string;
  urn?: string;
  stack?: string;
  project?: string;
  opts?: FixtureOptions;
}

/** A row of the plan tool (`tools/plan.ts`): one registered resource of the mock run. */
export interface PlanRow {
  urn: string;
  type: string;
  name: string;
  parent?: string | null;
  dependsOn?: string[];
  provider?: string | null;
  inputs: unknown;
  /** Resource options captured with the row, if the tool records them. */
  options?: FixtureOptions;
  /** Some captures put options at the top level; both are accepted. */
  protect?: boolean;
  retainOnDelete?: boolean;
}

/** Thrown by the harness's `notApplicable`, like the server's NotApplicableError. */
export class NotApplicable extends Error {
  constructor(readonly reason: string | undefined) {
    super(reason ?? "not applicable");
  }
}

/** Outcome of running one policy on one resource or stack. */
export interface Outcome {
  violations: { message: string; urn?: string }[];
  /** Set when the policy declared itself not applicable. */
  notApplicable?: string;
}

/** A violation found by {@link evaluate}. */
export interface Finding {
  policy: string;
  enforcementLevel: string;
  urn?: string;
  message: string;
}

type TypedClass = { __pulumiType?: unknown; isInstance?: unknown };

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as TypedClass;
  if (typeof cls.__pulumiType === "string" && cls.__pulumiType !== "") return cls.__pulumiType === type;
  return typeof cls.isInstance === "function" && (cls.isInstance as (o: unknown) => boolean)({ __pulumiType: type }) === true;
}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

function makeUrn(stack: string, project: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** Builds a PolicyResource (the stack-validation view) from a fixture. */
export function resource(f: Fixture): PolicyResource {
  const name = f.name ?? String((f.props.metadata as { name?: unknown } | undefined)?.name ?? "res");
  const urn = f.urn ?? makeUrn(f.stack ?? "dev", f.project ?? "threefs", f.type, name);
  const type = f.type;
  const props = f.props;
  return {
    type,
    props,
    urn,
    name,
    opts: {
      protect: f.opts?.protect ?? false,
      ignoreChanges: f.opts?.ignoreChanges ?? [],
      deleteBeforeReplace: f.opts?.deleteBeforeReplace,
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
      parent: f.opts?.parent,
    },
    dependencies: [],
    propertyDependencies: {},
    isType: (cls) => isTypeOf(type, cls),
    // Same behaviour as the server: the props themselves when the type matches.
    asType: ((cls: unknown) => (isTypeOf(type, cls) ? props : undefined)) as PolicyResource["asType"],
  };
}

/** Converts one plan-tool row into a PolicyResource; `opts` overrides the captured options. */
export function fromPlanRow(row: PlanRow, opts?: FixtureOptions): PolicyResource {
  const captured: FixtureOptions = {
    protect: row.options?.protect ?? row.protect,
    retainOnDelete: row.options?.retainOnDelete ?? row.retainOnDelete,
    ignoreChanges: row.options?.ignoreChanges,
    deleteBeforeReplace: row.options?.deleteBeforeReplace,
    parent: row.parent ?? undefined,
  };
  return resource({ type: row.type, name: row.name, urn: row.urn, props: row.inputs as Record<string, unknown>, opts: { ...captured, ...opts } });
}

/** Converts all rows and links `parent` and `dependencies` by URN, like the server does. */
export function fromPlanRows(rows: readonly PlanRow[], opts?: FixtureOptions): PolicyResource[] {
  const resources = rows.map((r) => fromPlanRow(r, opts));
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  rows.forEach((row, i) => {
    const r = resources[i];
    if (row.parent && byUrn.has(row.parent)) r.parent = byUrn.get(row.parent);
    r.dependencies = (row.dependsOn ?? []).flatMap((u) => byUrn.get(u) ?? []);
  });
  return resources;
}

/** The ResourceValidationArgs the server would build for a resource, with the policy's config. */
export function resourceArgs(r: PolicyResource | Fixture, config: object = {}): ResourceValidationArgs {
  const res = "urn" in r && "opts" in r && "isType" in r ? (r as PolicyResource) : resource(r as Fixture);
  return {
    type: res.type,
    props: res.props,
    urn: res.urn,
    name: res.name,
    opts: res.opts,
    stackTags: new Map(),
    isType: res.isType,
    asType: ((cls: unknown) => (isTypeOf(res.type, cls) ? res.props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
}

/** The StackValidationArgs for a set of resources, with the policy's config. */
export function stackArgs(resources: readonly PolicyResource[], config: object = {}): StackValidationArgs {
  return { resources: [...resources], stackTags: new Map(), getConfig: <T extends object>() => config as T, notApplicable };
}

export function isStackPolicy(p: ThreefsPolicy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

/** Runs a resource policy's validation(s) on one resource. */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  r: PolicyResource | Fixture,
  config: object = {},
): Promise<Outcome> {
  const args = resourceArgs(r, config);
  const outcome: Outcome = { violations: [] };
  const validations = policy.validateResource === undefined ? [] : ([] as unknown[]).concat(policy.validateResource);
  for (const validate of validations as NonNullable<ResourceValidationPolicy["validateResource"]>[]) {
    try {
      await (validate as (a: ResourceValidationArgs, rv: (m: string, u?: string) => void) => unknown)(args, (message) =>
        outcome.violations.push({ message, urn: args.urn }),
      );
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
      outcome.notApplicable = e.reason ?? "not applicable";
    }
  }
  return outcome;
}

/** Runs a stack policy on a set of resources. */
export async function runStackPolicy(
  policy: StackValidationPolicy,
  resources: readonly PolicyResource[],
  config: object = {},
): Promise<Outcome> {
  const outcome: Outcome = { violations: [] };
  try {
    await policy.validateStack(stackArgs(resources, config), (message, urn) => outcome.violations.push({ message, urn }));
  } catch (e) {
    if (!(e instanceof NotApplicable)) throw e;
    outcome.notApplicable = e.reason ?? "not applicable";
  }
  return outcome;
}

/**
 * Runs every policy like `pulumi preview --policy-pack` would: resource policies on each resource,
 * stack policies once on all of them. `config` is keyed by policy name, as in a
 * `--policy-pack-config` file; a policy configured as "disabled" is skipped.
 */
export async function evaluate(
  policies: readonly ThreefsPolicy[],
  resources: readonly PolicyResource[],
  config: Record<string, object | string> = {},
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const policy of policies) {
    const raw = config[policy.name];
    const level = typeof raw === "string" ? raw : ((raw as { enforcementLevel?: string })?.enforcementLevel ?? policy.enforcementLevel ?? "advisory");
    if (level === "disabled") continue;
    // The server hands a policy its config without the enforcementLevel key.
    const { enforcementLevel: _level, ...cfg } = (typeof raw === "object" ? raw : {}) as { enforcementLevel?: string };
    const outcomes = isStackPolicy(policy)
      ? [await runStackPolicy(policy, resources, cfg)]
      : await Promise.all(resources.map((r) => runResourcePolicy(policy, r, cfg)));
    for (const o of outcomes) {
      for (const v of o.violations) findings.push({ policy: policy.name, enforcementLevel: level, urn: v.urn, message: v.message });
    }
  }
  return findings;
}
