import type { PluginContext } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { installedPlugins } from '../../installed-plugins.ts';
import { type Jobs, startJobs } from '../../jobs/jobs.ts';
import { createLogger } from '../../logger.ts';
import { type PluginHost, startPlugins } from '../../plugin-host.ts';
import { notifier } from '../../registry/test-fixtures.ts';
import { createSecretBox } from '../../secrets/secret-box.ts';
import { addConcentrator, addMeters, ingestTenant, serialReading } from './ingest-fixtures.ts';

let t: TestDatabase;
let jobs: Jobs;
let host: PluginHost;
let ctx: PluginContext | undefined;
beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobs(t.url, createLogger('silent'));
  // any running plugin gets the core API; a notifier stands in for a transport here
  const probe = notifier('probe', {
    start: (c) => {
      ctx = c;
    },
  });
  host = await startPlugins({
    logger: createLogger('silent'),
    db: t.database.plugins,
    ingestDb: t.database.jobs,
    jobs,
    secrets: createSecretBox(Buffer.alloc(32, 1)),
    plugins: [...installedPlugins, probe],
  });
});
afterAll(async () => {
  await host?.stop();
  await jobs?.stop();
  await t?.drop();
});

describe('CoreApi as the plugin host offers it', () => {
  it('ingests through the device registry among the tenants that enabled the calling plugin', async () => {
    const db = t.database.jobs;
    const on = await ingestTenant(db, 'core-on');
    const off = await ingestTenant(db, 'core-off');
    await withTenant(db, on.tenantId, (tx) =>
      tx.execute(
        sql`insert into plugin_settings (tenant_id, plugin_id, enabled) values (${on.tenantId}, 'notifier-probe', true)`,
      ),
    );
    const [m] = await addMeters(db, on, [{ comm: '000000000009', via: 'serial', line: 'tty:/dev/ttyS9' }]);
    await addMeters(db, off, [{ comm: '000000000008', via: 'serial', line: 'tty:/dev/ttyS9' }]);
    await addConcentrator(db, on, '3501', 9);
    if (!ctx) throw new Error('the probe plugin did not start');
    expect(await ctx.core.enabledTenants()).toEqual([on.tenantId]);
    const res = await ctx.core.ingestReadings([
      serialReading('tty:/dev/ttyS9', '000000000009', '2026-11-25T08:00:00+08:00', '3.000'),
      // the other tenant's meter: that tenant did not enable the plugin
      serialReading('tty:/dev/ttyS9', '000000000008', '2026-11-25T08:00:00+08:00', '3.000'),
    ]);
    expect(res.outcomes).toEqual([
      { status: 'stored', tenantId: on.tenantId, meterId: m, flags: [] },
      { status: 'unmatched', reason: 'NO_ROUTE' },
    ]);
    expect(await ctx.core.gatewayHeartbeat({ a1: '3501', a2: 9 })).toMatchObject({
      matched: true,
      tenantId: on.tenantId,
    });
    expect(await ctx.core.gatewayOnline({ a1: '3501', a2: 9 }, false)).toMatchObject({ matched: true });
  });
});
