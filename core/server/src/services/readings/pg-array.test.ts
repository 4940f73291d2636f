import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { pgArray } from './pg-array.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe('pgArray', () => {
  it('round-trips strings with quotes, backslashes, commas, braces, blanks and NULL through PostgreSQL', async () => {
    const values = [
      'plain',
      'a"b',
      'back\\slash',
      '\\"both\\"',
      'x,y',
      '{z}',
      ' lead',
      '',
      'NULL',
      null,
      '中文',
    ];
    const [row] = await t.database.sql<
      { a: (string | null)[] }[]
    >`select array_to_json(${pgArray(values)}::text[]) as a`;
    expect(row.a).toEqual(values);
    const [nums] = await t.database.sql<{ a: string[] }[]>`
      select array_to_json(${pgArray([1, -2.5, 10n, undefined])}::numeric[]::text[]) as a`;
    expect(nums.a).toEqual(['1', '-2.5', '10', null]);
  });
});
