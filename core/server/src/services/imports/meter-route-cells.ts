import { checkAddress, type MeterProtocol } from '../archives/meter-address.ts';
import { followsAddress, type RouteInput, routeFields } from '../archives/meter-routes.ts';
import { inScope } from '../identity/actor.ts';
import type { CheckContext, ParsedRow, RowError } from './entity.ts';
import { ROUTE_COLUMNS } from './meter-columns.ts';
import type { ExistingMeter, Gateway, LoadedMeters, StoredRoute } from './meters-load.ts';
import { given } from './row-values.ts';

export type RouteResult = { route: StoredRoute | null } | { errors: RowError[] };

/** Defaults of a serial route: DL/T 645 and CJ/T 188 meters talk 2400 baud, even parity. */
const SERIAL = { baud: 2400, parity: 'E' as const };
/** Q/GDW 1376.1 concentrators reach their RS-485 meters on port 2 unless told otherwise. */
const CONCENTRATOR_PORT = 2;

function gateway(
  found: Gateway | undefined,
  ctx: CheckContext,
  column: string,
  text: string,
  errors: RowError[],
): string | null {
  if (found && inScope(ctx.actor, found.path)) return found.id;
  errors.push({ column, code: `unknown_${column}`, message: `no ${column} ${text}` });
  return null;
}

/** `3501-2` (A1-A2) names a concentrator as well as its number does. */
export function concentratorKey(text: string): string {
  const m = /^([0-9A-Fa-f]{4})[-:/](\d{1,5})$/.exec(text);
  return m ? `${m[1].toUpperCase()}-${Number(m[2])}` : text;
}

/** The route the row states, as a client would send it to PUT /meters/{id}/route; or its errors. */
function inputOf(row: ParsedRow, L: LoadedMeters, ctx: CheckContext, protocol: string) {
  const errors: RowError[] = [];
  const line = given<string>(row, 'line');
  const concentrator = given<string>(row, 'concentrator');
  const platform = given<string>(row, 'platform');
  const via =
    given<RouteInput['via']>(row, 'via') ??
    (line
      ? 'serial'
      : concentrator
        ? 'concentrator'
        : platform || given(row, 'deviceId')
          ? 'nbiot'
          : protocol === 'lora'
            ? 'lora'
            : undefined);
  const need = (column: string) =>
    errors.push({ column, code: 'required', message: `is required for a ${via} route` });
  const collectorNo = given<string>(row, 'collector');
  const collectorId = collectorNo
    ? gateway(L.collectors.get(collectorNo), ctx, 'collector', collectorNo, errors)
    : null;
  let input: RouteInput | undefined;
  switch (via) {
    case 'serial':
      if (!line) need('line');
      else
        input = {
          via,
          line,
          baud: given<number>(row, 'baud') ?? SERIAL.baud,
          parity: given<'E' | 'N' | 'O'>(row, 'parity') ?? SERIAL.parity,
          collectorId,
          channel: given<number>(row, 'channel') ?? null,
        };
      break;
    case 'concentrator': {
      const pointNo = given<number>(row, 'pointNo');
      if (!concentrator) need('concentrator');
      if (pointNo === undefined) need('pointNo');
      const id = concentrator
        ? gateway(
            L.concentrators.get(concentratorKey(concentrator)),
            ctx,
            'concentrator',
            concentrator,
            errors,
          )
        : null;
      if (id && pointNo !== undefined)
        input = {
          via,
          concentratorId: id,
          pointNo,
          port: given<number>(row, 'port') ?? CONCENTRATOR_PORT,
          collectorId,
        };
      break;
    }
    case 'nbiot':
      if (!platform) need('platform');
      else input = { via, platform: platform as 'ctwing', deviceId: given<string>(row, 'deviceId') ?? null };
      break;
    case 'lora':
      input = { via };
      break;
  }
  return { input, errors };
}

/**
 * Where the meter is to be reached: what the row states; without route cells, the stored route
 * (its address following a changed communication address, as an edit through the API does).
 */
export function routeOfRow(
  row: ParsedRow,
  L: LoadedMeters,
  ctx: CheckContext,
  commAddress: string,
  protocol: string,
  existing: ExistingMeter | undefined,
): RouteResult {
  const stated = ROUTE_COLUMNS.some((k) => given(row, k) !== undefined);
  const stored = existing?.route ?? null;
  if (!stated && (stored || protocol !== 'lora')) {
    if (!stored || !existing || !followsAddress(stored, existing.commAddress)) return { route: stored };
    return { route: { ...stored, address: commAddress } };
  }
  const { input, errors } = inputOf(row, L, ctx, protocol);
  if (errors.length) return { errors };
  return { route: input ? (routeFields(commAddress, input) as StoredRoute) : null };
}

export function sameRoute(a: StoredRoute | null, b: StoredRoute | null): boolean {
  if (!a || !b) return a === b;
  return (
    a.via === b.via &&
    a.line === b.line &&
    a.address === b.address &&
    a.baud === b.baud &&
    a.parity === b.parity &&
    a.collectorId === b.collectorId &&
    a.channel === b.channel &&
    a.concentratorId === b.concentratorId &&
    a.pointNo === b.pointNo &&
    a.port === b.port
  );
}

/** The route keys the rows would take, so the loader can find which meters hold them now. */
export function wantedRoutes(rows: ParsedRow[], L: LoadedMeters, ctx: CheckContext) {
  const out: { via: string; line: string; address: string }[] = [];
  for (const row of rows) {
    const protocol = row.values.get('protocol') as MeterProtocol;
    const address = checkAddress(protocol, row.values.get('commAddress') as string);
    if (!address.ok) continue;
    const existing = L.meters.get(row.values.get('assetNo') as string);
    const r = routeOfRow(row, L, ctx, address.value, protocol, existing);
    if ('route' in r && r.route) out.push({ via: r.route.via, line: r.route.line, address: r.route.address });
  }
  return out;
}
