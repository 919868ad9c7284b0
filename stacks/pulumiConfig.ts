/**
 * Reads the stack configuration from the Pulumi runtime and validates it (see `config.ts`).
 * An invalid config aborts the program with a `pulumi.RunError`, which Pulumi prints as the message
 * alone (one line per problem), without a stack trace, before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadConfig, type StackConfig } from "./config";

/** The validated, frozen configuration of the current stack. */
export function stackConfig(): StackConfig {
  try {
    return loadConfig({ stack: pulumi.getStack(), values: pulumi.runtime.allConfig() });
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
    throw e;
  }
}
