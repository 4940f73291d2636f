import { AppError } from '@quadmeter/sdk';
import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type meterEventKinds, meterEvents, meters } from '../../db/schema/index.ts';
import type { Actor } from '../identity/actor.ts';
import { storeEventReadings } from '../readings/event-readings.ts';
import type { MeterKinds } from './meter-kinds.ts';
import { deleteRoute, moveRoute } from './meter-routes.ts';
import {
  checkAccount,
  createMeter,
  findMeter,
  getMeter,
  type MeterInput,
  type MeterStatus,
  visibleAccount,
} from './meters.ts';
import { checkReading } from './readings.ts';

type EventKind = (typeof meterEventKinds)[number];
type MeterRow = typeof meters.$inferSelect;

export interface Why {
  reason: string;
  at?: string;
}

interface EventInput extends Why {
  meter: MeterRow;
  kind: EventKind;
  final?: string;
  initial?: string;
  relatedMeterId?: string | null;
  fromAccountId?: string | null;
  toAccountId?: string | null;
}

export function eventDto(e: typeof meterEvents.$inferSelect) {
  return {
    id: e.id,
    meterId: e.meterId,
    kind: e.kind,
    at: e.at.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    reason: e.reason,
    readings: e.readings as Record<string, Record<string, string>>,
    relatedMeterId: e.relatedMeterId,
    fromAccountId: e.fromAccountId,
    toAccountId: e.toAccountId,
  };
}

/** Appends one lifecycle event; readings are keyed by the meter type's main register. */
async function record(tx: Tx, tenantId: string, actor: Actor, kinds: MeterKinds, e: EventInput) {
  const reg = kinds.mainRegister(e.meter.kind).key;
  if (e.at && Date.parse(e.at) > Date.now() + 5 * 60_000)
    throw new AppError('REQ_VALIDATION', 'A lifecycle event cannot lie in the future', [
      { path: 'at', message: 'must not be in the future' },
    ]);
  const readings: Record<string, Record<string, string>> = {};
  if (e.final !== undefined) readings.final = { [reg]: e.final };
  if (e.initial !== undefined) readings.initial = { [reg]: e.initial };
  await tx.insert(meterEvents).values({
    tenantId,
    meterId: e.meter.id,
    kind: e.kind,
    ...(e.at && { at: new Date(e.at) }),
    actorId: actor.kind === 'operator' ? null : actor.id,
    actorName: actor.displayName || actor.name,
    reason: e.reason,
    readings,
    relatedMeterId: e.relatedMeterId ?? null,
    fromAccountId: e.fromAccountId ?? null,
    toAccountId: e.toAccountId ?? null,
  });
}

function requireStatus(m: MeterRow, allowed: readonly MeterStatus[], action: string) {
  if (!allowed.includes(m.status))
    throw new AppError('METER_STATE_INVALID', `A meter that is ${m.status} cannot be ${action}`, {
      status: m.status,
      allowed,
    });
}

async function setState(tx: Tx, id: string, set: Partial<typeof meters.$inferInsert>) {
  await tx
    .update(meters)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(meters.id, id));
}

/** The calendar day of `at` (or now) where the meters are: the tenants' zone, Asia/Shanghai. */
const day = (at?: string) =>
  new Date(at ?? Date.now()).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

export interface Ctx {
  tenantId: string;
  actor: Actor;
  kinds: MeterKinds;
}

/** 安装: an in-stock meter goes into service with its initial reading, optionally on an account. */
export async function installMeter(
  tx: Tx,
  c: Ctx,
  id: string,
  i: Why & { accountId?: string | null; initialReading: string },
) {
  const { m } = await findMeter(tx, c.actor, id, true);
  requireStatus(m, ['in_stock'], 'installed');
  const initial = checkReading(i.initialReading, m.digits, 'initialReading');
  if (i.accountId) await checkAccount(tx, c.actor, i.accountId);
  const accountId = i.accountId ?? m.accountId;
  await record(tx, c.tenantId, c.actor, c.kinds, {
    ...i,
    meter: m,
    kind: 'install',
    initial,
    toAccountId: accountId,
  });
  await setState(tx, id, { status: 'installed', initialReading: initial, installDate: day(i.at), accountId });
  return getMeter(tx, c.actor, id);
}

export interface ReplaceInput extends Why {
  newMeter?: Omit<MeterInput, 'route' | 'accountId'>;
  newMeterId?: string;
  finalReading: string;
  initialReading: string;
}

/**
 * 换表, in the caller's one transaction: the old meter's final reading and the new meter's initial
 * reading are recorded together, the route and the account move to the new meter and the old
 * one is removed. Any failure (a route clash on the new address, say) undoes all of it.
 */
export async function replaceMeter(tx: Tx, c: Ctx, id: string, i: ReplaceInput) {
  const { m: old } = await findMeter(tx, c.actor, id, true);
  requireStatus(old, ['installed', 'suspended'], 'replaced');
  const final = checkReading(i.finalReading, old.digits, 'finalReading');
  const newId = i.newMeter
    ? (await createMeter(tx, c.actor, c.tenantId, c.kinds, { ...i.newMeter, accountId: null })).id
    : i.newMeterId;
  if (!newId)
    throw new AppError('REQ_VALIDATION', 'Give newMeter or newMeterId', [
      { path: 'newMeter', message: 'required' },
    ]);
  if (newId === id)
    throw new AppError('REQ_VALIDATION', 'A meter cannot replace itself', [
      { path: 'newMeterId', message: 'is the old meter' },
    ]);
  const { m: fresh } = await findMeter(tx, c.actor, newId, true);
  requireStatus(fresh, ['in_stock'], 'installed as a replacement');
  if (fresh.kind !== old.kind)
    throw new AppError('REQ_VALIDATION', 'The new meter must be of the same kind', [
      { path: 'newMeter.kind', message: `must be ${old.kind}` },
    ]);
  const initial = checkReading(i.initialReading, fresh.digits, 'initialReading');
  const accountId = old.accountId;
  const why = { reason: i.reason, at: i.at };
  await record(tx, c.tenantId, c.actor, c.kinds, {
    ...why,
    meter: old,
    kind: 'replace',
    final,
    initial,
    relatedMeterId: newId,
    fromAccountId: accountId,
    toAccountId: accountId,
  });
  await setState(tx, id, { status: 'removed', accountId: null });
  await moveRoute(tx, c.tenantId, old, fresh);
  await record(tx, c.tenantId, c.actor, c.kinds, {
    ...why,
    meter: fresh,
    kind: 'install',
    initial,
    relatedMeterId: id,
    toAccountId: accountId,
  });
  await setState(tx, newId, {
    status: 'installed',
    initialReading: initial,
    installDate: day(i.at),
    accountId,
  });
  // the old meter's run ends at its final reading and the new one's starts at its initial reading
  await storeEventReadings(tx, c.tenantId, c.kinds, [
    { meter: old, at: i.at, value: final, role: 'final' },
    { meter: { ...fresh, initialReading: initial }, at: i.at, value: initial, role: 'initial' },
  ]);
  return { old: await getMeter(tx, c.actor, id), new: await getMeter(tx, c.actor, newId) };
}

/** 拆表: out of service with a final reading; the route is freed and the account released. */
export async function removeMeter(tx: Tx, c: Ctx, id: string, i: Why & { finalReading: string }) {
  const { m } = await findMeter(tx, c.actor, id, true);
  requireStatus(m, ['installed', 'suspended'], 'removed');
  const final = checkReading(i.finalReading, m.digits, 'finalReading');
  await record(tx, c.tenantId, c.actor, c.kinds, {
    ...i,
    meter: m,
    kind: 'remove',
    final,
    fromAccountId: m.accountId,
  });
  await deleteRoute(tx, id);
  await setState(tx, id, { status: 'removed', accountId: null });
  await storeEventReadings(tx, c.tenantId, c.kinds, [{ meter: m, at: i.at, value: final, role: 'final' }]);
  return getMeter(tx, c.actor, id);
}

/** 停用 / 恢复 */
export async function suspendOrResume(tx: Tx, c: Ctx, id: string, kind: 'suspend' | 'resume', i: Why) {
  const { m } = await findMeter(tx, c.actor, id, true);
  requireStatus(
    m,
    [kind === 'suspend' ? 'installed' : 'suspended'],
    kind === 'suspend' ? 'suspended' : 'resumed',
  );
  await record(tx, c.tenantId, c.actor, c.kinds, { ...i, meter: m, kind });
  await setState(tx, id, { status: kind === 'suspend' ? 'suspended' : 'installed' });
  return getMeter(tx, c.actor, id);
}

/** 过户: the meter moves to another account with a final reading for the old one's bill. */
export async function transferMeter(
  tx: Tx,
  c: Ctx,
  id: string,
  i: Why & { toAccountId: string; finalReading: string },
) {
  const { m } = await findMeter(tx, c.actor, id, true);
  requireStatus(m, ['installed', 'suspended'], 'transferred');
  const final = checkReading(i.finalReading, m.digits, 'finalReading');
  if (i.toAccountId === m.accountId)
    throw new AppError('REQ_VALIDATION', 'The meter is already on this account', [
      { path: 'toAccountId', message: 'is the current account' },
    ]);
  await checkAccount(tx, c.actor, i.toAccountId, 'toAccountId');
  await record(tx, c.tenantId, c.actor, c.kinds, {
    ...i,
    meter: m,
    kind: 'transfer',
    final,
    fromAccountId: m.accountId,
    toAccountId: i.toAccountId,
  });
  await setState(tx, id, { accountId: i.toAccountId });
  return getMeter(tx, c.actor, id);
}

/** The meter's events, oldest first. */
export async function meterHistory(tx: Tx, actor: Actor, id: string) {
  await findMeter(tx, actor, id);
  const rows = await tx
    .select()
    .from(meterEvents)
    .where(eq(meterEvents.meterId, id))
    .orderBy(asc(meterEvents.at), asc(meterEvents.id));
  return rows.map(eventDto);
}

/** Events of the meters an account holds or held (by the account named on them), oldest first. */
export async function accountMeterHistory(tx: Tx, actor: Actor, accountId: string) {
  if (!(await visibleAccount(tx, actor, accountId)))
    throw new AppError('RESOURCE_NOT_FOUND', 'No such account', { id: accountId });
  const held = tx.select({ id: meters.id }).from(meters).where(eq(meters.accountId, accountId));
  const rows = await tx
    .select()
    .from(meterEvents)
    .where(
      or(
        inArray(meterEvents.meterId, held),
        eq(meterEvents.fromAccountId, accountId),
        eq(meterEvents.toAccountId, accountId),
      ),
    )
    .orderBy(asc(meterEvents.at), asc(meterEvents.id))
    .limit(5000);
  return rows.map(eventDto);
}
