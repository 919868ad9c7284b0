/**
 * Reads the stack configuration from the Pulumi runtime and validates it (see `config.ts`).
 * An invalid config aborts the program with a `pulumi.RunError`, which Pulumi prints as the message
 * alone (one line per problem), without a stack trace, before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlacementLock } from "../lib/threefs/placementLock";
import { ConfigError, loadConfig, type StackConfig } from "./config";
import { stackPlacement } from "./placement";

/** The validated, frozen configuration of the current stack. */
export function stackConfig(): StackConfig {
  try {
    return loadConfig({ stack: pulumi.getStack(), values: pulumi.runtime.allConfig() });
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
