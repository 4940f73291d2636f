import type postgres from 'postgres';
import type { BackupTable } from './format.ts';

/**
 * Tables with a tenant_id that a backup deliberately leaves out, each with its reason. Anything
 * else with a tenant_id is backed up; a test fails when a table is neither (catalogue.test.ts).
 */
export const EXCLUDED: Record<string, string> = {
  sessions: 'login sessions are platform state, closed to the tenant role; a restore signs everyone out',
  customer_search: 'search keys, derived from customers by a trigger when the customers are restored',
  meter_search: 'search keys, derived from meters by a trigger when the meters are restored',
};

/**
 * Tables whose rows triggers derive while other tables load (ledger_entries rolls the balances and
 * queues prepaid accounts). They load last and overwrite what the triggers made, so the result is
 * the backup's state; prepaid_dirty also drops marks the backup did not have.
 */
export const DERIVED: Record<string, { prune: boolean }> = {
  account_balances: { prune: false },
  prepaid_dirty: { prune: true },
};

/**
 * References a table keeps without a foreign key, for the load order: a ledger entry's account is
 * checked through account_balances (migration 0038), so accounts must load before the entries.
 */
export const IMPLIED_REFS: Record<string, string[]> = {
  ledger_entries: ['accounts'],
};

interface Row {
  table: string;
  columns: { name: string; type: string; identity: boolean }[];
  key: string[] | null;
  refs: string[] | null;
}

export interface CatalogueTable extends BackupTable {
  identity: string[];
}

/**
 * Every tenant table of `public` (partitioned parents, never their partitions) with its columns
 * in order (generated columns left out), primary key and the tenant tables it references, in an
 * order where each table comes after those it references (derived tables last).
 */
export async function tenantTables(sql: postgres.Sql | postgres.TransactionSql): Promise<CatalogueTable[]> {
  const rows = await sql<Row[]>`
    select c.relname as table,
      (select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                'identity', a.attidentity <> '') order by a.attnum)
         from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
           and a.attgenerated = '') as columns,
      (select array_agg(a.attname::text order by k.ord)
         from pg_constraint p cross join unnest(p.conkey) with ordinality k(attnum, ord)
         join pg_attribute a on a.attrelid = p.conrelid and a.attnum = k.attnum
        where p.conrelid = c.oid and p.contype = 'p') as key,
      (select array_agg(distinct f.confrelid::regclass::text)
         from pg_constraint f where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid) as refs
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
      and exists (select 1 from pg_attribute a
                  where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
    order by c.relname`;
  const kept = rows.filter((r) => !(r.table in EXCLUDED));
  const names = new Set(kept.map((r) => r.table));
  const byName = new Map(kept.map((r) => [r.table, r]));
  const ordered: Row[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (r: Row) => {
    if (state.get(r.table) === 'done') return;
    if (state.get(r.table) === 'visiting')
      throw new Error(`tenant tables reference each other in a cycle at ${r.table}`);
    state.set(r.table, 'visiting');
    for (const ref of [...(r.refs ?? []), ...(IMPLIED_REFS[r.table] ?? [])])
      if (names.has(ref)) visit(byName.get(ref)!);
    state.set(r.table, 'done');
    ordered.push(r);
  };
  for (const r of kept) if (!(r.table in DERIVED)) visit(r);
  for (const r of kept) if (r.table in DERIVED) visit(r);
  return ordered.map((r) => ({
    table: r.table,
    columns: r.columns.map(({ name, type }) => ({ name, type })),
    key: r.key ?? r.columns.map((c) => c.name),
    identity: r.columns.filter((c) => c.identity).map((c) => c.name),
  }));
}

/** A quoted SQL identifier (names come from the catalogue or a verified manifest). */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
