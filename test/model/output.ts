/**
 * admin_cli's output conventions, as the model prints them: tables, errors, the command-line tokenizer.
 * Sources: AliyunContainerService/alibabacloud-3FS at ab363af.
 */

/** A command failure: `Encounter error: <code>(<name>)` then the message, on stdout (Dispatcher.cc:41-51). */
export class CliError extends Error {
  constructor(
    public readonly code: number,
    public readonly codeName: string,
    message = "",
  ) {
    super(message);
  }

  render(): string {
    return `Encounter error: ${this.code}(${this.codeName})${this.message ? `\n${this.message}` : ""}`;
  }
}

/** Status codes the model raises (src/common/utils/StatusCodeDetails.h). */
export const E = {
  invalidArg: (m: string) => new CliError(3, "InvalidArg", m),
  invalidConfig: (m: string) => new CliError(4, "InvalidConfig", m),
  authFail: (m: string) => new CliError(25, "AuthenticationFail", m),
  invalidFormat: (m: string) => new CliError(33, "InvalidFormat", m),
  unknown: (m: string) => new CliError(999, "Unknown", m),
  rpcTimeout: (m = "") => new CliError(2005, "RPC::Timeout", m),
  metaNotFound: (m = "") => new CliError(3000, "Meta::NotFound", m),
  metaExists: () => new CliError(3007, "Meta::Exists"),
  metaNoPermission: (m: string) => new CliError(3008, "Meta::NoPermission", m),
  invalidFileLayout: (m: string) => new CliError(3013, "Meta::InvalidFileLayout", m),
  storageInitFailed: (m: string) => new CliError(4018, "Storage::StorageInitFailed", m),
  targetOffline: (m: string) => new CliError(4030, "Storage::TargetOffline", m),
  targetStateInvalid: (m: string) => new CliError(4032, "Storage::TargetStateInvalid", m),
  nodeNotFound: (m = "") => new CliError(5001, "Mgmtd::NodeNotFound", m),
  registerFail: (m: string) => new CliError(5004, "Mgmtd::RegisterFail", m),
  invalidChainTable: (m: string) => new CliError(5007, "Mgmtd::InvalidChainTable", m),
  chainNotFound: (m: string) => new CliError(5012, "Mgmtd::ChainNotFound", m),
  nodeTypeMismatch: (m: string) => new CliError(5013, "Mgmtd::NodeTypeMismatch", m),
  targetNotFound: (m: string) => new CliError(5017, "Mgmtd::TargetNotFound", m),
  targetExisted: (m: string) => new CliError(5018, "Mgmtd::TargetExisted", m),
  primaryNotFound: () => new CliError(6000, "MgmtdClient::PrimaryMgmtdNotFound"),
  metaUnavailable: () => new CliError(6002, "MgmtdClient::MetaServiceNotAvailable"),
  routingNotReady: () => new CliError(6004, "MgmtdClient::RoutingInfoNotReady"),
  routingError: (m = "") => new CliError(7004, "StorageClient::RoutingError", m),
  noRdma: () => new CliError(7016, "StorageClient::NoRDMAInterface"),
  wrongUsage: (m: string) => new CliError(10000, "Cli::WrongUsage", m),
};

/**
 * An OutputTable as Printer prints it (src/client/cli/common/Printer.cc:4-25): column width = longest cell
 * (any row, bytes) + 2; every cell but the last of its row padded to it; the last cell unpadded; an empty
 * table prints nothing.
 */
export function table(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, Buffer.byteLength(String(c)) + 2)));
  return rows.map((r) => r.map((c, i) => (i + 1 < r.length ? String(c).padEnd(widths[i]) : String(c))).join("")).join("\n");
}

/**
 * Splits a command line like admin_cli's parser (src/client/cli/common/Parser.cc:12-63): whitespace
 * separates; '…' and "…" quote; a backslash outside quotes escapes; an unterminated quote is an error.
 */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let has = false;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      has = true;
    } else if (ch === "\\") {
      if (i + 1 >= line.length) throw E.invalidArg("leave with escaped");
      cur += line[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (quote) throw E.invalidArg("leave with quoted");
  if (has) out.push(cur);
  return out;
}

/** The shape of a command's arguments, in the manner of its argparse parser. */
export interface ArgSpec {
  usage: string;
  positional: string[];
  /** Optional trailing positionals (nargs any) collected into `rest`. */
  rest?: boolean;
  flags?: string[];
  values?: string[];
  /** Aliases: short → long. */
  aliases?: Record<string, string>;
}

export interface ParsedArgs {
  pos: string[];
  flags: Set<string>;
  values: Record<string, string>;
}

/**
 * Parses a command's words; a missing positional or a leftover word is Cli::WrongUsage with the usage text
 * (Dispatcher.cc:121-128,146-156; Utils.h:5-9).
 */
export function parseArgs(words: string[], spec: ArgSpec): ParsedArgs {
  const out: ParsedArgs = { pos: [], flags: new Set(), values: {} };
  for (let i = 0; i < words.length; i++) {
    const w = spec.aliases?.[words[i]] ?? words[i];
    if (spec.flags?.includes(w)) out.flags.add(w);
    else if (spec.values?.includes(w)) {
      if (i + 1 >= words.length) throw E.wrongUsage(`parse failed: ${w}: 1 argument(s) expected. 0 provided.\n${spec.usage}`);
      out.values[w] = words[++i];
    } else if (w.startsWith("-") && !/^-\d/.test(w)) throw E.wrongUsage(spec.usage);
    else out.pos.push(w);
  }
  if (out.pos.length < spec.positional.length) throw E.wrongUsage(`parse failed: ${spec.positional[out.pos.length]}: 1 argument(s) expected. 0 provided.\n${spec.usage}`);
  if (!spec.rest && out.pos.length > spec.positional.length) throw E.wrongUsage(spec.usage);
  return out;
}

/** An unsigned integer argument (argparse scan<'u'>): anything else fails the parse. */
export function uint(v: string, usage: string, max = 0xffffffff): number {
  if (!/^\d+$/.test(v) || Number(v) > max) throw E.wrongUsage(`parse failed: pattern not found\n${usage}`);
  return Number(v);
}

/** Model time as list-nodes prints it: `%Y-%m-%d %H:%M:%S` (UtcTime.cc:22-25; the pods run in UTC). */
export function timestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("T", " ").slice(0, 19);
}
