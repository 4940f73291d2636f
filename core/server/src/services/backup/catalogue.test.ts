import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { DERIVED, EXCLUDED, IMPLIED_REFS, tenantTables } from './catalogue.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

/** Every non-partition table of public with a tenant_id, straight from pg_catalog. */
const allTenantTables = async () =>
  (
    await t.database.sql<{ table: string }[]>`select c.relname as table from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id'
                    and not a.attisdropped) order by 1`
  ).map((r) => r.table);

describe('backup catalogue', () => {
  it('covers every tenant table, or excludes it with a written reason', async () => {
    const covered = (await tenantTables(t.database.sql)).map((x) => x.table);
    const all = await allTenantTables();
    const missing = all.filter((n) => !covered.includes(n) && !(n in EXCLUDED));
    expect(missing).toEqual([]);
    expect(all).toEqual(expect.arrayContaining(['readings', 'ledger_entries', 'bills', 'documents']));
    for (const [name, reason] of Object.entries(EXCLUDED)) {
      expect(all, name).toContain(name);
      expect(reason.length, name).toBeGreaterThan(20);
    }
    // partitions are not tables of their own: readings is copied through its parent
    expect(covered.some((n) => /^readings_\d{6}$/.test(n))).toBe(false);
  });

  it('orders each table after the tenant tables it references, derived tables last', async () => {
    const tables = await tenantTables(t.database.sql);
    const at = new Map(tables.map((x, i) => [x.table, i]));
    const fks = await t.database.sql<{ child: string; parent: string }[]>`
      select conrelid::regclass::text as child, confrelid::regclass::text as parent from pg_constraint
      where contype = 'f' and connamespace = 'public'::regnamespace and conrelid <> confrelid`;
    for (const { child, parent } of fks)
      if (at.has(child) && at.has(parent))
        expect(at.get(parent)!, `${parent} before ${child}`).toBeLessThan(at.get(child)!);
    // kept without a foreign key (migration 0038): ledger entries still load after their accounts
    for (const [child, parents] of Object.entries(IMPLIED_REFS))
      for (const parent of parents)
        expect(at.get(parent)!, `${parent} before ${child}`).toBeLessThan(at.get(child)!);
    expect(IMPLIED_REFS.ledger_entries).toEqual(['accounts']);
    expect(
      tables
        .slice(-Object.keys(DERIVED).length)
        .map((x) => x.table)
        .sort(),
    ).toEqual(Object.keys(DERIVED).sort());
  });

  it('picks up a new tenant table without being told', async () => {
    const rollback = new Error('rollback');
    let seen: string[] = [];
    await t.database.sql
      .begin(async (s) => {
        await s`create table backup_probe (tenant_id uuid not null, id uuid, x text, primary key (tenant_id, id))`;
        seen = (await tenantTables(s)).map((x) => x.table);
        throw rollback;
      })
      .catch((e) => {
        if (e !== rollback) throw e;
      });
    expect(seen).toContain('backup_probe');
  });
});
