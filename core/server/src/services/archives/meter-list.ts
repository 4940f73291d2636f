import { AppError } from '@quadmeter/sdk';
import { and, asc, desc, eq, gt, ilike, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { areas, meterRoutes, meterStatuses, meters } from '../../db/schema/index.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import type { Actor } from '../identity/actor.ts';
import { likeFragment } from './list-kit.ts';
import type { MeterProtocol } from './meter-address.ts';
import { routeDto } from './meter-routes.ts';
import { type MeterStatus, meterDto } from './meters.ts';
import { fewAreas } from './scope.ts';
import { idIn, meterSearchIds, searchText } from './search.ts';

/**
 * The meter list: filters, keyset pages by asset number, capped totals, area scope and search.
 * See docs/decisions/0010-search-under-rls.md for the measured shapes.
 */
export const COUNT_CAP = 10_000;
/** An opaque keyset cursor: the sort key and id of the last row of the previous page. */
export function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { key: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
      if (/^[0-9a-f-]{36}$/i.test(v[1]) && !v[0].includes('\u0000')) return { key: v[0], id: v[1] };
    }
  } catch {}
  throw new AppError('LIST_CURSOR_INVALID', undefined, [{ path: 'after', message: 'malformed' }]);
}

/** `count(*)` capped: the total is exact up to COUNT_CAP and reported as `COUNT_CAP+` beyond. */
export async function cappedTotal(tx: Tx, from: SQL): Promise<{ total: number; totalCapped: boolean }> {
  const [row] = (await tx.execute(
    sql`select count(*)::int as n from (select 1 from ${from} limit ${COUNT_CAP + 1}) t`,
  )) as unknown as { n: number }[];
  return { total: Math.min(row.n, COUNT_CAP), totalCapped: row.n > COUNT_CAP };
}

/** Rows whose area (`areaPath`, an areas.path expression) lies in the actor's scope. */
export function pathInScope(actor: Actor, areaPath: SQL): SQL | undefined {
  return actor.areaScope ? sql`${areaPath} && ${uuidArray(actor.areaScope)}` : undefined;
}

export interface MeterFilter {
  areaId?: string;
  kind?: string;
  protocol?: MeterProtocol;
  status?: MeterStatus;
  accountId?: string;
  concentratorId?: string;
  q?: string;
}

export interface Page {
  after?: string;
  limit: number;
  order?: 'asc' | 'desc';
}

/** The area conditions of a filter (on areas.path): the actor's scope and the subtree filter. */
function areaConditions(actor: Actor, f: MeterFilter): SQL | undefined {
  return and(
    pathInScope(actor, sql`${areas.path}`),
    f.areaId ? sql`${areas.path} @> array[${f.areaId}]::uuid[]` : undefined,
  );
}

/**
 * The search condition for `q`: the ids the trigram search found, or an `ilike` on the two
 * columns when the query is too short for trigrams or matches too many rows (search.ts).
 */
export async function meterSearchCondition(tx: Tx, q: string): Promise<{ cond: SQL; byIds: boolean }> {
  const found = await meterSearchIds(tx, q);
  if (found) return { cond: idIn(sql`${meters.id}`, found), byIds: true };
  const frag = likeFragment(searchText(q));
  return { cond: or(ilike(meters.assetNo, frag), ilike(meters.commAddress, frag))!, byIds: false };
}

/**
 * The tenant, stated in the query although RLS adds it: the meters table also has the device
 * registry's permissive SELECT policy (0004), so the policies' OR is only a filter, while this
 * leakproof equality is an index condition on the leading column of every meters index.
 */
export const ownTenant = sql`${meters.tenantId} = app_tenant_id()`;

/** The conditions on the meter's own columns (no area conditions). */
function ownConditions(f: MeterFilter, search: SQL | undefined, extra?: SQL): SQL | undefined {
  return and(
    ownTenant,
    f.kind ? eq(meters.kind, f.kind) : undefined,
    f.protocol ? eq(meters.protocol, f.protocol) : undefined,
    f.status ? eq(meters.status, f.status) : undefined,
    f.accountId ? eq(meters.accountId, f.accountId) : undefined,
    f.concentratorId
      ? sql`exists (select 1 from ${meterRoutes} r where r.meter_id = ${meters.id} and r.concentrator_id = ${f.concentratorId})`
      : undefined,
    search,
    extra,
  );
}

/**
 * A keyset page of meters by asset number (unique per tenant, so the key alone orders), with a
 * total capped at COUNT_CAP. Three shapes, by what the filter selects:
 * - a search that found at most SEARCH_CAP ids: those ids, sorted;
 * - a subtree/scope of at most PER_AREA_MAX areas: per area the first rows in asset-number order
 *   (meters_area_kind_status_idx), then the first of those — bounded work wherever the areas'
 *   meters lie in the tenant's asset-number order;
 * - otherwise the walk of the asset-number order (meters_status_kind_idx / meters_asset_uq) with
 *   the area join as a filter.
 */
export async function listMeters(tx: Tx, actor: Actor, f: MeterFilter, page: Page, extra?: SQL) {
  const search = f.q ? await meterSearchCondition(tx, f.q) : undefined;
  const own = ownConditions(f, search?.cond, extra);
  const dir = page.order ?? 'asc';
  const cur = page.after ? decodeCursor(page.after) : undefined;
  const keyset = cur ? (dir === 'asc' ? gt : lt)(meters.assetNo, cur.key) : undefined;
  const sort = dir === 'asc' ? asc : desc;
  const areaCond = areaConditions(actor, f);
  const perArea = search?.byIds || !areaCond ? null : await fewAreas(tx, areaCond);
  const select = tx
    .select({ m: meters, path: areas.path, r: meterRoutes })
    .from(meters)
    .innerJoin(areas, eq(areas.id, meters.areaId))
    .leftJoin(meterRoutes, eq(meterRoutes.meterId, meters.id));
  let rows: Awaited<typeof select>;
  let counted: { total: number; totalCapped: boolean };
  if (perArea) {
    const ids = pageIdsPerArea(perArea, and(own, keyset), dir, page.limit + 1, f);
    rows = await select.where(sql`${meters.id} in (${ids})`).orderBy(sort(meters.assetNo));
    counted = await cappedTotal(
      tx,
      sql`${meters} where ${meters.areaId} = any(${uuidArray(perArea)}) and ${own ?? sql`true`}`,
    );
  } else {
    const cond = and(areaCond, own);
    rows = await select
      .where(and(cond, keyset))
      .orderBy(sort(meters.assetNo))
      .limit(page.limit + 1);
    counted = await cappedTotal(
      tx,
      sql`${meters} join ${areas} on ${areas.tenantId} = ${meters.tenantId} and ${areas.id} = ${meters.areaId} where ${cond ?? sql`true`}`,
    );
  }
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit).map(({ m, path, r }) => meterDto(m, path, r ? routeDto(r) : null));
  const last = items.at(-1);
  return { items, next: more && last ? encodeCursor(last.assetNo, last.id) : null, ...counted };
}

/**
 * A subquery: the ids of the first `n` meters by asset number among `areaIds`, area by area.
 * Each per-area scan reads its rows in asset-number order from an index (so at most `n` entries):
 * meters_area_kind_status_idx when kind and status are given, meters_area_idx when neither is;
 * a kind without a status is read per area and status (one ordered scan of the first index per
 * status, most of them empty) instead of sorting every meter of that kind in the area.
 */
export function pageIdsPerArea(
  areaIds: string[],
  cond: SQL | undefined,
  dir: 'asc' | 'desc',
  n: number,
  f: Pick<MeterFilter, 'kind' | 'status'> = {},
): SQL {
  const order = sql.raw(dir);
  const byStatus = f.kind && !f.status;
  const statuses = byStatus
    ? sql`cross join unnest(array[${sql.join(
        meterStatuses.map((s) => sql`${s}`),
        sql`, `,
      )}]::text[]) as s(status)`
    : sql``;
  const statusCond = byStatus ? sql` and ${meters.status} = s.status` : sql``;
  return sql`select p.id from unnest(${uuidArray(areaIds)}) as a(id) ${statuses} cross join lateral (
      select ${meters.id} as id, ${meters.assetNo} as asset_no from ${meters}
      where ${meters.areaId} = a.id${statusCond} and ${cond ?? sql`true`}
      order by ${meters.assetNo} ${order} limit ${n}) p
    order by p.asset_no ${order} limit ${n}`;
}
