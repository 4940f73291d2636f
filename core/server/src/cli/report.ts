import { isAppError } from '@quadmeter/sdk';

/** One line for stderr, `error CODE: message`, never a stack; the exit code (2 usage, 1 otherwise). */
export function describeFailure(e: unknown): { line: string; exitCode: number } {
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, '; ').trim();
  if (isAppError(e)) {
    return { line: `error ${e.code}: ${oneLine(e.message)}`, exitCode: e.code === 'CLI_USAGE' ? 2 : 1 };
  }
  const err = e as { code?: unknown; message?: unknown } | undefined;
  const message = typeof err?.message === 'string' && err.message ? err.message : String(e);
  const code = typeof err?.code === 'string' && /^[A-Z0-9_]+$/.test(err.code) ? ` (${err.code})` : '';
  return { line: `error INTERNAL: ${oneLine(message)}${code}`, exitCode: 1 };
}
