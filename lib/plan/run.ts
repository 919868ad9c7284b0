/**
 * The offline plan: evaluates the real program (`index.ts`) in-process on Pulumi's mock runtime and
 * returns what it would create. No cloud credentials, no Pulumi CLI, no network.
 *
 * Resources are captured twice and joined: a stack transformation sees each resource's type, name and
 * options (parent, dependsOn, provider) and the resource object itself (for its URN); the mock engine
 * sees the resolved inputs exactly as a provider would receive them, with secrets still marked.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { gatherFacts, preflightProblems } from "../alicloud/preflight";
import { ConfigError, loadConfig, NAMESPACE } from "../../stacks/config";
import { stackPlacement } from "../../stacks/placement";
import { PlanMocks, stableHash, type MockRegistration } from "./mocks";
import { resolveConfig } from "./projectConfig";
import { redact } from "./redact";

/** One row of `resources.json`. */
export interface ResourceRow {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  dependsOn: string[];
  provider: string | null;
  /** Options that change lifecycle: shown so reviewers see protection in the plan. */
  protect: boolean;
  retainOnDelete: boolean;
  inputs: unknown;
  /**
   * State the provider returns beyond the inputs (ids, computed attributes), as Pulumi would store it;
   * secrets, and the outputs listed in `additionalSecretOutputs` (which the engine encrypts), as "[secret]".
   */
  outputs: Record<string, unknown>;
}

/** One stack output. */
export interface OutputRow {
  value: unknown;
  secret: boolean;
}

export interface PlanOptions {
  /** Project directory (holds Pulumi.yaml). */
  dir: string;
  stack: string;
  /** Show secret values instead of "[secret]". */
  showSecrets: boolean;
  /** Program entry; default `<dir>/index.ts`. */
  program?: string;
  /** Outputs of referenced stacks (`StackReference`), by stack name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
}

export interface PlanResult {
  rows: ResourceRow[];
  outputs: Record<string, OutputRow>;
  /** What the mock engine received, including names the Kubernetes provider would assign. */
  registrations: MockRegistration[];
  /**
   * The program's `pulumi.log.warn` messages, as `pulumi preview` would print them. Collected rather than
   * printed: the mock runtime would write them to the console, and the plan tool prints them itself.
   */
  warnings: string[];
}

interface Captured {
  resource: pulumi.Resource;
  type: string;
  name: string;
  opts: pulumi.ResourceOptions;
}

/** Validates config, runs the program on mocks, and returns resources and outputs. Throws ConfigError. */
export async function runPlan(options: PlanOptions): Promise<PlanResult> {
  const resolved = resolveConfig(options.dir, options.stack);
  // Validate before the runtime starts so bad config never registers a resource. Only this project's
  // own config is validated here; other projects (the example consumer) validate in their program.
  if (resolved.project === NAMESPACE) {
    const cfg = loadConfig({ stack: options.stack, values: resolved.values, secretKeys: resolved.secretKeys });
    // The placement lock is checked like the config (the program does the same before any resource).
    stackPlacement(cfg, options.dir);
    // The preview checks, against the mocks' tables, reported like config problems (the program itself
    // would stop with the same lines as a RunError, see components/preflight.ts).
    const mocks = new PlanMocks({}, cfg.region);
    const facts = await gatherFacts(cfg, async (token, inputs) => mocks.call({ token, inputs, provider: "" } as pulumi.runtime.MockCallArgs));
    const problems = preflightProblems(cfg, facts);
    if (problems.length > 0) throw new ConfigError(problems);
  }
  const program = options.program ?? path.join(options.dir, "index.ts");
  return runOnMocks(
    { project: resolved.project, stack: options.stack, values: resolved.values, secretKeys: resolved.secretKeys, showSecrets: options.showSecrets, stackOutputs: options.stackOutputs },
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => ({ ...(require(program) as Record<string, unknown>) }),
  );
}

/** Settings of one mock-runtime evaluation. */
export interface MockRunSettings {
  project: string;
  stack: string;
  /** Fully-qualified config values, as Pulumi passes them (objects as JSON strings). */
  values: Record<string, string>;
  secretKeys?: string[];
  showSecrets: boolean;
  /** Outputs of referenced stacks (`StackReference`), by stack name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
}

/**
 * Runs `program` on Pulumi's mock runtime inside a root stack and returns every resource it registered
 * and the outputs it returned. Used by the plan and by component tests. Call once per process (Pulumi's
 * runtime state is global; jest gives every test file its own).
 */
export async function runOnMocks(settings: MockRunSettings, program: () => Record<string, unknown> | void): Promise<PlanResult> {
  const mocks = new PlanMocks(settings.stackOutputs, settings.values["alicloud:region"]);
  pulumi.runtime.setMocks(mocks, settings.project, settings.stack, false);
  pulumi.runtime.setAllConfig(settings.values, settings.secretKeys ?? []);
  const captured: Captured[] = [];
  // Keep the program's own exports: runInPulumiStack returns resolved values, which lose secretness.
  let exported: Record<string, unknown> = {};
  // Without an engine, pulumi.log.warn writes "warning: [runtime] <message>" to console.warn.
  const warnings: string[] = [];
  const consoleWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    const m = /^warning: (?:\[runtime\] )?([\s\S]*)$/.exec(text);
    if (m) warnings.push(m[1]);
    else consoleWarn(...args);
  };
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((a) => {
        captured.push({ resource: a.resource, type: a.type, name: a.name, opts: a.opts });
        return undefined;
      });
      exported = program() ?? {};
      return exported;
    });
    await pulumi.runtime.disconnect();
  } finally {
    console.warn = consoleWarn;
  }
  const rows = await buildRows(captured, mocks.registrations, settings.showSecrets);
  const outputs = await resolveOutputs(exported, settings.showSecrets);
  return { rows, outputs, registrations: mocks.registrations, warnings };
}

async function buildRows(captured: Captured[], registrations: MockRegistration[], showSecrets: boolean): Promise<ResourceRow[]> {
  const byKey = new Map<string, MockRegistration>();
  for (const r of registrations) byKey.set(`${r.type}\u0000${r.name}`, r);
  const rows: ResourceRow[] = [];
  for (const c of captured) {
    const reg = byKey.get(`${c.type}\u0000${c.name}`);
    const urn = await known(c.resource.urn);
    const parent = c.opts.parent ? await known(c.opts.parent.urn) : null;
    const deps = await dependsOnUrns(c.opts.dependsOn);
    rows.push({
      urn,
      type: c.type,
      name: c.name,
      parent,
      dependsOn: deps,
      provider: reg?.provider ? reg.provider.split("::").slice(0, -1).join("::") || reg.provider : null,
      protect: c.opts.protect === true,
      retainOnDelete: c.opts.retainOnDelete === true,
      inputs: redact(withoutProviderCode(reg?.inputs ?? {}), showSecrets),
      outputs: computedOutputs(reg, (c.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ?? [], showSecrets),
    });
  }
  return rows;
}

/**
 * A dynamic resource's `__provider` input is its provider serialized as JavaScript (Pulumi stores it in the
 * state); the plan shows its size and digest instead of the code.
 */
function withoutProviderCode(inputs: Record<string, unknown>): Record<string, unknown> {
  const code = inputs.__provider;
  if (typeof code !== "string") return inputs;
  return { ...inputs, __provider: `[serialized dynamic provider: ${code.length} bytes, sha256 ${stableHash(code).slice(0, 12)}]` };
}

/** State keys the provider adds or changes (not echoed inputs); `additionalSecretOutputs` redacted like secrets. */
function computedOutputs(reg: MockRegistration | undefined, secretOutputs: readonly string[], showSecrets: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(reg?.state ?? {})) {
    if (reg !== undefined && k in reg.inputs && JSON.stringify(reg.inputs[k]) === JSON.stringify(v)) continue;
    out[k] = secretOutputs.includes(k) && !showSecrets ? "[secret]" : redact(v, showSecrets);
  }
  return out;
}

async function dependsOnUrns(dependsOn: pulumi.ResourceOptions["dependsOn"]): Promise<string[]> {
  if (!dependsOn) return [];
  const resolved = await known(pulumi.output(dependsOn as pulumi.Input<pulumi.Resource[]>));
  const list = Array.isArray(resolved) ? resolved : [resolved];
  const urns: string[] = [];
  for (const r of list as pulumi.Resource[]) urns.push(await known(r.urn));
  return urns.sort();
}

async function resolveOutputs(exported: Record<string, unknown>, showSecrets: boolean): Promise<Record<string, OutputRow>> {
  const out: Record<string, OutputRow> = {};
  for (const key of Object.keys(exported).sort()) {
    const o = pulumi.output(exported[key] as pulumi.Input<unknown>);
    const secret = await pulumi.isSecret(o);
    const value = await known(pulumi.unsecret(o));
    out[key] = { value: secret && !showSecrets ? "[secret]" : value, secret };
  }
  return out;
}

/** The value of an Output in a non-preview mock run (always known there). */
export function known<T>(o: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => {
    pulumi.output(o).apply((v) => {
      resolve(v as T);
      return v;
    });
  });
}
