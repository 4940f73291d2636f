import { parseArgs } from 'node:util';
import { AppError } from '@quadmeter/sdk';

export type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * `node:util` parseArgs, strict: an unknown option or a missing value is a CLI_USAGE error whose
 * one-line message names the option and the command.
 */
export function parseCommand(command: string, args: string[], options: OptionSpec = {}): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const flag = /'(-[^' ]+)/.exec(err.message ?? '')?.[1] ?? '';
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new AppError('CLI_USAGE', `unknown option ${flag} for 'quadmeter ${command}'`);
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new AppError('CLI_USAGE', `option ${flag} of 'quadmeter ${command}' needs a value`);
    throw new AppError('CLI_USAGE', `${err.message ?? String(e)}`.split('\n')[0]);
  }
}

export function text(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function usage(line: string): AppError {
  return new AppError('CLI_USAGE', `usage: ${line}`);
}
