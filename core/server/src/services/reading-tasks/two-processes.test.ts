import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withTenant } from '../../db/tenant.ts';
import { ingestTenant } from '../readings/ingest-fixtures.ts';
import { addLineMeters, LINE_A, readingCounts, settled } from './engine-fixtures.ts';
import { createSchedule } from './schedules.ts';

// Two server processes (child processes, each its own pg-boss and engine) on one database, started
// at the same moment, tick the same schedule slots at the same moments: each slot runs once.
const HOUR = 3_600_000;
const SLOTS = 4;
const GAP_MS = 1_500;
let t: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await t?.drop();
});

function server(slots: number[]) {
  const child = spawn(process.execPath, [
    fileURLToPath(new URL('../../../test/schedule-child.ts', import.meta.url)),
    t.url,
    LINE_A,
    '1',
    slots.join(','),
    String(GAP_MS),
  ]);
  children.push(child);
  let out = '';
  let err = '';
  child.stderr?.on('data', (d) => {
    err += d;
  });
  child.stdout?.on('data', (d) => {
    out += d;
  });
  const lines = (re: RegExp, n: number, ms: number) =>
    new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child: ${out}\n${err}`)), ms);
      const check = () => {
        const got = out.split('\n').filter((l) => re.test(l));
        if (got.length >= n) {
          clearTimeout(timer);
          resolve(got);
        }
      };
      child.stdout?.on('data', () => setImmediate(check));
      child.on('exit', (code) => code !== null && reject(new Error(`child exited ${code}: ${err}`)));
      check();
    });
  return { child, lines };
}

describe('two server processes on one database', () => {
  it('run each scheduled slot exactly once', async () => {
    const db = t.database.db;
    const tenant = await ingestTenant(db, 'two-procs');
    const [meter] = await addLineMeters(db, tenant, [LINE_A], 1);
    const schedule = await withTenant(db, tenant.tenantId, async (tx) => {
      const s = await createSchedule(
        tx,
        {
          kind: 'user',
          id: randomUUID(),
          name: 'admin',
          displayName: 'Admin',
          locale: 'zh-CN',
          tenantId: tenant.tenantId,
          permissions: new Set(),
          areaScope: null,
        },
        tenant.tenantId,
        { name: 'hourly', target: 'meter', targetId: meter, kind: 'realtime', frequency: 'hourly' },
      );
      await tx.execute(
        sql`update reading_schedules set created_at = now() - interval '1 day' where id = ${s.id}`,
      );
      return s;
    });
    const base = Math.floor((Date.now() - 10 * HOUR) / HOUR) * HOUR + 60_000;
    const slots = Array.from({ length: SLOTS }, (_, k) => base + k * HOUR);
    // both start at once (the job queue's start is serialised) and tick the same instants
    const a = server(slots);
    const b = server(slots);
    await Promise.all([a.lines(/^started$/, 1, 30_000), b.lines(/^started$/, 1, 30_000)]);
    const at = Date.now() + 300;
    for (const s of [a, b]) s.child.stdin?.write(`go ${at}\n`);
    const ticks = await Promise.all([a.lines(/^tick /, SLOTS, 30_000), b.lines(/^tick /, SLOTS, 30_000)]);
    const created = ticks.flat().reduce((n, l) => n + Number(l.split(' ')[2]), 0);
    expect(created).toBe(SLOTS);
    const tasks = (await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(sql`select id::text as id, (extract(epoch from slot) * 1000)::float8 as slot
        from reading_tasks where schedule_id = ${schedule.id} order by slot`),
    )) as unknown as { id: string; slot: number }[];
    expect(tasks.map((x) => x.slot)).toEqual(slots.map((s) => s - 60_000));
    for (const x of tasks) expect(await settled(db, tenant.tenantId, x.id)).toBe('done');
    // each slot's task ran once: one real-time reading per slot
    expect(await readingCounts(db, tenant.tenantId)).toEqual([{ meterId: meter, kind: 1, n: SLOTS }]);
  });
});
