import { AppError } from '@quadmeter/sdk';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { areas, type collectorInterfaces, collectors, concentrators } from '../../db/schema/index.ts';
import { codedCause } from '../../http/db-errors.ts';
import { getArea } from '../areas/areas.ts';
import { type Actor, inScope } from '../identity/actor.ts';
import { type CustomValues, validateCustom } from './custom-fields.ts';
import { canonicalA1 } from './meter-address.ts';
import { pathInScope } from './meter-list.ts';

type ConcentratorRow = typeof concentrators.$inferSelect;
type CollectorRow = typeof collectors.$inferSelect;

export interface ConcentratorInput {
  number: string;
  name?: string;
  a1: string;
  a2: number;
  sim?: string | null;
  iccid?: string | null;
  areaId: string;
  status?: 'active' | 'removed';
  custom?: Record<string, unknown>;
}

export interface CollectorInput {
  number: string;
  interface: (typeof collectorInterfaces)[number];
  address: string;
  concentratorId?: string | null;
  areaId: string;
  status?: 'active' | 'removed';
  custom?: Record<string, unknown>;
}

export function concentratorDto(c: ConcentratorRow, areaPath: readonly string[]) {
  return {
    id: c.id,
    number: c.number,
    name: c.name,
    a1: c.a1,
    a2: c.a2,
    protocol: c.protocol,
    sim: c.sim,
    iccid: c.iccid,
    areaId: c.areaId,
    areaPath: [...areaPath],
    status: c.status,
    online: c.online,
    lastHeartbeatAt: c.lastHeartbeatAt?.toISOString() ?? null,
    custom: c.custom as CustomValues,
    createdAt: c.createdAt.toISOString(),
  };
}

export function collectorDto(c: CollectorRow, areaPath: readonly string[]) {
  return {
    id: c.id,
    number: c.number,
    interface: c.interface,
    address: c.address,
    concentratorId: c.concentratorId,
    areaId: c.areaId,
    areaPath: [...areaPath],
    status: c.status,
    custom: c.custom as CustomValues,
    createdAt: c.createdAt.toISOString(),
  };
}

function taken(err: unknown): unknown {
  const c = codedCause(err) as { code: string; constraint_name?: string } | undefined;
  if (c?.code !== '23505') return err;
  const what = c.constraint_name === 'concentrators_address_uq' ? 'A1/A2 address' : 'number';
  return new AppError('GATEWAY_ADDRESS_TAKEN', `Another gateway already has this ${what}`, {
    constraint: c.constraint_name,
  });
}

export async function findConcentrator(tx: Tx, actor: Actor, id: string, field?: string) {
  const [row] = await tx
    .select({ c: concentrators, path: areas.path })
    .from(concentrators)
    .innerJoin(areas, eq(areas.id, concentrators.areaId))
    .where(eq(concentrators.id, id));
  if (!row || !inScope(actor, row.path)) {
    if (field)
      throw new AppError('REQ_VALIDATION', 'No such concentrator', [
        { path: field, message: 'does not exist' },
      ]);
    throw new AppError('RESOURCE_NOT_FOUND', 'No such concentrator', { id });
  }
  return row;
}

export async function findCollector(tx: Tx, actor: Actor, id: string, field?: string) {
  const [row] = await tx
    .select({ c: collectors, path: areas.path })
    .from(collectors)
    .innerJoin(areas, eq(areas.id, collectors.areaId))
    .where(eq(collectors.id, id));
  if (!row || !inScope(actor, row.path)) {
    if (field)
      throw new AppError('REQ_VALIDATION', 'No such collector', [{ path: field, message: 'does not exist' }]);
    throw new AppError('RESOURCE_NOT_FOUND', 'No such collector', { id });
  }
  return row;
}

export async function listConcentrators(tx: Tx, actor: Actor) {
  const rows = await tx
    .select({ c: concentrators, path: areas.path })
    .from(concentrators)
    .innerJoin(areas, eq(areas.id, concentrators.areaId))
    .where(pathInScope(actor, sql`${areas.path}`))
    .orderBy(asc(concentrators.number))
    .limit(5000);
  return rows.map((r) => concentratorDto(r.c, r.path));
}

export async function listCollectors(tx: Tx, actor: Actor, concentratorId?: string) {
  const rows = await tx
    .select({ c: collectors, path: areas.path })
    .from(collectors)
    .innerJoin(areas, eq(areas.id, collectors.areaId))
    .where(
      and(
        pathInScope(actor, sql`${areas.path}`),
        concentratorId ? eq(collectors.concentratorId, concentratorId) : undefined,
      ),
    )
    .orderBy(asc(collectors.number))
    .limit(5000);
  return rows.map((r) => collectorDto(r.c, r.path));
}

export async function createConcentrator(tx: Tx, actor: Actor, tenantId: string, i: ConcentratorInput) {
  const area = await getArea(tx, actor, i.areaId);
  const custom = await validateCustom(tx, 'concentrator', i.custom);
  try {
    const [c] = await tx
      .insert(concentrators)
      .values({ ...i, tenantId, a1: canonicalA1(i.a1), name: i.name ?? '', custom })
      .returning();
    return concentratorDto(c, area.path);
  } catch (err) {
    throw taken(err);
  }
}

export async function updateConcentrator(
  tx: Tx,
  actor: Actor,
  id: string,
  patch: Partial<ConcentratorInput>,
) {
  const { c: before, path } = await findConcentrator(tx, actor, id);
  const areaPath = patch.areaId ? (await getArea(tx, actor, patch.areaId)).path : path;
  const custom =
    patch.custom !== undefined
      ? await validateCustom(tx, 'concentrator', patch.custom, before.custom as Record<string, unknown>)
      : (before.custom as CustomValues);
  try {
    const [after] = await tx
      .update(concentrators)
      .set({ ...patch, ...(patch.a1 !== undefined && { a1: canonicalA1(patch.a1) }), custom })
      .where(eq(concentrators.id, id))
      .returning();
    return { before: concentratorDto(before, path), after: concentratorDto(after, areaPath) };
  } catch (err) {
    throw taken(err);
  }
}

/** A collector's address: 1–16 hex digits, canonical upper case. */
function collectorAddress(a: string): string {
  const up = a.toUpperCase();
  if (!/^[0-9A-F]{1,16}$/.test(up))
    throw new AppError('METER_ADDRESS_INVALID', 'A collector address is 1–16 hex digits', [
      { path: 'address', message: 'must be 1–16 hex digits' },
    ]);
  return up;
}

export async function createCollector(tx: Tx, actor: Actor, tenantId: string, i: CollectorInput) {
  const area = await getArea(tx, actor, i.areaId);
  if (i.concentratorId) await findConcentrator(tx, actor, i.concentratorId, 'concentratorId');
  const custom = await validateCustom(tx, 'collector', i.custom);
  try {
    const [c] = await tx
      .insert(collectors)
      .values({
        ...i,
        tenantId,
        address: collectorAddress(i.address),
        concentratorId: i.concentratorId ?? null,
        custom,
      })
      .returning();
    return collectorDto(c, area.path);
  } catch (err) {
    throw taken(err);
  }
}

export async function updateCollector(tx: Tx, actor: Actor, id: string, patch: Partial<CollectorInput>) {
  const { c: before, path } = await findCollector(tx, actor, id);
  const areaPath = patch.areaId ? (await getArea(tx, actor, patch.areaId)).path : path;
  if (patch.concentratorId) await findConcentrator(tx, actor, patch.concentratorId, 'concentratorId');
  const custom =
    patch.custom !== undefined
      ? await validateCustom(tx, 'collector', patch.custom, before.custom as Record<string, unknown>)
      : (before.custom as CustomValues);
  try {
    const [after] = await tx
      .update(collectors)
      .set({
        ...patch,
        ...(patch.address !== undefined && { address: collectorAddress(patch.address) }),
        custom,
      })
      .where(eq(collectors.id, id))
      .returning();
    return { before: collectorDto(before, path), after: collectorDto(after, areaPath) };
  } catch (err) {
    throw taken(err);
  }
}
