/** `--name value` and `--flag` parsing for the sim sub-commands. */
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

export function parseArgs(args: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (eq > 0) options.set(name, a.slice(eq + 1));
    else if (flags.includes(name)) options.set(name, 'true');
    else {
      const v = args[i + 1];
      if (v === undefined || v.startsWith('--')) throw new CliError(`--${name} needs a value`);
      options.set(name, v);
      i++;
    }
  }
  return { positional, options };
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
