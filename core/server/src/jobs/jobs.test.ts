import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { createLogger } from '../logger.ts';
import { type Jobs, startJobs } from './jobs.ts';

let t: TestDatabase;
let jobs: Jobs;
beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobs(t.url, createLogger('silent'));
});
afterAll(async () => {
  await jobs?.stop();
  await t?.drop();
});

describe('jobs', () => {
  it('runs pg-boss in its own schema', async () => {
    const rows = await t.database
      .sql`select schema_name from information_schema.schemata where schema_name = 'pgboss'`;
    expect(rows.length).toBe(1);
    await jobs.ping();
  });

  it('carries the tenant id with every job, singly and in batches', async () => {
    const seen: { tenantId: string; data: { n: number } }[] = [];
    const done = new Promise<void>((resolve) => {
      void jobs.work<{ n: number }>(
        'test.echo',
        async (job) => {
          seen.push({ tenantId: job.tenantId, data: job.data });
          if (seen.length === 4) resolve();
        },
        { batchSize: 10, pollingIntervalSeconds: 0.5 },
      );
    });
    const tenant = crypto.randomUUID();
    await jobs.send('test.echo', tenant, { n: 1 });
    await jobs.insert('test.echo', tenant, [{ n: 2 }, { n: 3 }, { n: 4 }]);
    await done;
    expect(seen.map((s) => s.tenantId)).toEqual([tenant, tenant, tenant, tenant]);
    expect(seen.map((s) => s.data.n).sort()).toEqual([1, 2, 3, 4]);
  });
});
