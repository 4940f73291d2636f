import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { Platform } from '../../platform.ts';
import type { AppEnv } from '../env.ts';

async function check(fn: () => Promise<unknown>, ms = 2000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), ms);
      }),
    ]);
    return 'ok';
  } catch (e) {
    return e instanceof Error ? e.message : 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/** /healthz: the process answers. /readyz: the database and the job queue answer too. */
export function healthRoutes(p: Platform) {
  const r = new Hono<AppEnv>();
  r.get('/healthz', (c) => c.json({ status: 'ok' }));
  r.get('/readyz', async (c) => {
    const checks = {
      database: await check(() => p.db.execute(sql`select 1`)),
      jobs: await check(() => p.jobs.ping()),
    };
    const ok = Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: ok ? 'ok' : 'unavailable', checks }, ok ? 200 : 503);
  });
  return r;
}
