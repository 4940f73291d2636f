import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../../test/db.ts';
import type { Config } from '../../../../config.ts';
import { withTenant } from '../../../../db/tenant.ts';
import { installedPlugins } from '../../../../installed-plugins.ts';
import { type Jobs, startJobs } from '../../../../jobs/jobs.ts';
import { createLogger } from '../../../../logger.ts';
import { createRegistry } from '../../../../registry/index.ts';
import { ingestReadings } from '../../../readings/ingest.ts';
import {
  addMeters,
  ingestDeps,
  ingestTenant,
  serialReading,
  TRANSPORT,
  testAddress,
} from '../../../readings/ingest-fixtures.ts';
import { startVee, veeOnStored } from '../jobs.ts';

const LINE = 'tcp://127.0.0.1:9932';
const NOW = new Date('2026-11-30T00:00:00Z');
const logger = createLogger('silent');

let t: TestDatabase;
let jobs: Jobs;
beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobs(t.url, logger);
  const registry = createRegistry({ plugins: installedPlugins, logger });
  await startVee(
    {
      registry,
      jobs,
      logger,
      database: t.database,
      config: { QUADMETER_TIMEZONE: 'Asia/Shanghai' } as Config,
    },
    () => NOW,
  );
}, 60_000);
afterAll(async () => {
  await jobs?.stop();
  await t?.drop();
});

describe('diagnosis after ingest', () => {
  it('the ingest hook enqueues the touched meters and the worker records the finding', async () => {
    const tenant = await ingestTenant(t.database.db, 'veejobs');
    const [meter] = await addMeters(t.database.db, tenant, [
      { comm: testAddress(0), via: 'serial', line: LINE, digits: 6 },
    ]);
    const deps = { ...ingestDeps(t.database.db, () => NOW.getTime()), stored: veeOnStored(jobs, logger) };
    const at = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
    const res = await ingestReadings(
      deps,
      TRANSPORT,
      [
        [2, '0.000'],
        [1, '0.400'],
        [0, '1.000'],
      ].map(([h, rev], i) =>
        serialReading(LINE, testAddress(0), at(h as number), `${10 + i}.000`, {
          registers: { totalVolume: `${10 + i}.000`, reverseVolume: rev as string },
        }),
      ),
    );
    expect(res.stored).toBe(3);
    let rows: { rule: string; meterId: string }[] = [];
    for (let i = 0; i < 60 && rows.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      rows = (await withTenant(t.database.db, tenant.tenantId, (tx) =>
        tx.execute(sql`select rule, meter_id::text as "meterId" from anomaly_findings`),
      )) as unknown as { rule: string; meterId: string }[];
    }
    expect(rows).toEqual([{ rule: 'reverse-flow', meterId: meter }]);
  }, 60_000);
});
