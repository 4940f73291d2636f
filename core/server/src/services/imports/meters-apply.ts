import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { CheckContext } from './entity.ts';
import type { MeterRecord } from './meters-check.ts';

const TENANT = sql.raw(`current_setting('app.tenant_id')::uuid`);
const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;

/**
 * Writes the checked records in the caller's transaction, one statement per table over the rows
 * staged as a jsonb recordset (FORCE RLS rules out COPY into the real tables): the meters upserted
 * by asset number with an audit row each, their routes, and each new meter's install event with
 * its initial reading — the rows the API's create and install write, without a round trip per meter.
 */
export async function applyMeters(tx: Tx, records: MeterRecord[], ctx: CheckContext): Promise<void> {
  const meters = records.flatMap((r) => (r.meter ? [r.meter] : []));
  if (meters.length) await upsertMeters(tx, meters, ctx);
  const routes = records.flatMap((r) => (r.route ? [r.route] : []));
  if (routes.length)
    await tx.execute(sql`
      insert into meter_routes as t (tenant_id, meter_id, via, line, address, baud, parity, collector_id,
                                     channel, concentrator_id, point_no, port)
      select ${TENANT}, m.id, r.via, r.line, r.address, r.baud, r.parity, r."collectorId", r.channel,
             r."concentratorId", r."pointNo", r.port
        from jsonb_to_recordset(${json(routes)}) as r(asset_no text, via text, line text, address text,
             baud int, parity text, "collectorId" uuid, channel smallint, "concentratorId" uuid,
             "pointNo" int, port smallint)
        join meters m on m.asset_no = r.asset_no
      on conflict (tenant_id, meter_id) do update set
        via = excluded.via, line = excluded.line, address = excluded.address, baud = excluded.baud,
        parity = excluded.parity, collector_id = excluded.collector_id, channel = excluded.channel,
        concentrator_id = excluded.concentrator_id, point_no = excluded.point_no, port = excluded.port`);
  const installs = records.flatMap((r) => (r.install ? [r.install] : []));
  const a = ctx.actor;
  if (installs.length)
    await tx.execute(sql`
      insert into meter_events (tenant_id, meter_id, kind, at, actor_id, actor_name, reason, readings, to_account_id)
      select ${TENANT}, m.id, 'install',
             coalesce(r.installed_on::timestamp at time zone 'Asia/Shanghai', now()),
             ${a.kind === 'operator' ? null : a.id}::uuid, ${a.displayName || a.name}, 'import',
             jsonb_build_object('initial', jsonb_build_object(r.register, r.initial)), r.account_id
        from jsonb_to_recordset(${json(installs)}) as r(asset_no text, register text, initial text,
             account_id uuid, installed_on date)
        join meters m on m.asset_no = r.asset_no`);
}

/**
 * Upserts the meters and, in the same statement, appends one audit row per meter created or
 * changed (before/after snapshots). New meters go straight into service (status installed, their
 * install event follows); an existing meter's kind, status and account are never touched here.
 */
async function upsertMeters(tx: Tx, rows: NonNullable<MeterRecord['meter']>[], ctx: CheckContext) {
  const a = ctx.actor;
  await tx.execute(sql`
    with src as (
      select * from jsonb_to_recordset(${json(rows)}) as r(asset_no text, kind text, comm_address text,
        protocol text, vendor_profile text, model text, vendor text, ct_ratio int, pt_ratio int,
        digits smallint, initial_reading numeric, install_date date, location text, area_id uuid,
        account_id uuid, control text, custom jsonb)
    ), old as (
      select m.* from meters m where m.asset_no in (select asset_no from src)
    ), up as (
      insert into meters as m (tenant_id, kind, asset_no, comm_address, protocol, vendor_profile, model,
                               vendor, ct_ratio, pt_ratio, digits, initial_reading, install_date, location,
                               area_id, account_id, control, custom, status)
      select ${TENANT}, r.kind, r.asset_no, r.comm_address, r.protocol, r.vendor_profile, r.model, r.vendor,
             r.ct_ratio, r.pt_ratio, r.digits, r.initial_reading, r.install_date, r.location, r.area_id,
             r.account_id, r.control, r.custom, 'installed'
        from src r
      on conflict (tenant_id, asset_no) do update set
        comm_address = excluded.comm_address, protocol = excluded.protocol,
        vendor_profile = excluded.vendor_profile, model = excluded.model, vendor = excluded.vendor,
        ct_ratio = excluded.ct_ratio, pt_ratio = excluded.pt_ratio, digits = excluded.digits,
        initial_reading = excluded.initial_reading, install_date = excluded.install_date,
        location = excluded.location, area_id = excluded.area_id, control = excluded.control,
        custom = excluded.custom, updated_at = now()
      where (m.comm_address, m.protocol, m.vendor_profile, m.model, m.vendor, m.ct_ratio, m.pt_ratio,
             m.digits, m.initial_reading, m.install_date, m.location, m.area_id, m.control, m.custom)
        is distinct from (excluded.comm_address, excluded.protocol, excluded.vendor_profile, excluded.model,
             excluded.vendor, excluded.ct_ratio, excluded.pt_ratio, excluded.digits, excluded.initial_reading,
             excluded.install_date, excluded.location, excluded.area_id, excluded.control, excluded.custom)
      returning m.*
    )
    insert into audit_log (tenant_id, actor_type, actor_id, actor_name, action, target_type, target_id,
                           area_path, before, after, ip, request_id)
    select ${TENANT}, ${a.kind}, ${a.id}::uuid, ${a.displayName || a.name},
           case when old.id is null then 'meters.create' else 'meters.update' end,
           'meter', up.id::text, ar.path,
           case when old.id is null then null else to_jsonb(old) - 'tenant_id' end,
           to_jsonb(up) - 'tenant_id',
           ${ctx.origin?.ip ?? null}, ${ctx.origin?.requestId ?? null}
      from up
      join areas ar on ar.id = up.area_id
      left join old on old.id = up.id`);
}
