import { AppError } from '@quadmeter/sdk';
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { codedCause } from '../../db/connection-errors.ts';
import {
  accounts,
  areas,
  customers,
  type meterControls,
  type meterStatuses,
  meters,
} from '../../db/schema/index.ts';
import { getArea } from '../areas/areas.ts';
import { type Actor, inScope } from '../identity/actor.ts';
import { type CustomValues, validateCustom } from './custom-fields.ts';
import { canonicalAddress, type MeterProtocol } from './meter-address.ts';
import type { MeterKinds } from './meter-kinds.ts';
import { followAddress, type RouteDto, type RouteInput, routeOf, setRoute } from './meter-routes.ts';
import { checkReading } from './readings.ts';

type MeterRow = typeof meters.$inferSelect;
export type MeterStatus = (typeof meterStatuses)[number];

export interface MeterInput {
  kind: string;
  assetNo: string;
  commAddress: string;
  protocol: MeterProtocol;
  vendorProfile?: string | null;
  model?: string | null;
  vendor?: string | null;
  ctRatio?: number;
  ptRatio?: number;
  digits?: number;
  initialReading?: string;
  installDate?: string | null;
  location?: string | null;
  areaId: string;
  accountId?: string | null;
  control?: (typeof meterControls)[number];
  custom?: Record<string, unknown>;
  route?: RouteInput | null;
}

export type MeterPatch = Partial<Omit<MeterInput, 'route' | 'accountId'>>;

export function meterDto(m: MeterRow, areaPath: readonly string[], route: RouteDto | null) {
  return {
    id: m.id,
    kind: m.kind,
    assetNo: m.assetNo,
    commAddress: m.commAddress,
    protocol: m.protocol,
    vendorProfile: m.vendorProfile,
    model: m.model,
    vendor: m.vendor,
    ctRatio: m.ctRatio,
    ptRatio: m.ptRatio,
    digits: m.digits,
    initialReading: m.initialReading,
    installDate: m.installDate,
    location: m.location,
    areaId: m.areaId,
    areaPath: [...areaPath],
    accountId: m.accountId,
    control: m.control,
    /** keep-power (保电): cuts are refused unless overridden */
    keepPower: m.keepPower,
    status: m.status,
    custom: m.custom as CustomValues,
    route,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
export type MeterDto = ReturnType<typeof meterDto>;

/** A meter within the actor's scope (optionally locked for update), or RESOURCE_NOT_FOUND. */
export async function findMeter(tx: Tx, actor: Actor, id: string, lock = false) {
  const q = tx
    .select({ m: meters, path: areas.path })
    .from(meters)
    .innerJoin(areas, eq(areas.id, meters.areaId))
    .where(eq(meters.id, id));
  const [row] = lock ? await q.for('update', { of: meters }) : await q;
  if (!row || !inScope(actor, row.path)) throw new AppError('RESOURCE_NOT_FOUND', 'No such meter', { id });
  return row;
}

export async function getMeter(tx: Tx, actor: Actor, id: string): Promise<MeterDto> {
  const { m, path } = await findMeter(tx, actor, id);
  return meterDto(m, path, await routeOf(tx, id));
}

/** The account's status when it exists and its customer lies in the actor's scope, else null. */
export async function visibleAccount(tx: Tx, actor: Actor, accountId: string) {
  const [row] = await tx
    .select({ path: areas.path, status: accounts.status })
    .from(accounts)
    .innerJoin(customers, eq(customers.id, accounts.customerId))
    .innerJoin(areas, eq(areas.id, customers.areaId))
    .where(eq(accounts.id, accountId));
  return row && inScope(actor, row.path) ? { status: row.status } : null;
}

/** An active account within the actor's scope for `field`, or REQ_VALIDATION. */
export async function checkAccount(tx: Tx, actor: Actor, accountId: string, field = 'accountId') {
  const row = await visibleAccount(tx, actor, accountId);
  if (!row)
    throw new AppError('REQ_VALIDATION', 'No such account', [{ path: field, message: 'does not exist' }]);
  if (row.status !== 'active')
    throw new AppError('REQ_VALIDATION', 'The account is closed', [{ path: field, message: 'is closed' }]);
}

function assetClash(err: unknown): unknown {
  const c = codedCause(err) as { code: string; constraint_name?: string } | undefined;
  return c?.code === '23505' && c.constraint_name === 'meters_asset_uq'
    ? new AppError('METER_ASSET_TAKEN')
    : err;
}

/** Creates a meter (status in_stock) with its optional route; checks kind, address, area, account. */
export async function createMeter(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  kinds: MeterKinds,
  input: MeterInput,
) {
  kinds.plugin(input.kind);
  const commAddress = canonicalAddress(input.protocol, input.commAddress);
  const digits = input.digits ?? 8;
  const initialReading = checkReading(input.initialReading ?? '0', digits, 'initialReading');
  const area = await getArea(tx, actor, input.areaId);
  if (input.accountId) await checkAccount(tx, actor, input.accountId);
  const custom = await validateCustom(tx, 'meter', input.custom);
  let m: MeterRow;
  try {
    [m] = await tx
      .insert(meters)
      .values({
        tenantId,
        kind: input.kind,
        assetNo: input.assetNo,
        commAddress,
        protocol: input.protocol,
        vendorProfile: input.vendorProfile ?? null,
        model: input.model ?? null,
        vendor: input.vendor ?? null,
        ctRatio: input.ctRatio ?? 1,
        ptRatio: input.ptRatio ?? 1,
        digits,
        initialReading,
        installDate: input.installDate ?? null,
        location: input.location ?? null,
        areaId: area.id,
        accountId: input.accountId ?? null,
        control: input.control ?? 'none',
        custom,
      })
      .returning();
  } catch (err) {
    throw assetClash(err);
  }
  const route = input.route ? await setRoute(tx, actor, tenantId, m, input.route) : null;
  return meterDto(m, area.path, route);
}

/** Changes a meter's descriptive fields; status and account change only through lifecycle events. */
export async function updateMeter(tx: Tx, actor: Actor, kinds: MeterKinds, id: string, patch: MeterPatch) {
  const { m: before, path } = await findMeter(tx, actor, id, true);
  if (patch.kind !== undefined) kinds.plugin(patch.kind);
  const frozen =
    (patch.kind !== undefined && patch.kind !== before.kind) || patch.initialReading !== undefined;
  if (frozen && before.status !== 'in_stock')
    throw new AppError(
      'METER_STATE_INVALID',
      'Kind and initial reading change only while the meter is in stock',
      {
        status: before.status,
      },
    );
  const protocol = patch.protocol ?? before.protocol;
  const commAddress =
    patch.commAddress !== undefined || patch.protocol !== undefined
      ? canonicalAddress(protocol, patch.commAddress ?? before.commAddress)
      : before.commAddress;
  const digits = patch.digits ?? before.digits;
  const initialReading =
    patch.initialReading !== undefined || patch.digits !== undefined
      ? checkReading(patch.initialReading ?? before.initialReading, digits, 'initialReading')
      : before.initialReading;
  const areaPath = patch.areaId !== undefined ? (await getArea(tx, actor, patch.areaId)).path : path;
  const custom =
    patch.custom !== undefined
      ? await validateCustom(tx, 'meter', patch.custom, before.custom as Record<string, unknown>)
      : (before.custom as CustomValues);
  let after: MeterRow;
  try {
    [after] = await tx
      .update(meters)
      .set({
        ...patch,
        commAddress,
        initialReading,
        protocol,
        digits,
        custom,
        updatedAt: sql`now()`,
      })
      .where(eq(meters.id, id))
      .returning();
  } catch (err) {
    throw assetClash(err);
  }
  if (commAddress !== before.commAddress) await followAddress(tx, id, before.commAddress, commAddress);
  const route = await routeOf(tx, id);
  return { before: meterDto(before, path, route), after: meterDto(after, areaPath, route) };
}
