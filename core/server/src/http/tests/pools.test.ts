import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { poolNames } from '../../db/client.ts';

let p: TestPlatform;
let admin: Client;

beforeAll(async () => {
  p = await startTestPlatform({
    QUADMETER_POOL_PLUGINS: '2',
    QUADMETER_POOL_JOBS: '2',
    QUADMETER_POOL_HTTP: '3',
  });
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
});
afterAll(async () => p?.stop());

async function activity() {
  return await p.running.platform.database.sql<{ app: string; state: string; query: string }[]>`
    select application_name as app, state, query from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()`;
}

describe('separate connection pools', () => {
  it('the API answers while long plugin work holds every plugin connection', async () => {
    const { database } = p.running.platform;
    const events: string[] = [];
    // saturate the plugins pool (2 connections) and queue one more statement behind it
    const sleeps = [1, 2].map((i) =>
      database.plugins.execute(sql`select pg_sleep(60)`).then(
        () => events.push(`sleep ${i} finished`),
        () => events.push(`sleep ${i} ended`),
      ),
    );
    for (let i = 0; i < 500; i++) {
      const sleeping = (await activity()).filter(
        (a) => a.app === poolNames.plugins && a.state === 'active' && a.query.includes('pg_sleep'),
      );
      if (sleeping.length === 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const queued = database.plugins.execute(sql`select 1`).then(() => events.push('queued plugin query'));

    const r = await admin.get('/api/v1/areas');
    events.push('api answered');
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);

    const seen = await activity();
    const byApp = (app: string) => seen.filter((a) => a.app === app);
    expect(
      byApp(poolNames.plugins).filter((a) => a.query.includes('pg_sleep') && a.state === 'active'),
    ).toHaveLength(2);
    expect(byApp(poolNames.http).length).toBeGreaterThanOrEqual(1);
    expect(byApp(poolNames.http).length).toBeLessThanOrEqual(3);
    expect(seen.some((a) => a.app === 'quadmeter-jobs')).toBe(true); // pg-boss, sized by QUADMETER_POOL_JOBS

    // the API answered while both sleeps ran and a plugin statement still waited for a connection
    expect(events).toEqual(['api answered']);

    await database.sql`select pg_cancel_backend(pid) from pg_stat_activity
      where application_name = ${poolNames.plugins} and query like '%pg_sleep%' and pid <> pg_backend_pid()`;
    await Promise.all([...sleeps, queued]);
    expect(events.slice(0, 1)).toEqual(['api answered']);
    expect(events).toContain('queued plugin query');
  });

  it('job work has its own named pool', async () => {
    await p.running.platform.database.jobs.execute(sql`select 1`);
    expect((await activity()).some((a) => a.app === poolNames.jobs)).toBe(true);
  });
});
