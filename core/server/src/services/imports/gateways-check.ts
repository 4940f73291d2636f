import { inScope } from '../identity/actor.ts';
import type { CheckContext, Checked, ParsedRow, RowError } from './entity.ts';
import type { LoadedGateways } from './gateways-load.ts';
import { concentratorKey } from './meter-route-cells.ts';
import { given, mergeCustom, sameJson, textField } from './row-values.ts';

export interface ConcentratorRecord {
  number: string;
  name: string;
  a1: string;
  a2: number;
  sim: string | null;
  iccid: string | null;
  area_id: string;
  status: string;
  custom: Record<string, unknown>;
}

export interface CollectorRecord {
  number: string;
  interface: string;
  address: string;
  concentrator_id: string | null;
  area_id: string;
  status: string;
  custom: Record<string, unknown>;
}

type Stored = { areaId: string; status: string; custom: Record<string, unknown> };

/**
 * What both sheets check first: a stored gateway of that number must be in the user's areas, and
 * the area the row names must exist and be in them. Returns the area id to write, or null on error.
 */
function areaOf(
  row: ParsedRow,
  L: LoadedGateways,
  ctx: CheckContext,
  stored: Stored | undefined,
  errors: RowError[],
) {
  if (stored) {
    const at = L.areas.byId.get(stored.areaId);
    if (!at || !inScope(ctx.actor, at.path)) {
      errors.push({
        column: 'number',
        code: 'gateway_out_of_scope',
        message: 'belongs to a gateway outside your areas',
      });
      return null;
    }
  }
  const text = given<string>(row, 'area');
  if (!text) return stored?.areaId ?? null;
  const found = L.areas.find(text);
  if (!found.ok) errors.push({ column: 'area', code: found.code, message: found.message });
  else if (!inScope(ctx.actor, found.area.path))
    errors.push({ column: 'area', code: 'area_out_of_scope', message: `${text} is outside your areas` });
  else return found.area.id;
  return null;
}

function outcome<R>(stored: unknown, changed: boolean, record: R, errors: RowError[]): Checked<R> {
  if (errors.length) return { errors };
  return { outcome: !stored ? 'created' : changed ? 'updated' : 'unchanged', record };
}

export function checkConcentrator(
  row: ParsedRow,
  L: LoadedGateways,
  ctx: CheckContext,
  seen: Map<string, number>,
): Checked<ConcentratorRecord> {
  const errors: RowError[] = [];
  const number = row.values.get('number') as string;
  const stored = L.concentrators.get(number);
  const areaId = areaOf(row, L, ctx, stored, errors);
  const r: ConcentratorRecord = {
    number,
    name: row.values.has('name') ? (given<string>(row, 'name') ?? '') : (stored?.name ?? ''),
    a1: given<string>(row, 'a1') ?? stored?.a1 ?? '',
    a2: given<number>(row, 'a2') ?? stored?.a2 ?? 0,
    sim: textField(row, 'sim', stored?.sim),
    iccid: textField(row, 'iccid', stored?.iccid),
    area_id: areaId ?? '',
    status: given<string>(row, 'status') ?? stored?.status ?? 'active',
    custom: mergeCustom(row, stored?.custom),
  };
  const address = `${r.a1}-${r.a2}`;
  const first = seen.get(`address:${address}`);
  if (first !== undefined)
    errors.push({ column: 'a2', code: 'duplicate_address', message: `the same A1/A2 as row ${first}` });
  else seen.set(`address:${address}`, row.row);
  const holder = L.byAddress.get(address);
  if (holder && holder.number !== number)
    errors.push({
      column: 'a2',
      code: 'address_taken',
      message: `A1/A2 is taken by concentrator ${holder.number}`,
    });
  const changed =
    !stored ||
    r.name !== stored.name ||
    r.a1 !== stored.a1 ||
    r.a2 !== stored.a2 ||
    r.sim !== stored.sim ||
    r.iccid !== stored.iccid ||
    r.area_id !== stored.areaId ||
    r.status !== stored.status ||
    !sameJson(r.custom, stored.custom);
  return outcome(stored, changed, r, errors);
}

export function checkCollector(
  row: ParsedRow,
  L: LoadedGateways,
  ctx: CheckContext,
): Checked<CollectorRecord> {
  const errors: RowError[] = [];
  const number = row.values.get('number') as string;
  const stored = L.collectors.get(number);
  const areaId = areaOf(row, L, ctx, stored, errors);
  let concentratorId = stored?.concentratorId ?? null;
  if (row.values.has('concentrator')) {
    const text = given<string>(row, 'concentrator');
    concentratorId = null;
    if (text) {
      const key = concentratorKey(text);
      const c = L.concentrators.get(key) ?? L.byAddress.get(key);
      if (c?.status !== 'active' || !inScope(ctx.actor, c.path))
        errors.push({
          column: 'concentrator',
          code: 'unknown_concentrator',
          message: `no concentrator ${text}`,
        });
      else concentratorId = c.id;
    }
  }
  const r: CollectorRecord = {
    number,
    interface: given<string>(row, 'interface') ?? stored?.interface ?? 'rs485',
    address: given<string>(row, 'address') ?? stored?.address ?? '',
    concentrator_id: concentratorId,
    area_id: areaId ?? '',
    status: given<string>(row, 'status') ?? stored?.status ?? 'active',
    custom: mergeCustom(row, stored?.custom),
  };
  const changed =
    !stored ||
    r.interface !== stored.interface ||
    r.address !== stored.address ||
    r.concentrator_id !== stored.concentratorId ||
    r.area_id !== stored.areaId ||
    r.status !== stored.status ||
    !sameJson(r.custom, stored.custom);
  return outcome(stored, changed, r, errors);
}
