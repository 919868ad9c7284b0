/**
 * The model's command table and one command line's execution, as admin_cli's Dispatcher runs it
 * (src/client/cli/common/Dispatcher.cc:131-169 of alibabacloud-3FS ab363af): tokenize, look up the name
 * (unknown: 3 "Unknown method name: <name>"), run; a failure prints as CliError.render().
 */
import { FS_COMMANDS } from "./fsCommands";
import { CliError, E, tokenize } from "./output";
import { ROUTING_COMMANDS } from "./routingCommands";
import type { Session } from "./session";
import { TARGET_COMMANDS } from "./targetCommands";

export const COMMANDS: Record<string, (s: Session, words: string[]) => string> = { ...FS_COMMANDS, ...ROUTING_COMMANDS, ...TARGET_COMMANDS };

/** Runs one command line; returns what admin_cli prints for it and whether it failed. */
export function execute(session: Session, line: string): { out: string; failed: boolean } {
  if (line.trim() === "") return { out: "", failed: false };
  session.state.calls.push(line.trim());
  try {
    const words = tokenize(line);
    const handler = COMMANDS[words[0]];
    if (!handler) throw E.invalidArg(`Unknown method name: ${words[0]}`);
    return { out: handler(session, words.slice(1)), failed: false };
  } catch (e) {
    if (e instanceof CliError) return { out: e.render(), failed: true };
    throw e;
  }
}
