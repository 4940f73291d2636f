import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { MeterProtocol } from '../archives/meter-address.ts';
import type { MeterKinds } from '../archives/meter-kinds.ts';
import type { Via } from '../archives/meter-routes.ts';
import { AreaLookup } from './area-lookup.ts';
import type { ParsedRow } from './entity.ts';

export interface StoredRoute {
  via: Via;
  line: string;
  address: string;
  baud: number | null;
  parity: 'E' | 'N' | 'O' | null;
  collectorId: string | null;
  channel: number | null;
  concentratorId: string | null;
  pointNo: number | null;
  port: number | null;
}

export interface ExistingMeter {
  id: string;
  kind: string;
  assetNo: string;
  commAddress: string;
  protocol: MeterProtocol;
  vendorProfile: string | null;
  model: string | null;
  vendor: string | null;
  ctRatio: number;
  ptRatio: number;
  digits: number;
  initialReading: string;
  installDate: string | null;
  location: string | null;
  areaId: string;
  areaPath: string[];
  accountId: string | null;
  control: string;
  status: string;
  custom: Record<string, unknown>;
  route: StoredRoute | null;
}

export interface Gateway {
  id: string;
  path: string[];
}
export interface AccountRef extends Gateway {
  status: string;
}

export interface LoadedMeters {
  areas: AreaLookup;
  kinds: MeterKinds;
  /** the main register of a kind (lifecycle readings are keyed by it), memoised */
  register(kind: string): string;
  meters: Map<string, ExistingMeter>;
  accounts: Map<string, AccountRef>;
  /** by number and by `A1-A2` (A1 upper-case hex, A2 decimal) */
  concentrators: Map<string, Gateway>;
  collectors: Map<string, Gateway>;
  /** the asset number of the meter holding each route key (see `routeKey`) that the rows ask for */
  routes: Map<string, string>;
}

export const routeKey = (r: { via: string; line: string; address: string }) =>
  `${r.via}\u0001${r.line}\u0001${r.address}`;

const textSet = (values: string[]) =>
  sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

function keys(rows: ParsedRow[], key: string): string[] {
  const out = new Set<string>();
  for (const r of rows) {
    const v = r.values.get(key);
    if (typeof v === 'string' && v) out.add(v);
  }
  return [...out];
}

async function all<T>(tx: Tx, q: ReturnType<typeof sql>): Promise<T[]> {
  return (await tx.execute(q)) as unknown as T[];
}

const ROUTE_COLS = sql.raw(`json_build_object('via', r.via, 'line', r.line, 'address', r.address,
  'baud', r.baud, 'parity', r.parity, 'collectorId', r.collector_id, 'channel', r.channel,
  'concentratorId', r.concentrator_id, 'pointNo', r.point_no, 'port', r.port)`);

async function loadMeters(tx: Tx, assets: string[]): Promise<Map<string, ExistingMeter>> {
  if (!assets.length) return new Map();
  const found = await all<ExistingMeter>(
    tx,
    sql`select m.id, m.kind, m.asset_no as "assetNo", m.comm_address as "commAddress", m.protocol,
        m.vendor_profile as "vendorProfile", m.model, m.vendor, m.ct_ratio as "ctRatio", m.pt_ratio as "ptRatio",
        m.digits, m.initial_reading::text as "initialReading", m.install_date::text as "installDate",
        m.location, m.area_id as "areaId", a.path::text[] as "areaPath", m.account_id as "accountId",
        m.control, m.status, m.custom, case when r.meter_id is null then null else ${ROUTE_COLS} end as route
      from meters m
      join areas a on a.id = m.area_id
      left join meter_routes r on r.meter_id = m.id
      where m.asset_no in ${textSet(assets)}`,
  );
  return new Map(found.map((m) => [m.assetNo, m]));
}

async function loadGateways(tx: Tx) {
  const conc = await all<Gateway & { number: string; a1: string; a2: number }>(
    tx,
    sql`select c.id, c.number, c.a1, c.a2, a.path::text[] as path
      from concentrators c join areas a on a.id = c.area_id where c.status = 'active'`,
  );
  const concentrators = new Map<string, Gateway>();
  for (const c of conc) {
    concentrators.set(`${c.a1}-${c.a2}`, { id: c.id, path: c.path });
    concentrators.set(c.number, { id: c.id, path: c.path });
  }
  const coll = await all<Gateway & { number: string }>(
    tx,
    sql`select c.id, c.number, a.path::text[] as path
      from collectors c join areas a on a.id = c.area_id where c.status = 'active'`,
  );
  return { concentrators, collectors: new Map(coll.map((c) => [c.number, { id: c.id, path: c.path }])) };
}

/**
 * Everything the rows refer to, in a few queries for the whole file: areas, the meters by asset
 * number with their routes, accounts by number, gateways; then (with `wantedRoutes`, computed from
 * those) which meters hold the route keys the rows ask for.
 */
export async function loadMeterRefs(
  tx: Tx,
  rows: ParsedRow[],
  kinds: MeterKinds,
  wantedRoutes: (partial: LoadedMeters) => { via: string; line: string; address: string }[],
): Promise<LoadedMeters> {
  const areas = await AreaLookup.load(tx);
  const meters = await loadMeters(tx, keys(rows, 'assetNo'));
  const accountNumbers = keys(rows, 'accountNumber');
  const accountRows = accountNumbers.length
    ? await all<AccountRef & { number: string }>(
        tx,
        sql`select acc.id, acc.number, acc.status, a.path::text[] as path
          from accounts acc
          join customers c on c.id = acc.customer_id
          join areas a on a.id = c.area_id
          where acc.number in ${textSet(accountNumbers)}`,
      )
    : [];
  const accounts = new Map(accountRows.map((a) => [a.number, a]));
  const registers = new Map<string, string>();
  const register = (kind: string) => {
    const known = registers.get(kind);
    if (known !== undefined) return known;
    const key = kinds.mainRegister(kind).key;
    registers.set(kind, key);
    return key;
  };
  const gateways = await loadGateways(tx);
  const loaded: LoadedMeters = { areas, kinds, register, meters, accounts, ...gateways, routes: new Map() };
  const wanted = wantedRoutes(loaded);
  if (wanted.length) {
    const held = await all<{ via: string; line: string; address: string; assetNo: string }>(
      tx,
      sql`select r.via, r.line, r.address, m.asset_no as "assetNo"
        from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as w(via text, line text, address text)
        join meter_routes r on r.via = w.via and r.line = w.line and r.address = w.address
        join meters m on m.id = r.meter_id`,
    );
    for (const h of held) loaded.routes.set(routeKey(h), h.assetNo);
  }
  return loaded;
}
