import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { createLogger } from '../logger.ts';
import { type Jobs, startJobs } from './jobs.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe('starting the job queue', () => {
  it('starts four times at once (each start with its own pools, as server processes do) on a database without its schema', async () => {
    const logger = createLogger('silent');
    const started: Jobs[] = [];
    try {
      const results = await Promise.allSettled(Array.from({ length: 4 }, () => startJobs(t.url, logger, 2)));
      for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
      expect(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
      await Promise.all(started.map((j) => j.ping()));
      const [row] = await t.database
        .sql`select count(*)::int as n from information_schema.schemata where schema_name = 'pgboss'`;
      expect(row.n).toBe(1);
    } finally {
      await Promise.all(started.map((j) => j.stop()));
    }
  });
});
