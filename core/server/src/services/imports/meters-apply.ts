import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { CheckContext } from './entity.ts';
import type { MeterFields, MeterRecord } from './meters-check.ts';
import type { StoredRoute } from './meters-load.ts';

const TENANT = sql.raw(`current_setting('app.tenant_id')::uuid`);
const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;
/** Rows per statement: a 100k-row jsonb parameter costs more per row than twenty of 5k. */
const BATCH = 5000;

/**
 * Issues every batch's statement at once: the transaction's connection runs them in order while
 * the next batches' JSON is already on the wire (no client round trip between batches). A failing
 * batch aborts the transaction, so the later ones fail too and the first error is the one raised.
 */
async function inBatches<T>(rows: T[], write: (batch: T[]) => Promise<unknown>): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (let at = 0; at < rows.length; at += BATCH) pending.push(write(rows.slice(at, at + BATCH)));
  await Promise.all(pending);
}

/**
 * Writes the checked records in the caller's transaction (FORCE RLS rules out COPY into the real
 * tables), a batch of rows per statement staged as one jsonb recordset: new meters with their
 * route and install event in ONE statement per batch (the recordset is parsed once; the meter ids
 * were chosen by the check, time-ordered, so routes and events need no lookup and the indexes and
 * foreign-key checks stay on a few hot pages), then changed meters with an audit row each, then
 * the new or changed routes of existing meters — the rows the API's create, install and route
 * edits write, without a round trip per meter.
 */
export async function applyMeters(tx: Tx, records: MeterRecord[], ctx: CheckContext): Promise<void> {
  const created = records.flatMap((r) =>
    r.meter && r.isNew ? [{ ...r.meter, ...(r.route ?? {}), ...(r.install ?? {}) } as NewMeterRow] : [],
  );
  await inBatches(created, (b) => insertNewMeters(tx, b, ctx));
  const changed = records.flatMap((r) => (r.meter && !r.isNew ? [r.meter] : []));
  await inBatches(changed, (b) => updateMeters(tx, b, ctx));
  const routes = records.flatMap((r) => (r.route && !r.isNew ? [r.route] : []));
  await inBatches(routes, (batch) =>
    tx.execute(sql`
      insert into meter_routes as t (tenant_id, meter_id, via, line, address, baud, parity, collector_id,
                                     channel, concentrator_id, point_no, port)
      select ${TENANT}, r.meter_id, r.via, r.line, r.address, r.baud, r.parity, r."collectorId", r.channel,
             r."concentratorId", r."pointNo", r.port
        from jsonb_to_recordset(${json(batch)}) as r(meter_id uuid, via text, line text, address text,
             baud int, parity text, "collectorId" uuid, channel smallint, "concentratorId" uuid,
             "pointNo" int, port smallint)
      on conflict (tenant_id, meter_id) do update set
        via = excluded.via, line = excluded.line, address = excluded.address, baud = excluded.baud,
        parity = excluded.parity, collector_id = excluded.collector_id, channel = excluded.channel,
        concentrator_id = excluded.concentrator_id, point_no = excluded.point_no, port = excluded.port`),
  );
}

/** A new meter's fields, its route's (absent without a route) and its install event's, in one object. */
type NewMeterRow = MeterFields &
  Partial<StoredRoute> & { register: string; initial: string; installed_on: string | null };

const METER_COLUMNS = `id uuid, asset_no text, kind text, comm_address text, protocol text,
  vendor_profile text, model text, vendor text, ct_ratio int, pt_ratio int, digits smallint,
  initial_reading numeric, install_date date, location text, area_id uuid, account_id uuid,
  control text, custom jsonb`;
const RECORD = sql.raw(`(${METER_COLUMNS})`);
const NEW_RECORD = sql.raw(`(${METER_COLUMNS}, via text, line text, address text, baud int, parity text,
  "collectorId" uuid, channel smallint, "concentratorId" uuid, "pointNo" int, port smallint,
  register text, initial text, installed_on date)`);

/**
 * New meters, their routes and install events in one statement: plain INSERTs (no ON CONFLICT:
 * the rows were re-checked in this transaction under the import lock, and a meter or route created
 * meanwhile through the API fails the whole apply with its unique violation). The meters go
 * straight into service (installed); their record of who brought them in, when and with which
 * reading is the install event (the meter's history); the import's own audit entry counts them.
 * The foreign keys of routes and events to the meters are checked at the end of the statement,
 * when the meters are there.
 */
async function insertNewMeters(tx: Tx, rows: NewMeterRow[], ctx: CheckContext) {
  const a = ctx.actor;
  await tx.execute(sql`
    with src as materialized (
      select * from jsonb_to_recordset(${json(rows)}) as r${NEW_RECORD}
    ), m as (
      insert into meters (tenant_id, id, kind, asset_no, comm_address, protocol, vendor_profile, model,
                          vendor, ct_ratio, pt_ratio, digits, initial_reading, install_date, location,
                          area_id, account_id, control, custom, status)
      select ${TENANT}, r.id, r.kind, r.asset_no, r.comm_address, r.protocol, r.vendor_profile, r.model,
             r.vendor, r.ct_ratio, r.pt_ratio, r.digits, r.initial_reading, r.install_date, r.location,
             r.area_id, r.account_id, r.control, r.custom, 'installed'
        from src r
    ), rt as (
      insert into meter_routes (tenant_id, meter_id, via, line, address, baud, parity, collector_id,
                                channel, concentrator_id, point_no, port)
      select ${TENANT}, r.id, r.via, r.line, r.address, r.baud, r.parity, r."collectorId", r.channel,
             r."concentratorId", r."pointNo", r.port
        from src r where r.via is not null
    )
    insert into meter_events (tenant_id, meter_id, kind, at, actor_id, actor_name, reason, readings, to_account_id)
    select ${TENANT}, r.id, 'install', coalesce(r.installed_on::timestamp at time zone ${ctx.timeZone}, now()),
           ${a.kind === 'operator' ? null : a.id}::uuid, ${a.displayName || a.name}, 'import',
           jsonb_build_object('initial', jsonb_build_object(r.register, r.initial)), r.account_id
      from src r`);
}

/**
 * Changed existing meters in one UPDATE by id that touches a row only when something differs and,
 * in the same statement, one audit row each with before/after snapshots (`old` reads the rows as
 * they were: all CTEs share one snapshot). Kind, status and account are never touched here.
 */
async function updateMeters(tx: Tx, rows: MeterFields[], ctx: CheckContext) {
  const a = ctx.actor;
  await tx.execute(sql`
    with src as (
      select * from jsonb_to_recordset(${json(rows)}) as r${RECORD}
    ), old as materialized (
      select m.* from meters m where m.id in (select id from src)
    ), up as (
      update meters m set
        comm_address = r.comm_address, protocol = r.protocol, vendor_profile = r.vendor_profile,
        model = r.model, vendor = r.vendor, ct_ratio = r.ct_ratio, pt_ratio = r.pt_ratio,
        digits = r.digits, initial_reading = r.initial_reading, install_date = r.install_date,
        location = r.location, area_id = r.area_id, control = r.control, custom = r.custom,
        updated_at = now()
      from src r
      where m.id = r.id
        and (m.comm_address, m.protocol, m.vendor_profile, m.model, m.vendor, m.ct_ratio, m.pt_ratio,
             m.digits, m.initial_reading, m.install_date, m.location, m.area_id, m.control, m.custom)
        is distinct from (r.comm_address, r.protocol, r.vendor_profile, r.model, r.vendor, r.ct_ratio,
             r.pt_ratio, r.digits, r.initial_reading, r.install_date, r.location, r.area_id, r.control,
             r.custom)
      returning m.*
    )
    insert into audit_log (tenant_id, actor_type, actor_id, actor_name, action, target_type, target_id,
                           area_path, before, after, ip, request_id)
    select ${TENANT}, ${a.kind}, ${a.id}::uuid, ${a.displayName || a.name}, 'meters.update', 'meter',
           up.id::text, ar.path, to_jsonb(old) - 'tenant_id', to_jsonb(up) - 'tenant_id',
           ${ctx.origin?.ip ?? null}, ${ctx.origin?.requestId ?? null}
      from up
      join old on old.id = up.id
      join areas ar on ar.id = up.area_id`);
}
