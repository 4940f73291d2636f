import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { arrayOf } from './sql-helpers.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe('arrayOf', () => {
  it('carries every text through one array parameter unchanged, null and undefined as NULL', async () => {
    const values = [
      'plain',
      'a,b',
      '{braces}',
      'say "hi"',
      'back\\slash',
      '',
      'NULL',
      '峰 尖',
      ' spaced ',
      null,
      undefined,
    ];
    const rows = (await t.database.db.execute(
      sql`select v, v is null as n from unnest(${arrayOf(values)}::text[]) with ordinality as x(v, i) order by i`,
    )) as unknown as { v: string | null; n: boolean }[];
    expect(rows.map((r) => r.v)).toEqual(values.map((v) => v ?? null));
    expect(rows.map((r) => r.n)).toEqual(values.map((v) => v == null));
  });

  it('casts to typed columns: numbers, uuids, dates and jsonb', async () => {
    const [r] = (await t.database.db.execute(sql`select
        (${arrayOf([1, -2, null, 9_007_199_254_740_991])}::bigint[])::text as ints,
        (${arrayOf(['0.488300', '104.000600'])}::numeric[])::text as nums,
        (${arrayOf(['2026-10-01', null])}::date[])::text as days,
        (${arrayOf([JSON.stringify({ readings: [{ v: '1,"2"' }] })])}::jsonb[])[1]->'readings'->0->>'v' as json`)) as unknown as Record<
      string,
      string
    >[];
    expect(r).toEqual({
      ints: '{1,-2,NULL,9007199254740991}',
      nums: '{0.488300,104.000600}',
      days: '{2026-10-01,NULL}',
      json: '1,"2"',
    });
  });

  it('makes an empty array of an empty list', async () => {
    const [r] = (await t.database.db.execute(
      sql`select cardinality(${arrayOf([])}::uuid[]) as n`,
    )) as unknown as { n: number }[];
    expect(r.n).toBe(0);
  });
});
