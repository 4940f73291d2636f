import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { CustomerRecord } from './customers-check.ts';
import type { CheckContext } from './entity.ts';

const TENANT = sql.raw(`current_setting('app.tenant_id')::uuid`);
const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;

/**
 * Writes the checked records in the caller's transaction: each table is one statement over the
 * rows staged as a jsonb recordset (FORCE RLS rules out COPY into the real tables), upserting by
 * number and touching a row only when something differs.
 */
export async function applyCustomers(tx: Tx, records: CustomerRecord[], ctx: CheckContext): Promise<void> {
  const changed = records.filter((r) => r.customerChanged).map((r) => r.customer);
  if (changed.length) await upsertCustomers(tx, changed, ctx);

  const accountRows = records.flatMap((r) => (r.account ? [r.account] : []));
  if (accountRows.length)
    await tx.execute(sql`
      insert into accounts as a (tenant_id, customer_id, number, reading_day, billing_cycle_months, deposit_fen)
      select ${TENANT}, c.id, r.number, r.reading_day, r.billing_cycle_months, r.deposit_fen::bigint
        from jsonb_to_recordset(${json(accountRows)}) as r(number text, customer_number text,
             reading_day smallint, billing_cycle_months smallint, deposit_fen text)
        join customers c on c.number = r.customer_number
      on conflict (tenant_id, number) do update set
        reading_day = excluded.reading_day, billing_cycle_months = excluded.billing_cycle_months,
        deposit_fen = excluded.deposit_fen
      where a.customer_id = excluded.customer_id
        and (a.reading_day, a.billing_cycle_months, a.deposit_fen)
            is distinct from (excluded.reading_day, excluded.billing_cycle_months, excluded.deposit_fen)`);

  const modes = records.flatMap((r) => (r.mode ? [r.mode] : []));
  if (modes.length)
    await tx.execute(sql`
      insert into account_billing_modes as m (tenant_id, account_id, effective_from, mode)
      select ${TENANT}, a.id, r.effective_from, r.mode
        from jsonb_to_recordset(${json(modes)}) as r(account text, effective_from date, mode text)
        join accounts a on a.number = r.account
      on conflict (tenant_id, account_id, effective_from) do update set mode = excluded.mode
      where m.mode is distinct from excluded.mode`);

  const facts = records.flatMap((r) => r.facts);
  if (facts.length)
    await tx.execute(sql`
      insert into customer_facts as f (tenant_id, customer_id, kind, effective_from, value)
      select ${TENANT}, c.id, r.kind, r.effective_from, r.value
        from jsonb_to_recordset(${json(facts)}) as r(customer_number text, kind text, effective_from date,
             value numeric)
        join customers c on c.number = r.customer_number
      on conflict (tenant_id, customer_id, kind, effective_from) do update set value = excluded.value
      where f.value is distinct from excluded.value`);
}

const snapshot = (t: string) =>
  sql.raw(`jsonb_build_object('id', ${t}.id, 'number', ${t}.number, 'name', ${t}.name, 'type', ${t}.type,
    'phone', ${t}.phone, 'idNumber', ${t}.id_number, 'address', ${t}.address, 'areaId', ${t}.area_id,
    'lowIncome', ${t}.low_income, 'tags', ${t}.tags, 'notes', ${t}.notes, 'status', ${t}.status,
    'custom', ${t}.custom)`);

/**
 * Upserts the customers and, in the same statement, appends one audit row per customer created or
 * changed (before/after snapshots), so each customer's history shows the import like any edit.
 * `old` reads the rows as they were before the statement (all CTEs share one snapshot).
 */
async function upsertCustomers(tx: Tx, rows: CustomerRecord['customer'][], ctx: CheckContext) {
  const a = ctx.actor;
  await tx.execute(sql`
    with src as (
      select * from jsonb_to_recordset(${json(rows)}) as r(number text, name text, type text, phone text,
        id_number text, address text, area_id uuid, low_income boolean, tags text[], notes text,
        status text, custom jsonb)
    ), old as (
      select c.* from customers c where c.number in (select number from src)
    ), up as (
      insert into customers as c (tenant_id, number, name, type, phone, id_number, address, area_id,
                                  low_income, tags, notes, status, custom)
      select ${TENANT}, r.number, r.name, r.type, r.phone, r.id_number, r.address, r.area_id,
             r.low_income, r.tags, r.notes, r.status, r.custom
        from src r
      on conflict (tenant_id, number) do update set
        name = excluded.name, type = excluded.type, phone = excluded.phone, id_number = excluded.id_number,
        address = excluded.address, area_id = excluded.area_id, low_income = excluded.low_income,
        tags = excluded.tags, notes = excluded.notes, status = excluded.status, custom = excluded.custom,
        updated_at = now()
      where (c.name, c.type, c.phone, c.id_number, c.address, c.area_id, c.low_income, c.tags, c.notes,
             c.status, c.custom)
        is distinct from (excluded.name, excluded.type, excluded.phone, excluded.id_number, excluded.address,
             excluded.area_id, excluded.low_income, excluded.tags, excluded.notes, excluded.status,
             excluded.custom)
      returning c.*
    )
    insert into audit_log (tenant_id, actor_type, actor_id, actor_name, action, target_type, target_id,
                           area_path, before, after, ip, request_id)
    select ${TENANT}, ${a.kind}, ${a.id}::uuid, ${a.displayName || a.name},
           case when old.id is null then 'customers.create'
                when old.status <> 'closed' and up.status = 'closed' then 'customers.close'
                else 'customers.update' end,
           'customer', up.id::text, ar.path,
           case when old.id is null then null else ${snapshot('old')} || jsonb_build_object('areaPath', oa.path) end,
           ${snapshot('up')} || jsonb_build_object('areaPath', ar.path),
           ${ctx.origin?.ip ?? null}, ${ctx.origin?.requestId ?? null}
      from up
      join areas ar on ar.id = up.area_id
      left join old on old.id = up.id
      left join areas oa on oa.id = old.area_id`);
}
