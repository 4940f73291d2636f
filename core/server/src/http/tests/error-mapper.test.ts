import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { withSystem } from '../../db/tenant.ts';
import { toAppError } from '../on-error.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.database.sql`create table mapper_probe (id int primary key, n int not null, s text,
    parent int references mapper_probe(id))`;
  await t.database.sql`insert into mapper_probe (id, n) values (1, 1), (10, 1)`;
  await t.database.sql`insert into mapper_probe (id, n, parent) values (11, 1, 10)`;
});
afterAll(async () => t?.drop());

/** The error drizzle really throws for a statement (a DrizzleQueryError wrapping the driver's). */
async function failing(statement: ReturnType<typeof sql>): Promise<unknown> {
  try {
    await withSystem(t.database.db, (tx) => tx.execute(statement));
  } catch (e) {
    return e;
  }
  throw new Error('statement did not fail');
}

describe('toAppError unwraps drizzle-wrapped driver errors', () => {
  it.each([
    ['23505 unique', sql`insert into mapper_probe (id, n) values (1, 2)`, 'RESOURCE_CONFLICT', 409],
    [
      '23503 foreign key to a missing row',
      sql`insert into mapper_probe (id, n, parent) values (2, 2, 99)`,
      'REQ_VALIDATION',
      400,
    ],
    [
      '23503 deleting a referenced row',
      sql`delete from mapper_probe where id = 10`,
      'RESOURCE_CONFLICT',
      409,
    ],
    ['22P02 bad format', sql`select ${'abc'}::int`, 'REQ_VALIDATION', 400],
    [
      '22003 out of range',
      sql`insert into mapper_probe (id, n) values (3, ${9_999_999_999})`,
      'REQ_VALIDATION',
      400,
    ],
    [
      '22021 NUL byte',
      sql`insert into mapper_probe (id, n, s) values (4, 1, ${'a\u0000b'})`,
      'REQ_VALIDATION',
      400,
    ],
    ['23502 not null', sql`insert into mapper_probe (id, n) values (5, null)`, 'REQ_VALIDATION', 400],
  ])('%s', async (_, statement, code, status) => {
    const err = await failing(statement);
    expect((err as Error).constructor.name).toBe('DrizzleQueryError');
    const mapped = toAppError(err);
    expect([mapped.code, mapped.status]).toEqual([code, status]);
  });

  it('maps a division by zero (no client fault) to INTERNAL', async () => {
    expect(toAppError(await failing(sql`select 1 / ${0}::int`)).code).toBe('INTERNAL');
  });

  it('maps a URIError from decoding a path to REQ_MALFORMED_URL', () => {
    let thrown: unknown;
    try {
      decodeURIComponent('/%');
    } catch (e) {
      thrown = e;
    }
    expect([toAppError(thrown).code, toAppError(thrown).status]).toEqual(['REQ_MALFORMED_URL', 400]);
  });

  it.each([
    [{ code: 'ECONNREFUSED' }],
    [{ code: 'CONNECTION_CLOSED' }],
    [{ code: 'CONNECTION_ENDED' }],
    [{ code: 'CONNECT_TIMEOUT' }],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: '08006' }],
    [{ code: '55000', message: 'database "x" is not currently accepting connections' }],
  ])(
    'maps connection failure %o (also wrapped) to 503 DB_UNAVAILABLE',
    (cause: { code: string; message?: string }) => {
      const bare = Object.assign(new Error(cause.message ?? 'down'), cause);
      const wrapped = new Error('Failed query', { cause: bare });
      for (const e of [bare, wrapped])
        expect([toAppError(e).code, toAppError(e).status]).toEqual(['DB_UNAVAILABLE', 503]);
    },
  );

  it('keeps other 55000 errors INTERNAL', () => {
    expect(toAppError(Object.assign(new Error('lock not available'), { code: '55000' })).code).toBe(
      'INTERNAL',
    );
  });
});
