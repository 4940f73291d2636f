import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The only way services reach tenant data: a transaction that runs as `quadmeter_app` (bound by
 * row-level security) with `app.tenant_id` set locally, so every query sees and writes only this
 * tenant's rows whatever ids it is handed.
 */
export async function withTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new AppError('TENANT_NOT_FOUND', 'Malformed tenant id');
  return await db.transaction(async (tx) => {
    // one round trip: the tenant setting and SET LOCAL ROLE, both transaction-local
    await tx.execute(
      sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', 'quadmeter_app', true)`,
    );
    return await fn(tx);
  });
}

/**
 * The explicit cross-tenant path: platform tables (tenants, operators, sessions, login attempts)
 * and platform administration. Runs as the connecting role; never handed tenant input unchecked.
 */
export async function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return await db.transaction(async (tx) => await fn(tx));
}

/** The system path for a single read statement, which needs no transaction of its own. */
export async function readSystem<T>(db: Db, fn: (db: Db) => Promise<T>): Promise<T> {
  return await fn(db);
}
