import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { withTenant } from '../db/tenant.ts';
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

  it('completes each job of a batch on its own: one failure never re-runs its neighbours', async () => {
    const queue = 'test.batch';
    await jobs.boss.createQueue(queue, { retryLimit: 1, retryDelay: 0 });
    const runs = new Map<number, number>();
    let failedRuns = 0;
    await jobs.work<{ n: number }>(
      queue,
      async (job) => {
        runs.set(job.data.n, (runs.get(job.data.n) ?? 0) + 1);
        if (job.data.n === 3) {
          failedRuns++;
          throw new Error('meter 3 unreachable');
        }
      },
      { batchSize: 10, pollingIntervalSeconds: 0.5 },
    );
    await jobs.insert(
      queue,
      crypto.randomUUID(),
      [1, 2, 3, 4, 5].map((n) => ({ n })),
    );
    for (let i = 0; i < 100 && failedRuns < 2; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500)); // room for a wrong re-run of the batch
    expect(Object.fromEntries(runs)).toEqual({ 1: 1, 2: 1, 3: 2, 4: 1, 5: 1 });
    const states = await t.database.sql<{ n: number; state: string }[]>`
      select (data->'data'->>'n')::int as n, state from pgboss.job where name = ${queue} order by 1`;
    expect(states).toEqual([
      { n: 1, state: 'completed' },
      { n: 2, state: 'completed' },
      { n: 3, state: 'failed' },
      { n: 4, state: 'completed' },
      { n: 5, state: 'completed' },
    ]);
    await jobs.offWork(queue);
  });

  it('runs a queue with local concurrency', async () => {
    let active = 0;
    let peak = 0;
    let done = 0;
    await jobs.work(
      'test.parallel',
      async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 400));
        active--;
        done++;
      },
      { batchSize: 1, concurrency: 3, pollingIntervalSeconds: 0.5 },
    );
    await jobs.insert('test.parallel', crypto.randomUUID(), [{}, {}, {}, {}, {}, {}]);
    for (let i = 0; i < 100 && done < 6; i++) await new Promise((r) => setTimeout(r, 100));
    expect(done).toBe(6);
    expect(peak).toBe(3);
    await jobs.offWork('test.parallel');
  });

  it('wakes a wakeOnSend worker when the enqueuing transaction commits, not at its next poll', async () => {
    const [{ id: tenantId }] = await t.database.sql<{ id: string }[]>`
      insert into tenants (code, name) values ('jobs-wake', 'Jobs') returning id`;
    const queue = 'test.wake';
    const seen: string[] = [];
    let woken = () => {};
    const arrived = new Promise<void>((resolve) => {
      woken = resolve;
    });
    await jobs.work<{ n: string }>(
      queue,
      async (job) => {
        seen.push(job.data.n);
        woken();
      },
      // a poll a minute, beyond this test's timeout: only the NOTIFY can bring the job in time
      { batchSize: 1, pollingIntervalSeconds: 60, wakeOnSend: true },
    );
    expect((await jobs.boss.getQueue(queue))?.notify).toBe(true);
    await new Promise((r) => setTimeout(r, 1000)); // past the worker's first fetch
    await withTenant(t.database.db, tenantId, (tx) => jobs.send(queue, tenantId, { n: 'committed' }, { tx }));
    await arrived;
    expect(seen).toEqual(['committed']);
    await jobs.offWork(queue);
  });

  it('enqueues inside the caller’s tenant transaction: rollback drops the job, commit keeps it', async () => {
    const [{ id: tenantId }] = await t.database.sql<{ id: string }[]>`
      insert into tenants (code, name) values ('jobs-tx', 'Jobs') returning id`;
    const queue = 'test.tx';
    await jobs.ensureQueue(queue);
    await expect(
      withTenant(t.database.db, tenantId, async (tx) => {
        await jobs.send(queue, tenantId, { n: 'rolled back' }, { tx });
        throw new Error('domain write failed');
      }),
    ).rejects.toThrow('domain write failed');
    const kept = await withTenant(t.database.db, tenantId, async (tx) => {
      await jobs.insert(queue, tenantId, [{ n: 'batch' }], { tx });
      return await jobs.send(queue, tenantId, { n: 'committed' }, { tx });
    });
    const rows = await t.database.sql<{ id: string; n: string }[]>`
      select id, data->'data'->>'n' as n from pgboss.job where name = ${queue} order by n`;
    expect(rows.map((r) => r.n)).toEqual(['batch', 'committed']);
    expect(rows.find((r) => r.n === 'committed')?.id).toBe(kept);
  });
});
