import { AppError } from '@quadmeter/sdk';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { codedCause } from '../../db/connection-errors.ts';
import { meterRoutes, type routeVias } from '../../db/schema/index.ts';
import type { Actor } from '../identity/actor.ts';
import { findCollector, findConcentrator } from './gateways.ts';

export type Via = (typeof routeVias)[number];
type RouteRow = typeof meterRoutes.$inferSelect;

/** How a meter is reached, as a client states it; the address comes from the meter itself. */
export type RouteInput =
  | {
      via: 'serial';
      line: string;
      baud: number;
      parity: 'E' | 'N' | 'O';
      collectorId?: string | null;
      channel?: number | null;
    }
  | {
      via: 'concentrator';
      concentratorId: string;
      pointNo: number;
      port: number;
      collectorId?: string | null;
    }
  | { via: 'nbiot'; platform: 'ctwing' | 'onenet' | 'iotda'; deviceId?: string | null }
  | { via: 'lora' };

export function routeDto(r: RouteRow) {
  return {
    via: r.via,
    line: r.line,
    address: r.address,
    baud: r.baud,
    parity: r.parity,
    collectorId: r.collectorId,
    channel: r.channel,
    concentratorId: r.concentratorId,
    pointNo: r.pointNo,
    port: r.port,
  };
}
export type RouteDto = ReturnType<typeof routeDto>;

/** The route's stored fields (without tenant and meter) for a meter with address `commAddress`. */
export function routeFields(commAddress: string, input: RouteInput) {
  const none = { baud: null, parity: null, collectorId: null, channel: null };
  const noPoint = { concentratorId: null, pointNo: null, port: null };
  switch (input.via) {
    case 'serial':
      return {
        ...noPoint,
        via: input.via,
        line: input.line,
        address: commAddress,
        baud: input.baud,
        parity: input.parity,
        collectorId: input.collectorId ?? null,
        channel: input.channel ?? null,
      };
    case 'concentrator':
      return {
        ...none,
        via: input.via,
        line: input.concentratorId,
        address: String(input.pointNo),
        collectorId: input.collectorId ?? null,
        concentratorId: input.concentratorId,
        pointNo: input.pointNo,
        port: input.port,
      };
    case 'nbiot':
      return {
        ...none,
        ...noPoint,
        via: input.via,
        line: input.platform,
        address: input.deviceId ?? commAddress,
      };
    case 'lora':
      return { ...none, ...noPoint, via: input.via, line: 'lora', address: commAddress };
  }
}

/** The stored row for a meter with communication address `commAddress` reached by `input`. */
async function rowOf(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  meterId: string,
  commAddress: string,
  input: RouteInput,
) {
  if ('collectorId' in input && input.collectorId)
    await findCollector(tx, actor, input.collectorId, 'route.collectorId');
  if (input.via === 'concentrator')
    await findConcentrator(tx, actor, input.concentratorId, 'route.concentratorId');
  return { tenantId, meterId, ...routeFields(commAddress, input) };
}

/** Whether a route keyed by the meter's address follows a change of it (not a concentrator's point). */
export function followsAddress(route: { via: Via; address: string }, oldAddress: string): boolean {
  return route.via !== 'concentrator' && route.address === oldAddress;
}

/**
 * Unique violations of the route keys as their specific codes; anything else unchanged. On a
 * concentrator the key's address is the measuring point, so either key clashing is a point clash.
 */
export function routeClash(err: unknown, via?: Via): unknown {
  const c = codedCause(err) as { code: string; constraint_name?: string } | undefined;
  if (c?.code !== '23505') return err;
  const key = c.constraint_name === 'meter_routes_key_uq';
  if (c.constraint_name === 'meter_routes_point_uq' || (key && via === 'concentrator'))
    return new AppError('METER_POINT_CLASH');
  if (key) return new AppError('METER_ROUTE_CLASH');
  return err;
}

export async function writeRoute(tx: Tx, row: typeof meterRoutes.$inferInsert): Promise<RouteRow> {
  try {
    const [saved] = await tx
      .insert(meterRoutes)
      .values(row)
      .onConflictDoUpdate({ target: [meterRoutes.tenantId, meterRoutes.meterId], set: row })
      .returning();
    return saved;
  } catch (err) {
    throw routeClash(err, row.via);
  }
}

/** Sets (or replaces) the meter's route; clashes answer METER_ROUTE_CLASH / METER_POINT_CLASH. */
export async function setRoute(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  meter: { id: string; commAddress: string },
  input: RouteInput,
): Promise<RouteDto> {
  return routeDto(await writeRoute(tx, await rowOf(tx, actor, tenantId, meter.id, meter.commAddress, input)));
}

export async function deleteRoute(tx: Tx, meterId: string): Promise<RouteDto | null> {
  const [gone] = await tx.delete(meterRoutes).where(eq(meterRoutes.meterId, meterId)).returning();
  return gone ? routeDto(gone) : null;
}

/** Where a meter is reached (primary key lookup), or null. */
export async function routeOf(tx: Tx, meterId: string): Promise<RouteDto | null> {
  const [r] = await tx.select().from(meterRoutes).where(eq(meterRoutes.meterId, meterId));
  return r ? routeDto(r) : null;
}

/** The meter at (via, line, address) — the unique key incoming frames resolve by — or null. */
export async function meterAt(tx: Tx, via: Via, line: string, address: string): Promise<string | null> {
  const [r] = await tx
    .select({ meterId: meterRoutes.meterId })
    .from(meterRoutes)
    .where(and(eq(meterRoutes.via, via), eq(meterRoutes.line, line), eq(meterRoutes.address, address)));
  return r?.meterId ?? null;
}

/**
 * Keeps a route's address in step with a changed communication address (serial, NB-IoT by IMEI
 * and LoRa routes are keyed by it).
 */
export async function followAddress(tx: Tx, meterId: string, oldAddress: string, newAddress: string) {
  const r = await routeOf(tx, meterId);
  if (!r || !followsAddress(r, oldAddress)) return;
  try {
    await tx.update(meterRoutes).set({ address: newAddress }).where(eq(meterRoutes.meterId, meterId));
  } catch (err) {
    throw routeClash(err);
  }
}

/**
 * Moves a meter's route to its replacement: same line, concentrator point and port; serial, LoRa
 * and NB-IoT routes take the new meter's address (for NB-IoT its IMEI; a platform device id of
 * the new device is set afterwards with PUT /meters/{id}/route).
 */
export async function moveRoute(
  tx: Tx,
  tenantId: string,
  from: { id: string; commAddress: string },
  to: { id: string; commAddress: string },
): Promise<RouteDto | null> {
  const old = await deleteRoute(tx, from.id);
  if (!old) return null;
  const address = old.via === 'concentrator' ? old.address : to.commAddress;
  return routeDto(await writeRoute(tx, { ...old, tenantId, meterId: to.id, address }));
}
