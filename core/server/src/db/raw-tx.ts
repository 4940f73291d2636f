import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js/session';
import type postgres from 'postgres';
import type { Db, Tx } from './client.ts';
import { connectionLost } from './connection-errors.ts';

/**
 * The postgres.js handle beneath a drizzle transaction, for the few statements that must travel
 * together in one simple-protocol round trip (setting the tenant and loading the actor).
 */
export function rawClient(tx: Tx): postgres.Sql {
  return (tx as unknown as { session: { client: postgres.Sql } }).session.client;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * A literal for the simple protocol, which takes no parameters: only values whose whole alphabet
 * is hex digits and dashes are accepted, so nothing can break out of the quotes.
 */
export function safeLiteral(value: string, kind: 'uuid' | 'hex64'): string {
  if (!(kind === 'uuid' ? UUID : HEX64).test(value)) throw new TypeError(`not a ${kind}: ${value}`);
  return `'${value}'`;
}

interface DrizzleInternals {
  dialect: ConstructorParameters<typeof PostgresJsSession>[1];
  session: {
    client: postgres.Sql;
    schema: ConstructorParameters<typeof PostgresJsSession>[2];
    options: ConstructorParameters<typeof PostgresJsSession>[3];
  };
}

/**
 * A transaction on a reserved connection whose `begin` travels in one simple-protocol round trip
 * with `first` (statements without parameters); `fn` gets a drizzle transaction over the same
 * connection, the result sets of `first`, and a way to run more parameterless statements. Commits
 * when `fn` resolves, rolls back when anything throws. (drizzle's own `transaction()` spends a
 * round trip on `begin` alone.) Nested transactions (savepoints) are not offered here.
 */
export async function reservedTransaction<T>(
  db: Db,
  first: string,
  fn: (tx: Tx, results: unknown[][], run: (statement: string) => Promise<unknown>) => Promise<T>,
): Promise<T> {
  const d = db as unknown as DrizzleInternals;
  const conn = await d.session.client.reserve();
  let lost = false;
  try {
    const [, ...results] = (await conn.unsafe(`begin; ${first}`).simple()) as unknown as unknown[][];
    const session = new PostgresJsSession<postgres.Sql, Record<string, unknown>, never>(
      conn as unknown as postgres.Sql,
      d.dialect,
      d.session.schema as never,
      d.session.options,
    );
    const tx = new PostgresJsTransaction(
      d.dialect,
      session as never,
      d.session.schema as never,
    ) as unknown as Tx;
    const value = await fn(tx, results, (statement) => conn.unsafe(statement));
    await conn.unsafe('commit');
    return value;
  } catch (e) {
    // a lost connection takes its transaction with it, and postgres.js has already put it back
    // among the closed ones: sending a rollback would hang, releasing it would hand the pool a
    // dead socket. Otherwise roll back, also after a failed first round trip (`begin` may have
    // opened an aborted transaction).
    lost = connectionLost(e);
    if (!lost) await conn.unsafe('rollback').catch(() => {});
    throw e;
  } finally {
    if (!lost) conn.release();
  }
}
