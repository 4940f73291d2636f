import { AppError, type IngestOutcome, type RawReading } from '@quadmeter/sdk';
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { unmatchedUplinks, type uplinkStatuses } from '../../db/schema/index.ts';
import { writeRoute } from '../archives/meter-routes.ts';
import { findMeter } from '../archives/meters.ts';
import type { Actor } from '../identity/actor.ts';
import type { IngestDeps } from './ingest.ts';
import { type Item, ingestTenant } from './ingest-tenant.ts';
import { utcMonth } from './partitions.ts';
import { KIND_CODES, keyInstant, shapeCheck } from './prepare.ts';

type Row = typeof unmatchedUplinks.$inferSelect;
export type UplinkStatus = (typeof uplinkStatuses)[number];

export function uplinkDto(r: Row) {
  const reading = r.reading as RawReading;
  return {
    id: r.id,
    pluginId: r.pluginId,
    via: r.via,
    deviceId: r.deviceId,
    platform: r.platform,
    reason: r.reason,
    idempotencyKey: r.idemKey,
    kind: reading.kind,
    measuredAt: reading.measuredAt,
    registers: reading.registers,
    raw: r.raw,
    receivedAt: r.receivedAt.toISOString(),
    seen: r.seen,
    status: r.status,
    meterId: r.meterId,
    result: r.result,
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
    resolvedBy: r.resolvedBy,
  };
}
export type UplinkDto = ReturnType<typeof uplinkDto>;

/** The tenant's inbox, newest first: pending uplinks by default. */
export async function listUplinks(
  tx: Tx,
  q: { status: UplinkStatus; page: number; pageSize: number },
): Promise<{ items: UplinkDto[]; total: number }> {
  const where = eq(unmatchedUplinks.status, q.status);
  const rows = await tx
    .select()
    .from(unmatchedUplinks)
    .where(where)
    .orderBy(desc(unmatchedUplinks.receivedAt), unmatchedUplinks.id)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [{ n }] = await tx.select({ n: count() }).from(unmatchedUplinks).where(where);
  return { items: rows.map(uplinkDto), total: n };
}

/** A pending uplink, locked; 404 when there is none with this id, 409 once it was resolved. */
async function pending(tx: Tx, id: string): Promise<Row> {
  const [row] = await tx.select().from(unmatchedUplinks).where(eq(unmatchedUplinks.id, id)).for('update');
  if (!row) throw new AppError('RESOURCE_NOT_FOUND', 'No such uplink', { id });
  if (row.status !== 'pending') throw new AppError('UPLINK_RESOLVED', undefined, { id, status: row.status });
  return row;
}

/** The meter_routes row that makes the uplink's route resolve to `meterId`. */
function routeRow(tenantId: string, meterId: string, r: RawReading['route']) {
  const none = {
    baud: null,
    parity: null,
    collectorId: null,
    channel: null,
    concentratorId: null,
    pointNo: null,
    port: null,
  };
  if (r.via === 'nbiot' && r.platform)
    return { tenantId, meterId, via: r.via, line: r.platform, address: r.deviceId, ...none };
  if (r.via === 'lora')
    return { tenantId, meterId, via: r.via, line: 'lora', address: r.devEui.toUpperCase(), ...none };
  throw new AppError('UPLINK_ROUTE_UNSUPPORTED', undefined, { via: r.via });
}

function resultOf(o: IngestOutcome): string {
  return o.status === 'rejected' ? `rejected:${o.reasons.map((r) => r.code).join(',')}` : o.status;
}

/** Every pending uplink of the device `row` came from (itself included), locked, oldest first. */
async function sameDevice(tx: Tx, row: Row): Promise<Row[]> {
  return tx
    .select()
    .from(unmatchedUplinks)
    .where(
      and(
        eq(unmatchedUplinks.status, 'pending'),
        eq(unmatchedUplinks.via, row.via),
        eq(unmatchedUplinks.deviceId, row.deviceId),
        row.platform === null
          ? isNull(unmatchedUplinks.platform)
          : eq(unmatchedUplinks.platform, row.platform),
      ),
    )
    .orderBy(unmatchedUplinks.receivedAt, unmatchedUplinks.id)
    .for('update');
}

/**
 * Assigns a pending uplink to a meter within the actor's scope: the meter's route becomes the
 * uplink's (replacing the one it had), so the device's next uplinks resolve to it, and the kept
 * reading — with every other pending uplink of the same device — is ingested for it, all in the
 * request's transaction. Answers the uplink's ingest outcome and how many uplinks were assigned.
 */
export async function assignUplink(
  tx: Tx,
  deps: Pick<IngestDeps, 'kinds' | 'zone' | 'partitions'>,
  actor: Actor,
  tenantId: string,
  id: string,
  meterId: string,
): Promise<{
  before: UplinkDto;
  after: UplinkDto;
  outcome: IngestOutcome;
  assigned: number;
  areaPath: string[];
}> {
  const row = await pending(tx, id);
  const { m, path } = await findMeter(tx, actor, meterId, true);
  await writeRoute(tx, routeRow(tenantId, m.id, (row.reading as RawReading).route));
  const rows = await sameDevice(tx, row);
  const meter = {
    tenantId,
    meterId: m.id,
    kind: m.kind,
    digits: m.digits,
    initialReading: String(m.initialReading),
  };
  const outcomes: IngestOutcome[] = [];
  const items: Item[] = [];
  const months = new Set<string>();
  rows.forEach((r, n) => {
    const raw = r.reading as RawReading;
    const reasons = shapeCheck(raw);
    if (reasons.length > 0) {
      outcomes[n] = { status: 'rejected', tenantId, meterId: m.id, reasons };
      return;
    }
    const ts = keyInstant(raw, deps.zone);
    months.add(utcMonth(ts));
    items.push({ n, raw, meter, kind: KIND_CODES[raw.kind], ts, receivedAt: Date.parse(raw.receivedAt) });
  });
  if (months.size > 0) await deps.partitions.ensure(months);
  await ingestTenant(tx, deps, tenantId, items, outcomes);
  const now = new Date();
  let after: Row | undefined;
  for (const [n, r] of rows.entries()) {
    const [saved] = await tx
      .update(unmatchedUplinks)
      .set({
        status: 'assigned',
        meterId: m.id,
        result: resultOf(outcomes[n]),
        resolvedAt: now,
        resolvedBy: actor.name,
      })
      .where(and(eq(unmatchedUplinks.tenantId, tenantId), eq(unmatchedUplinks.id, r.id)))
      .returning();
    if (r.id === id) after = saved;
  }
  if (!after) throw new Error('the assigned uplink was not among its device’s pending uplinks');
  return {
    before: uplinkDto(row),
    after: uplinkDto(after),
    outcome: outcomes[rows.findIndex((r) => r.id === id)],
    assigned: rows.length,
    areaPath: path,
  };
}

/** Dismisses a pending uplink (kept, marked dismissed). */
export async function dismissUplink(tx: Tx, actor: Actor, tenantId: string, id: string) {
  const row = await pending(tx, id);
  const [after] = await tx
    .update(unmatchedUplinks)
    .set({ status: 'dismissed', resolvedAt: new Date(), resolvedBy: actor.name })
    .where(and(eq(unmatchedUplinks.tenantId, tenantId), eq(unmatchedUplinks.id, id)))
    .returning();
  return { before: uplinkDto(row), after: uplinkDto(after) };
}
