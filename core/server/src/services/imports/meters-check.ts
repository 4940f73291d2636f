import { orderedUuid } from '../../db/ordered-ids.ts';
import { checkAddress, type MeterProtocol } from '../archives/meter-address.ts';
import { parseReading } from '../archives/readings.ts';
import { inScope } from '../identity/actor.ts';
import type { CheckContext, Checked, ParsedRow, RowError } from './entity.ts';
import { routeOfRow, sameRoute } from './meter-route-cells.ts';
import { type ExistingMeter, type LoadedMeters, routeKey, type StoredRoute } from './meters-load.ts';
import { given, mergeCustom, sameJson, textField } from './row-values.ts';

/** A meter as the apply writes it (snake_case, as the jsonb recordset names the columns). */
export interface MeterFields {
  /** the stored id, or a new one for a new meter (so routes and events need no lookup by asset number) */
  id: string;
  asset_no: string;
  kind: string;
  comm_address: string;
  protocol: MeterProtocol;
  vendor_profile: string | null;
  model: string | null;
  vendor: string | null;
  ct_ratio: number;
  pt_ratio: number;
  digits: number;
  initial_reading: string;
  install_date: string | null;
  location: string | null;
  area_id: string;
  account_id: string | null;
  control: string;
  custom: Record<string, unknown>;
}

export interface MeterRecord {
  /** the meter's fields when it is new or changed, else null */
  meter: MeterFields | null;
  isNew: boolean;
  /** the route to store when it is new or changed, else null */
  route: (StoredRoute & { meter_id: string }) | null;
  /** the install event of a new meter: its main register and initial reading */
  install: {
    meter_id: string;
    register: string;
    initial: string;
    account_id: string | null;
    /** the install date the row gives (the event is dated at its start), else null (now) */
    installed_on: string | null;
  } | null;
}

/** A decimal string without trailing fractional zeros (numeric(20,4) reads back as `12.5000`). */
const dec = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

function err(errors: RowError[], column: string, code: string, message: string) {
  errors.push({ column, code, message });
}

/** The account the row names, when it is visible and open. */
function accountOf(
  row: ParsedRow,
  L: LoadedMeters,
  ctx: CheckContext,
  m: ExistingMeter | undefined,
  errors: RowError[],
) {
  const number = given<string>(row, 'accountNumber');
  if (!number) return m?.accountId ?? null;
  const a = L.accounts.get(number);
  if (!a || !inScope(ctx.actor, a.path))
    err(errors, 'accountNumber', 'unknown_account', `no account ${number}`);
  else if (a.status !== 'active')
    err(errors, 'accountNumber', 'account_closed', `account ${number} is closed`);
  else if (m && m.accountId !== a.id)
    err(errors, 'accountNumber', 'account_change', 'a meter changes account only by a transfer (过户)');
  else return a.id;
  return null;
}

function areaOf(
  row: ParsedRow,
  L: LoadedMeters,
  ctx: CheckContext,
  m: ExistingMeter | undefined,
  errors: RowError[],
) {
  const text = given<string>(row, 'area');
  if (!text) return m?.areaId ?? '';
  const found = L.areas.find(text);
  if (!found.ok) err(errors, 'area', found.code, found.message);
  else if (!inScope(ctx.actor, found.area.path))
    err(errors, 'area', 'area_out_of_scope', `${text} is outside your areas`);
  else return found.area.id;
  return '';
}

/** The duplicate and clash checks of the route key, within the file and against the database. */
function routeClashes(
  route: StoredRoute,
  commAddress: string,
  assetNo: string,
  row: number,
  L: LoadedMeters,
  seen: Map<string, number>,
  errors: RowError[],
) {
  const key = routeKey(route);
  const point = route.via === 'concentrator';
  const column = point ? 'pointNo' : route.address === commAddress ? 'commAddress' : 'deviceId';
  const first = seen.get(key);
  if (first !== undefined)
    err(
      errors,
      column,
      point ? 'point_clash' : 'duplicate_address',
      `the same ${point ? 'measuring point' : 'address on the same line'} as row ${first}`,
    );
  else seen.set(key, row);
  const holder = L.routes.get(key);
  if (holder !== undefined && holder !== assetNo)
    err(
      errors,
      column,
      point ? 'point_clash' : 'route_clash',
      `${point ? 'measuring point' : 'address on this line'} is taken by meter ${holder}`,
    );
}

function fieldsOf(
  row: ParsedRow,
  m: ExistingMeter | undefined,
  base: Pick<
    MeterFields,
    | 'id'
    | 'asset_no'
    | 'kind'
    | 'comm_address'
    | 'protocol'
    | 'digits'
    | 'initial_reading'
    | 'area_id'
    | 'account_id'
  >,
  today: string,
): MeterFields {
  return {
    ...base,
    vendor_profile: textField(row, 'vendorProfile', m?.vendorProfile),
    model: textField(row, 'model', m?.model),
    vendor: textField(row, 'vendor', m?.vendor),
    ct_ratio: given<number>(row, 'ctRatio') ?? m?.ctRatio ?? 1,
    pt_ratio: given<number>(row, 'ptRatio') ?? m?.ptRatio ?? 1,
    install_date: given<string>(row, 'installDate') ?? m?.installDate ?? (m ? null : today),
    location: textField(row, 'location', m?.location),
    control: given<string>(row, 'control') ?? m?.control ?? 'none',
    custom: mergeCustom(row, m?.custom),
  };
}

function changed(f: MeterFields, m: ExistingMeter): boolean {
  return (
    f.comm_address !== m.commAddress ||
    f.protocol !== m.protocol ||
    f.vendor_profile !== m.vendorProfile ||
    f.model !== m.model ||
    f.vendor !== m.vendor ||
    f.ct_ratio !== m.ctRatio ||
    f.pt_ratio !== m.ptRatio ||
    f.digits !== m.digits ||
    f.initial_reading !== dec(m.initialReading) ||
    f.install_date !== m.installDate ||
    f.location !== m.location ||
    f.area_id !== m.areaId ||
    f.control !== m.control ||
    !sameJson(f.custom, m.custom)
  );
}

/**
 * One meter row against what the database holds: kind (installed plugin), address syntax by the
 * protocol, reading within the register, area and account (by number, within the uploader's
 * scope), route (gateways by number, clashes within the file and with other meters), and the
 * rules of an edit through the API (kind and initial reading frozen once installed; the account
 * changes only by a transfer).
 */
export function checkMeter(
  row: ParsedRow,
  L: LoadedMeters,
  ctx: CheckContext,
  seen: Map<string, number>,
): Checked<MeterRecord> {
  const errors: RowError[] = [];
  const assetNo = row.values.get('assetNo') as string;
  const m = L.meters.get(assetNo);
  if (m && !inScope(ctx.actor, m.areaPath))
    return {
      errors: [
        { column: 'assetNo', code: 'meter_out_of_scope', message: 'belongs to a meter outside your areas' },
      ],
    };
  const kind = row.values.get('kind') as string;
  if (!L.kinds.ids.has(kind))
    err(errors, 'kind', 'unknown_kind', `must be one of ${[...L.kinds.ids].join(', ')}`);
  else if (m && m.kind !== kind)
    return {
      errors: [
        { column: 'assetNo', code: 'asset_taken', message: `is the asset number of a ${m.kind} meter` },
      ],
    };
  const protocol = row.values.get('protocol') as MeterProtocol;
  const address = checkAddress(protocol, row.values.get('commAddress') as string);
  if (!address.ok) err(errors, 'commAddress', 'address_syntax', `${protocol}: ${address.message}`);
  const digits = given<number>(row, 'digits') ?? m?.digits ?? 8;
  const reading = parseReading(given<string>(row, 'initialReading') ?? m?.initialReading ?? '0', digits);
  if (!reading.ok) err(errors, 'initialReading', 'reading_range', reading.message);
  const initial = reading.ok ? dec(reading.value) : '0';
  if (m && m.status !== 'in_stock' && initial !== dec(m.initialReading))
    err(
      errors,
      'initialReading',
      'meter_state',
      `changes only while the meter is in stock (it is ${m.status})`,
    );
  const installDate = given<string>(row, 'installDate');
  if (installDate && installDate > ctx.today)
    err(errors, 'installDate', 'future_date', 'must not lie in the future');
  const areaId = areaOf(row, L, ctx, m, errors);
  const accountId = accountOf(row, L, ctx, m, errors);
  const commAddress = address.ok ? address.value : '';
  const r = routeOfRow(row, L, ctx, commAddress, protocol, m);
  if ('errors' in r) errors.push(...r.errors);
  else if (r.route && address.ok) routeClashes(r.route, commAddress, assetNo, row.row, L, seen, errors);
  if (errors.length) return { errors };
  const route = 'route' in r ? r.route : null;

  const fields = fieldsOf(
    row,
    m,
    {
      id: m?.id ?? orderedUuid(),
      asset_no: assetNo,
      kind,
      comm_address: commAddress,
      protocol,
      digits,
      initial_reading: initial,
      area_id: areaId,
      account_id: accountId,
    },
    ctx.today,
  );
  const meterChanged = !m || changed(fields, m);
  const routeChanged = !sameRoute(route, m?.route ?? null) && route !== null;
  if (m?.status === 'removed' && (meterChanged || routeChanged))
    return {
      errors: [
        { column: 'assetNo', code: 'meter_removed', message: 'the meter was removed; it cannot be changed' },
      ],
    };
  return {
    outcome: !m ? 'created' : meterChanged || routeChanged ? 'updated' : 'unchanged',
    record: {
      meter: meterChanged ? fields : null,
      isNew: !m,
      route: routeChanged && route ? { ...route, meter_id: fields.id } : null,
      install: m
        ? null
        : {
            meter_id: fields.id,
            register: L.register(kind),
            initial,
            account_id: accountId,
            installed_on: given<string>(row, 'installDate') ?? null,
          },
    },
  };
}
