import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { CheckContext } from './entity.ts';
import type { CollectorRecord, ConcentratorRecord } from './gateways-check.ts';

const TENANT = sql.raw(`current_setting('app.tenant_id')::uuid`);

interface Sheet {
  table: 'concentrators' | 'collectors';
  /** `name type` pairs of the staged record, in the table's column names */
  columns: string[];
  /** the audit snapshot of a row alias, with the keys the API shows */
  snapshot: (t: string) => string;
}

const concentratorSheet: Sheet = {
  table: 'concentrators',
  columns: [
    'number text',
    'name text',
    'a1 text',
    'a2 int',
    'sim text',
    'iccid text',
    'area_id uuid',
    'status text',
    'custom jsonb',
  ],
  snapshot: (t) => `jsonb_build_object('id', ${t}.id, 'number', ${t}.number, 'name', ${t}.name, 'a1', ${t}.a1,
    'a2', ${t}.a2, 'sim', ${t}.sim, 'iccid', ${t}.iccid, 'areaId', ${t}.area_id, 'status', ${t}.status,
    'custom', ${t}.custom)`,
};

const collectorSheet: Sheet = {
  table: 'collectors',
  columns: [
    'number text',
    'interface text',
    'address text',
    'concentrator_id uuid',
    'area_id uuid',
    'status text',
    'custom jsonb',
  ],
  snapshot: (t) => `jsonb_build_object('id', ${t}.id, 'number', ${t}.number, 'interface', ${t}.interface,
    'address', ${t}.address, 'concentratorId', ${t}.concentrator_id, 'areaId', ${t}.area_id,
    'status', ${t}.status, 'custom', ${t}.custom)`,
};

/**
 * Upserts the sheet's changed rows by number in one statement and appends, in the same statement,
 * one audit row per gateway created or changed (before/after), as the archive's forms do.
 */
async function upsert(tx: Tx, sheet: Sheet, rows: object[], ctx: CheckContext) {
  if (!rows.length) return;
  const a = ctx.actor;
  const names = sheet.columns.map((c) => c.split(' ')[0]);
  const cols = names.join(', ');
  const set = names
    .filter((n) => n !== 'number')
    .map((n) => `${n} = excluded.${n}`)
    .join(', ');
  const differs = names.filter((n) => n !== 'number');
  await tx.execute(sql`
    with src as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${sql.raw(sheet.columns.join(', '))})
    ), old as (
      select g.* from ${sql.raw(sheet.table)} g where g.number in (select number from src)
    ), up as (
      insert into ${sql.raw(sheet.table)} as g (tenant_id, ${sql.raw(cols)})
      select ${TENANT}, ${sql.raw(names.map((n) => `r.${n}`).join(', '))} from src r
      on conflict (tenant_id, number) do update set ${sql.raw(set)}
      where (${sql.raw(differs.map((n) => `g.${n}`).join(', '))})
        is distinct from (${sql.raw(differs.map((n) => `excluded.${n}`).join(', '))})
      returning g.*
    )
    insert into audit_log (tenant_id, actor_type, actor_id, actor_name, action, target_type, target_id,
                           area_path, before, after, ip, request_id)
    select ${TENANT}, ${a.kind}, ${a.id}::uuid, ${a.displayName || a.name},
           case when old.id is null then ${`${sheet.table}.create`} else ${`${sheet.table}.update`} end,
           ${sheet.table.slice(0, -1)}, up.id::text, ar.path,
           case when old.id is null then null
                else ${sql.raw(sheet.snapshot('old'))} || jsonb_build_object('areaPath', oa.path) end,
           ${sql.raw(sheet.snapshot('up'))} || jsonb_build_object('areaPath', ar.path),
           ${ctx.origin?.ip ?? null}, ${ctx.origin?.requestId ?? null}
      from up
      join areas ar on ar.id = up.area_id
      left join old on old.id = up.id
      left join areas oa on oa.id = old.area_id`);
}

export const applyConcentrators = (tx: Tx, records: ConcentratorRecord[], ctx: CheckContext) =>
  upsert(tx, concentratorSheet, records, ctx);

export const applyCollectors = (tx: Tx, records: CollectorRecord[], ctx: CheckContext) =>
  upsert(tx, collectorSheet, records, ctx);
