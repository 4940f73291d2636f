import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Logger } from '../../logger.ts';
import type { Platform } from '../../platform.ts';
import type { AppEnv } from '../env.ts';

const TIMEOUT = Symbol('timeout');

type CheckResult = 'ok' | 'timeout' | 'unavailable';

/**
 * Runs one readiness probe. The answer names only the outcome: error messages can carry internal
 * host names, ports and database names, so they go to the log, never to the client.
 */
async function check(name: string, log: Logger, fn: () => Promise<unknown>, ms = 2000): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(TIMEOUT), ms);
      }),
    ]);
    return 'ok';
  } catch (err) {
    if (err === TIMEOUT) {
      log.warn({ check: name }, 'readiness check timed out');
      return 'timeout';
    }
    log.warn({ err, check: name }, 'readiness check failed');
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

/** /healthz: the process answers. /readyz: the database and the job queue answer too. */
export function healthRoutes(p: Platform) {
  const r = new Hono<AppEnv>();
  r.get('/healthz', (c) => c.json({ status: 'ok', role: p.config.QUADMETER_ROLE }));
  r.get('/readyz', async (c) => {
    const log = c.get('log') ?? p.logger;
    const checks = {
      database: await check('database', log, () => p.db.execute(sql`select 1`)),
      jobs: await check('jobs', log, () => p.jobs.ping()),
    };
    const ok = Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: ok ? 'ok' : 'unavailable', checks }, ok ? 200 : 503);
  });
  return r;
}
