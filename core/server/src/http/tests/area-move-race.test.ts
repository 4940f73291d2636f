import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';

let p: TestPlatform;
let admin: Client;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
});
afterAll(async () => p?.stop());

async function waitForBlocked(n: number) {
  const sql = p.running.platform.database.sql;
  for (let i = 0; i < 500; i++) {
    const [{ waiting }] = await sql`select count(*)::int as waiting from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and application_name = 'quadmeter-http'`;
    if (waiting >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${n} backends ever waited on a lock`);
}

describe('concurrent area moves', () => {
  it('X under Y and Y under X at once: one succeeds, the other is AREA_CYCLE, no cycle remains', async () => {
    const x = (await admin.post('/api/v1/areas', { parentId: null, name: 'race-X', kind: 'company' })).body;
    const y = (await admin.post('/api/v1/areas', { parentId: null, name: 'race-Y', kind: 'company' })).body;
    // Hold back every write to areas until both requests are in flight and have read what they
    // read, so the interleaving is forced rather than left to chance.
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const holding = new Promise<void>((r) => {
      locked = r;
    });
    const blocker = p.running.platform.database.sql.begin(async (s) => {
      await s`lock table areas in share mode`;
      locked();
      await gate;
    });
    await holding; // the lock is held before either request starts
    const moves = Promise.all([
      admin.patch(`/api/v1/areas/${x.id}`, { parentId: y.id }),
      admin.patch(`/api/v1/areas/${y.id}`, { parentId: x.id }),
    ]);
    await waitForBlocked(2);
    release();
    await blocker;
    const results = await moves;

    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const failed = results.find((r) => r.status === 409)!;
    expect(failed.body.error.code).toBe('AREA_CYCLE');

    const items: { id: string; parentId: string | null; path: string[] }[] = (
      await admin.get('/api/v1/areas')
    ).body.items;
    const byId = new Map(items.map((a) => [a.id, a]));
    for (const a of items) {
      expect(new Set(a.path).size, `path of ${a.id} repeats an id`).toBe(a.path.length);
      expect(a.path.at(-1)).toBe(a.id);
      // the parent chain terminates at a root and matches the stored path
      const chain: string[] = [];
      for (let cur: typeof a | undefined = a; cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
        chain.unshift(cur.id);
        expect(chain.length).toBeLessThanOrEqual(items.length);
      }
      expect(chain).toEqual(a.path);
    }
  });
});
