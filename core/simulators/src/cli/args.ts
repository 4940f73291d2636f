import { parseArgs as parseArgsStrict } from 'node:util';

/** `--name value` parsing for the sim sub-commands. */
export interface ParsedArgs {
  positional: string[];
  options: Map<string, string>;
}

export class CliError extends Error {
  readonly code: 'CLI_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
    this.code = 'CLI_USAGE';
  }
}

/**
 * Strict `node:util` parseArgs over the command's option names (all take a value): an unknown
 * option, a missing value or a stray argument is a CliError naming it.
 */
export function parseArgs(args: readonly string[], names: readonly string[]): ParsedArgs {
  const options = Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgsStrict({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const flag = /'(-[^' ]+)/.exec(err.message ?? '')?.[1] ?? '';
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new CliError(`unknown option ${flag}`);
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new CliError(`${flag} needs a value`);
    throw new CliError((err.message ?? String(e)).split('\n')[0]);
  }
  if (parsed.positionals.length > 0) throw new CliError(`unexpected argument "${parsed.positionals[0]}"`);
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(parsed.values)) if (typeof v === 'string') out.set(k, v);
  return { positional: parsed.positionals, options: out };
}

export function intOption(
  p: ParsedArgs,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = p.options.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`--${name} must be an integer in ${min}..${max}, got "${v}"`);
  return n;
}

export function numberOption(
  p: ParsedArgs,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_VALUE,
): number {
  const v = p.options.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new CliError(`--${name} must be a number in ${min}..${max}, got "${v}"`);
  return n;
}

/** "host:port" → parts; a bare port means 127.0.0.1. */
export function hostPort(text: string, what: string): { host: string; port: number } {
  const m = /^(?:(.*):)?(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port > 65535) throw new CliError(`${what} must be host:port, got "${text}"`);
  return { host: m[1] || '127.0.0.1', port };
}

export function requireOption(p: ParsedArgs, name: string): string {
  const v = p.options.get(name);
  if (v === undefined) throw new CliError(`--${name} is required`);
  return v;
}
