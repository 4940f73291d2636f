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
    await bindTenant(tx, tenantId);
    return await fn(tx);
  });
}

/**
 * Binds an already open transaction to one tenant: sets `app.tenant_id` and SET LOCAL ROLE
 * quadmeter_app in one round trip, both transaction-local. From here on the transaction is bound
 * by row-level security; binding again switches the tenant (the role stays quadmeter_app).
 */
export async function bindTenant(tx: Tx, tenantId: string): Promise<void> {
  if (!UUID.test(tenantId)) throw new AppError('TENANT_NOT_FOUND', 'Malformed tenant id');
  await tx.execute(
    sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', 'quadmeter_app', true)`,
  );
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
