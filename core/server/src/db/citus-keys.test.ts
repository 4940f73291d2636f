import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

interface Key {
  table: string;
  name: string;
  kind: 'primary key' | 'foreign key' | 'unique';
  first: string;
  refs: string | null;
  refFirst: string | null;
}

/**
 * Every key of every tenant table (a table in `public` with a tenant_id column; partitions are
 * covered by their parent): primary keys, foreign keys, unique constraints and unique indexes,
 * with the first column of each and, for a foreign key, the table it points at and its first
 * column there.
 */
async function tenantKeys(sql: postgres.Sql | postgres.TransactionSql = t.database.sql): Promise<Key[]> {
  return await sql<Key[]>`
    with tt as (
      select c.oid, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
        and exists (select 1 from pg_attribute a
                    where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
    ),
    keys as (
      select tt.relname as table, con.conname as name,
        case con.contype when 'p' then 'primary key' when 'f' then 'foreign key' else 'unique' end as kind,
        con.conrelid as rel, con.conkey[1] as col, con.confrelid as frel, con.confkey[1] as fcol
      from tt join pg_constraint con on con.conrelid = tt.oid where con.contype in ('p', 'f', 'u')
      union all
      select tt.relname, ic.relname, 'unique', i.indrelid, i.indkey[0], null, null
      from tt join pg_index i on i.indrelid = tt.oid join pg_class ic on ic.oid = i.indexrelid
      where i.indisunique and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
    )
    select k.table, k.name, k.kind,
      coalesce((select attname::text from pg_attribute where attrelid = k.rel and attnum = k.col), '(expression)') as first,
      (select relname::text from pg_class where oid = k.frel) as refs,
      (select attname::text from pg_attribute where attrelid = k.frel and attnum = k.fcol) as "refFirst"
    from keys k order by 1, 2`;
}

/**
 * Reference tables on Citus (docs/scaling.md): replicated to every node, so a tenant table may
 * point at them by a key that does not lead with tenant_id.
 */
const REFERENCE_TABLES = new Set(['tenants']);

/**
 * Keys that deliberately do not lead with tenant_id, each with its reason. Adding a line here is
 * a decision to write down in docs/scaling.md, not a way to silence the check.
 */
const EXCEPTIONS: Record<string, string> = {
  // platform tables read before any tenant is known (rls-catalog.test.ts PLATFORM_TABLES): on
  // Citus they stay on the coordinator (a local or reference table), never distributed
  'sessions.sessions_pkey': 'a session is found by its id before the tenant is known',
  'sessions.sessions_token_hash_unique': 'a session cookie is looked up by hash before the tenant is known',
  // a bearer token names no tenant: the lookup by hash is global. On Citus api_tokens becomes a
  // reference table (a few rows per tenant; written rarely)
  'api_tokens.api_tokens_token_hash_unique': 'a bearer token is looked up by hash before the tenant is known',
  // a payment callback names only the order number / the provider's transaction: globally
  // unique so the callback finds its tenant. On Citus an order-number → tenant reference table
  // (docs/scaling.md) carries these two keys; the distributed payment_orders keeps (tenant_id, …)
  'payment_orders.payment_orders_no_uq': 'the callback finds the order (and its tenant) by order_no alone',
  'payment_orders.payment_orders_txn_uq': 'a provider transaction is credited once across all tenants',
};

/** The keys that would stop the table from being distributed by tenant_id. */
function offending(keys: Key[]): string[] {
  return keys
    .filter((k) => {
      if (EXCEPTIONS[`${k.table}.${k.name}`]) return false;
      if (k.first !== 'tenant_id') return true;
      return k.kind === 'foreign key' && !REFERENCE_TABLES.has(k.refs ?? '') && k.refFirst !== 'tenant_id';
    })
    .map(
      (k) => `${k.table}.${k.name} (${k.kind} on ${k.first}${k.refs ? ` → ${k.refs}.${k.refFirst}` : ''})`,
    );
}

/** Guards docs/scaling.md: the schema stays distributable by tenant_id on Citus. */
describe('Citus readiness of the schema', () => {
  it('every tenant table’s primary key, foreign keys and unique keys lead with tenant_id', async () => {
    const keys = await tenantKeys();
    // the guard is only meaningful if it sees the tenant tables and their keys
    expect(keys.filter((k) => k.kind === 'primary key').map((k) => k.table)).toEqual(
      expect.arrayContaining(['meters', 'accounts', 'bills', 'ledger_entries', 'readings']),
    );
    expect(offending(keys)).toEqual([]);
  });

  it('every exception names a key that exists', async () => {
    const keys = new Set((await tenantKeys()).map((k) => `${k.table}.${k.name}`));
    for (const name of Object.keys(EXCEPTIONS)) expect(keys.has(name), name).toBe(true);
  });

  it('flags a tenant table whose key does not lead with tenant_id', async () => {
    const rollback = new Error('rollback');
    let seen: string[] = [];
    await t.database.sql
      .begin(async (s) => {
        await s`create table citus_probe (id uuid primary key, tenant_id uuid not null, code text unique)`;
        const probe = (await tenantKeys(s)).filter((k) => k.table === 'citus_probe');
        seen = offending(probe);
        throw rollback;
      })
      .catch((e) => {
        if (e !== rollback) throw e;
      });
    expect(seen).toEqual([
      'citus_probe.citus_probe_code_key (unique on code)',
      'citus_probe.citus_probe_pkey (primary key on id)',
    ]);
  });
});
