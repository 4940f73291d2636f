import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { withSystem } from './db/tenant.ts';
import { createLogger } from './logger.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.database.sql`create table log_probe (secret text, n int not null)`;
});
afterAll(async () => t?.drop());

const SECRET = '$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0LXNhbHQ$SECRET-HASH-VALUE-4242';

function captured() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', stream), output: () => lines.join('') };
}

async function failing(statement: ReturnType<typeof sql>): Promise<unknown> {
  try {
    await withSystem(t.database.db, (tx) => tx.execute(statement));
  } catch (e) {
    return e;
  }
  throw new Error('statement did not fail');
}

describe('logs never carry the parameters of a failed statement', () => {
  it('drops the params of a DrizzleQueryError from message, fields and stack', async () => {
    const err = await failing(sql`select ${SECRET}::text as s, 1 / ${0}::int as boom`);
    expect(String((err as Error).message)).toContain(SECRET); // what drizzle itself would print
    const { logger, output } = captured();
    logger.error({ err }, 'unhandled error');
    const line = JSON.parse(output());
    expect(output()).not.toContain('SECRET-HASH-VALUE');
    expect(line.err.type).toBe('DrizzleQueryError');
    expect(line.err.message).toContain('Failed query: select $1::text as s');
    expect(line.err.message).toContain('params: [redacted]');
    expect(line.err.message).toContain('division by zero'); // the cause stays readable
  });

  it('drops the row values PostgreSQL quotes in `detail`', async () => {
    const err = await failing(sql`insert into log_probe (secret, n) values (${SECRET}, null)`);
    const cause = (err as { cause: { code: string; detail: string } }).cause;
    expect([cause.code, cause.detail]).toEqual(['23502', expect.stringContaining('SECRET-HASH-VALUE')]);
    const { logger, output } = captured();
    logger.error({ err }, 'unhandled error');
    expect(output()).not.toContain('SECRET-HASH-VALUE');
    expect(JSON.parse(output()).err.db).toEqual({
      code: '23502',
      severity: 'ERROR',
      table_name: 'log_probe',
      column_name: 'n',
      routine: expect.any(String),
      detail: 'Failing row contains [redacted]',
    });
  });

  it('scrubs an error logged as the first argument and a postgres.js error with debug parameters', async () => {
    const err = Object.assign(new Error('boom'), { parameters: [SECRET], params: [SECRET] });
    const { logger, output } = captured();
    logger.error(err);
    logger.warn({ err: new Error('outer', { cause: err }) }, 'wrapped');
    expect(output()).not.toContain('SECRET-HASH-VALUE');
    expect(output().split('\n').filter(Boolean)).toHaveLength(2);
  });
});
