import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { dbError } from '../http/db-errors.ts';
import { createTenant } from '../services/tenants/tenants.ts';
import type { Tx } from './client.ts';
import { withTenant } from './tenant.ts';

let t: TestDatabase;
let a: string;
let b: string;

const tenant = async (code: string) =>
  (
    await createTenant(t.database.db, {
      code,
      name: code,
      adminUsername: 'admin',
      adminPassword: `password-${code}`,
    })
  ).id;

/** A customer and an account in the tenant, returning the account id. */
async function account(tx: Tx, n: string): Promise<string> {
  const id = crypto.randomUUID();
  const [area] = await tx.execute<{ id: string }>(
    sql`insert into areas (tenant_id, id, name, kind, path) values (app_tenant_id(), ${id}, ${`area ${n}`}, 'district', array[${id}::uuid]) returning id`,
  );
  const [c] = await tx.execute<{ id: string }>(
    sql`insert into customers (tenant_id, number, name, area_id) values (app_tenant_id(), ${`C${n}`}, 'x', ${area.id}) returning id`,
  );
  const [acc] = await tx.execute<{ id: string }>(
    sql`insert into accounts (tenant_id, customer_id, number) values (app_tenant_id(), ${c.id}, ${`A${n}`}) returning id`,
  );
  return acc.id;
}

const post = (tx: Tx, acc: string, kind: string, fen: number, key: string, reverses: string | null = null) =>
  tx.execute<{
    id: string;
  }>(sql`insert into ledger_entries (tenant_id, account_id, kind, amount_fen, business_key, reverses, occurred_on)
    values (app_tenant_id(), ${acc}, ${kind}, ${fen}, ${key}, ${reverses}, current_date) returning id::text`);

const balance = async (tx: Tx, acc: string) =>
  (
    await tx.execute<{ fen: string; n: string }>(
      sql`select balance_fen::text as fen, entry_count::text as n from account_balances where account_id = ${acc}`,
    )
  )[0];

/** The error code the HTTP mapper gives a database error. */
async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return dbError(err)?.code ?? `unmapped ${(err as { cause?: { code?: string } }).cause?.code}`;
  }
  return 'no error';
}

beforeAll(async () => {
  t = await createTestDatabase();
  a = await tenant('la');
  b = await tenant('lb');
});
afterAll(async () => t?.drop());

describe('ledger entries (migration 0010)', () => {
  it('keeps the cached balance equal to the sum of the entries, for single and bulk inserts', async () => {
    await withTenant(t.database.db, a, async (tx) => {
      const acc = await account(tx, '1');
      const other = await account(tx, '2');
      await post(tx, acc, 'charge', -12345, 'bill:1');
      await post(tx, acc, 'payment', 10000, 'pay:1');
      await tx.execute(sql`insert into ledger_entries (tenant_id, account_id, kind, amount_fen, business_key, occurred_on)
        select app_tenant_id(), a, 'charge', -100, 'bulk:' || g || ':' || a, current_date
        from generate_series(1, 50) g, (values (${acc}::uuid), (${other}::uuid)) v(a)`);
      expect(await balance(tx, acc)).toEqual({ fen: String(-12345 + 10000 - 5000), n: '52' });
      expect(await balance(tx, other)).toEqual({ fen: '-5000', n: '50' });
    });
  });

  it('posts a business key once, reverses an entry once, and checks signs', async () => {
    const inA = (fn: (tx: Tx) => Promise<unknown>) => withTenant(t.database.db, a, fn);
    const { acc, id } = await inA(async (tx) => {
      const acc = await account(tx, '3');
      const [{ id }] = await post(tx, acc, 'payment', 500, 'pay:dup');
      await post(tx, acc, 'reversal', -500, 'rev:1', id);
      return { acc, id };
    }).then((r) => r as { acc: string; id: string });
    expect(await codeOf(inA((tx) => post(tx, acc, 'payment', 500, 'pay:dup')))).toBe('RESOURCE_CONFLICT');
    expect(await codeOf(inA((tx) => post(tx, acc, 'reversal', -500, 'rev:2', id)))).toBe('RESOURCE_CONFLICT');
    expect(await codeOf(inA((tx) => post(tx, acc, 'charge', 100, 'bad-sign')))).toBe('REQ_VALIDATION');
    expect(await codeOf(inA((tx) => post(tx, acc, 'reversal', -1, 'no-target')))).toBe('REQ_VALIDATION');
    expect(await inA((tx) => balance(tx, acc))).toEqual({ fen: '0', n: '2' });
  });

  it('refuses an entry for an account that does not exist or is another tenant’s (migration 0038)', async () => {
    const inA = (fn: (tx: Tx) => Promise<unknown>) => withTenant(t.database.db, a, fn);
    const accA = (await inA((tx) => account(tx, '7'))) as string;
    const accB = (await withTenant(t.database.db, b, (tx) => account(tx, '8'))) as string;
    // no ledger → accounts key any more: the balance row's key to accounts refuses it (23503)
    expect(await codeOf(inA((tx) => post(tx, crypto.randomUUID(), 'payment', 100, 'pay:ghost')))).toBe(
      'REQ_VALIDATION',
    );
    expect(await codeOf(inA((tx) => post(tx, accB, 'payment', 100, 'pay:foreign')))).toBe('REQ_VALIDATION');
    // an account that already has a balance row: its good entry and a bad one in one statement
    await inA((tx) => post(tx, accA, 'payment', 700, 'pay:first'));
    expect(
      await codeOf(
        inA((tx) =>
          tx.execute(sql`insert into ledger_entries (tenant_id, account_id, kind, amount_fen, business_key, occurred_on)
            values (app_tenant_id(), ${accA}, 'payment', 100, 'pay:ok', current_date),
                   (app_tenant_id(), ${crypto.randomUUID()}, 'payment', 100, 'pay:bad', current_date)`),
        ),
      ),
    ).toBe('REQ_VALIDATION');
    expect(await inA((tx) => balance(tx, accA))).toEqual({ fen: '700', n: '1' });
    const [n] = (await inA((tx) =>
      tx.execute(
        sql`select count(*)::int as n from ledger_entries where business_key in ('pay:ghost', 'pay:foreign', 'pay:ok', 'pay:bad')`,
      ),
    )) as { n: number }[];
    expect(n.n).toBe(0);
    expect(await withTenant(t.database.db, b, (tx) => balance(tx, accB))).toBeUndefined();
  });

  it('refuses to change or delete an entry, even for the table owner', async () => {
    const id = await withTenant(t.database.db, a, async (tx) => {
      const acc = await account(tx, '5');
      return (await post(tx, acc, 'payment', 700, 'pay:keep'))[0].id;
    });
    // the application role holds no UPDATE or DELETE at all
    const app = await codeOf(
      withTenant(t.database.db, a, (tx) =>
        tx.execute(sql`update ledger_entries set amount_fen = 1 where id = ${id}`),
      ),
    );
    expect(app).toBe('unmapped 42501');
    // the owner is stopped by the trigger
    expect(await codeOf(t.database.sql`update ledger_entries set amount_fen = 1 where id = ${id}`)).toBe(
      'RECORD_IMMUTABLE',
    );
    expect(await codeOf(t.database.sql`delete from ledger_entries where id = ${id}`)).toBe(
      'RECORD_IMMUTABLE',
    );
    const [row] = await t.database.sql`select amount_fen::int as fen from ledger_entries where id = ${id}`;
    expect(row.fen).toBe(700);
  });

  it('shows a tenant neither the other tenant’s entries nor its balances', async () => {
    await withTenant(t.database.db, b, async (tx) => {
      const [n] = await tx.execute<{ e: number; b: number }>(
        sql`select (select count(*)::int from ledger_entries) as e, (select count(*)::int from account_balances) as b`,
      );
      expect(n).toEqual({ e: 0, b: 0 });
    });
  });
});

describe('tariff versions (migration 0010)', () => {
  it('lets a draft change and refuses to change or delete a published version', async () => {
    const inA = (fn: (tx: Tx) => Promise<unknown>) => withTenant(t.database.db, a, fn);
    const id = (await inA(async (tx) => {
      const [plan] = await tx.execute<{ id: string }>(
        sql`insert into tariff_plans (tenant_id, code, kind, name) values (app_tenant_id(), 'W1', 'meter-water', 'water') returning id`,
      );
      const [v] = await tx.execute<{
        id: string;
      }>(sql`insert into tariff_versions (tenant_id, plan_id, version, effective_from, body)
        values (app_tenant_id(), ${plan.id}, 1, '2026-01-01', '{}') returning id`);
      await tx.execute(sql`update tariff_versions set note = 'draft edit' where id = ${v.id}`);
      await tx.execute(
        sql`update tariff_versions set status = 'published', published_at = now() where id = ${v.id}`,
      );
      return v.id;
    })) as string;
    expect(
      await codeOf(
        inA((tx) => tx.execute(sql`update tariff_versions set body = '{"x":1}' where id = ${id}`)),
      ),
    ).toBe('RECORD_IMMUTABLE');
    expect(await codeOf(inA((tx) => tx.execute(sql`delete from tariff_versions where id = ${id}`)))).toBe(
      'RECORD_IMMUTABLE',
    );
    const [row] = await inA((tx) =>
      tx.execute(sql`select body, note, status from tariff_versions where id = ${id}`),
    ).then((r) => r as { body: unknown; note: string; status: string }[]);
    expect(row).toEqual({ body: {}, note: 'draft edit', status: 'published' });
  });
});
