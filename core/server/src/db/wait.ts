import { AppError } from '@quadmeter/sdk';
import postgres from 'postgres';
import type { Logger } from '../logger.ts';

/** Errors that a database still starting (or briefly away) gives; anything else fails at once. */
const transient = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
]);

export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured database';
  }
}

function reason(e: unknown): { code: string; text: string } {
  const err = e as { code?: string; message?: string };
  const code = String(err?.code ?? 'UNKNOWN');
  return { code, text: err?.message ? `${code}: ${err.message}` : code };
}

/**
 * Waits until PostgreSQL answers `select 1`, retrying connection failures with backoff
 * (0.5 s, 1 s, 2 s … capped at 5 s) for up to `budgetSeconds`; then fails with DB_UNAVAILABLE
 * naming host:port and the last reason. Login and missing-database errors fail at once.
 */
export async function waitForDatabase(url: string, logger: Logger, budgetSeconds = 30): Promise<void> {
  const target = describeTarget(url);
  const deadline = Date.now() + budgetSeconds * 1000;
  let delay = 500;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - Date.now();
    const sql = postgres(url, {
      max: 1,
      onnotice: () => {},
      connect_timeout: Math.max(1, Math.min(10, Math.ceil(remaining / 1000))),
    });
    try {
      await sql`select 1`;
      if (attempt > 1) logger.info({ target, attempt }, `PostgreSQL at ${target} is reachable`);
      return;
    } catch (e) {
      const why = reason(e);
      const left = deadline - Date.now();
      if (!transient.has(why.code)) {
        throw new AppError('DB_UNAVAILABLE', `PostgreSQL at ${target} cannot be used (${why.text})`);
      }
      if (left <= 0) {
        throw new AppError(
          'DB_UNAVAILABLE',
          `PostgreSQL at ${target} is not reachable after ${attempt} attempt(s) in ${budgetSeconds} s (${why.code})`,
        );
      }
      const wait = Math.min(delay, left);
      logger.warn(
        { target, attempt, code: why.code },
        `PostgreSQL at ${target} is not reachable (${why.code}); retrying in ${(wait / 1000).toFixed(1)} s`,
      );
      await new Promise((r) => setTimeout(r, wait));
      delay = Math.min(delay * 2, 5000);
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {});
    }
  }
}
