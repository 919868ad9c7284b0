/**
 * Error and validation-problem types shared by the chain-table modules.
 *
 * Messages are single lines meant for an operator (CLI stderr, a Pulumi config error), so callers can
 * print them as they are. Validation helpers do not throw: they return every problem, tagged with the
 * input field it belongs to, so that a config layer can attach each one to its own key.
 */

/**
 * One validation problem: the input field it belongs to (the option's name in PlacementInput or
 * ChainTableSpec, e.g. "targetsPerDisk") and a one-line message that names it too.
 */
export interface ChainTableIssue {
  field: string;
  message: string;
}

/** The one error type the chain-table modules throw; the message is always a single line. */
export class ChainTableError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, " "));
    this.name = "ChainTableError";
  }
}
