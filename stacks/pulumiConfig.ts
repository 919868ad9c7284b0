/**
 * Reads the stack configuration from the Pulumi runtime and validates it (see `config.ts`).
 * An invalid config aborts the program with a `pulumi.RunError`, which Pulumi prints as the message
 * alone (one line per problem), without a stack trace, before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlacementLock } from "../lib/threefs/placementLock";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { ConfigError, loadConfig, type StackConfig } from "./config";
import { stackPlacement } from "./placement";

/**
 * The keys the engine marks secret (PULUMI_CONFIG_SECRET_KEYS). `isConfigSecret` is the SDK's own test,
 * exported by runtime/config.js but left out of its typings; undefined when an SDK lacks it.
 */
function secretKeys(values: Record<string, string>): string[] | undefined {
  const isSecret = (runtimeConfig as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  return isSecret === undefined ? undefined : Object.keys(values).filter((k) => isSecret(k));
}

/** The validated, frozen configuration of the current stack. */
export function stackConfig(): StackConfig {
  try {
    const values = pulumi.runtime.allConfig();
    return loadConfig({ stack: pulumi.getStack(), values, secretKeys: secretKeys(values) });
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

/** The stack's checked placement lock (stacks/placement.ts); problems abort like config problems. */
export function stackPlacementLock(cfg: StackConfig, dir: string): PlacementLock {
  try {
    return stackPlacement(cfg, dir);
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}
