import { and, asc, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { areas, customers } from '../../db/schema/index.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import type { Actor } from '../identity/actor.ts';
import { type CustomerType, shownCustomer } from './customers.ts';
import { afterCondition, cappedCount, decodeCursor, likeFragment, pageOf } from './list-kit.ts';
import { canSeePii } from './masking.ts';
import { areaScopeCondition, customerArea, fewAreas, subtreeCondition } from './scope.ts';
import { type CustomerSearchField, customerSearchIds, idIn, searchText } from './search.ts';

export const customerSorts = ['number', '-number', 'name', '-name', 'createdAt', '-createdAt'] as const;
export type CustomerSort = (typeof customerSorts)[number];

export interface CustomerQuery {
  q?: string;
  number?: string;
  name?: string;
  address?: string;
  phone?: string;
  areaId?: string;
  status?: 'active' | 'closed';
  type?: CustomerType;
  tag?: string;
  sort?: CustomerSort;
  after?: string;
  limit: number;
}

/**
 * Phone fragments are searched only for actors who may see phones; for others a phone matches
 * only when given in full, so masked digits cannot be recovered by probing with fragments.
 */
function phoneMatch(actor: Actor, value: string): SQL {
  return canSeePii(actor) ? ilike(customers.phone, likeFragment(value)) : eq(customers.phone, value);
}

/** The area conditions (on areas.path): the actor's scope and the subtree filter. */
function areaFilters(actor: Actor, q: Omit<CustomerQuery, 'limit'>): SQL[] {
  return [areaScopeCondition(actor), q.areaId ? subtreeCondition(q.areaId) : undefined].filter(
    (w): w is SQL => w !== undefined,
  );
}

/** The conditions on the customer's own columns that are not text searches. */
function plainFilters(q: Omit<CustomerQuery, 'limit'>): (SQL | undefined)[] {
  return [
    q.status ? eq(customers.status, q.status) : undefined,
    q.type ? eq(customers.type, q.type) : undefined,
    q.tag ? sql`${customers.tags} @> array[${q.tag}]::text[]` : undefined,
  ];
}

/** The text searches of a query: which search field of customer_search each one is. */
function textSearches(actor: Actor, q: Omit<CustomerQuery, 'limit'>): [CustomerSearchField, string][] {
  const pii = canSeePii(actor);
  const out: [CustomerSearchField, string | undefined][] = [
    [pii ? 'any+phone' : 'any', q.q],
    ['number', q.number],
    ['name', q.name],
    ['address', q.address],
    [pii ? 'phone' : 'phone=', q.phone],
  ];
  return out.filter((s): s is [CustomerSearchField, string] => !!s[1]);
}

/** One text search as an `ilike` on the table (a scan under RLS; see search.ts for when). */
function ilikeSearch(actor: Actor, field: CustomerSearchField, value: string): SQL {
  const frag = likeFragment(searchText(value));
  switch (field) {
    case 'number':
      return ilike(customers.number, frag);
    case 'name':
      return ilike(customers.name, frag);
    case 'address':
      return ilike(customers.address, frag);
    case 'phone':
    case 'phone=':
      return phoneMatch(actor, value);
    default:
      return or(
        ilike(customers.number, frag),
        ilike(customers.name, frag),
        ilike(customers.address, frag),
        phoneMatch(actor, value),
      )!;
  }
}

/** The list's filter conditions (also used by the xlsx export, so it exports what the list shows). */
export function filters(actor: Actor, q: Omit<CustomerQuery, 'limit'>): SQL[] {
  return [
    ...areaFilters(actor, q),
    ...plainFilters(q),
    ...textSearches(actor, q).map(([field, value]) => ilikeSearch(actor, field, value)),
  ].filter((w): w is SQL => w !== undefined);
}

/**
 * The conditions on the customer's columns, with each text search answered by the trigram search
 * (the ids it found) when it can be, so the list reads only those rows instead of scanning.
 */
async function searchedFilters(tx: Tx, actor: Actor, q: Omit<CustomerQuery, 'limit'>) {
  const where = plainFilters(q);
  let byIds = false;
  for (const [field, value] of textSearches(actor, q)) {
    const found = await customerSearchIds(tx, field, value);
    byIds ||= !!found;
    where.push(found ? idIn(sql`${customers.id}`, found) : ilikeSearch(actor, field, value));
  }
  return { own: where.filter((w): w is SQL => w !== undefined), byIds };
}

const sortColumns = {
  number: { col: customers.number, cast: 'text' },
  name: { col: customers.name, cast: 'text' },
  createdAt: { col: customers.createdAt, cast: 'timestamptz' },
} as const;

/**
 * A page of customers inside the actor's scope, filtered and sorted, with keyset pagination over
 * (sort key, id) and a total capped at COUNT_CAP. PII is masked for actors without customers.pii.
 */
export async function listCustomers(tx: Tx, actor: Actor, q: CustomerQuery) {
  const sort = q.sort ?? 'number';
  const dir = sort.startsWith('-') ? 'desc' : 'asc';
  const { col, cast } = sortColumns[sort.replace('-', '') as keyof typeof sortColumns];
  const area = areaFilters(actor, q);
  const { own, byIds } = await searchedFilters(tx, actor, q);
  // a search's ids are few: read those; else a small subtree is read area by area (scope.ts)
  const perArea = !byIds && area.length ? await fewAreas(tx, and(...area)!) : null;
  const keyset = q.after ? [afterCondition(col, customers.id, dir, decodeCursor(q.after, sort), cast)] : [];
  const order = dir === 'asc' ? [asc(col), asc(customers.id)] : [desc(col), desc(customers.id)];
  const n = q.limit + 1;
  let count: { total: number; totalIsEstimate: boolean };
  let page: SQL[];
  if (perArea) {
    const inAreas = sql`${customers.areaId} = any(${uuidArray(perArea)})`;
    count = await cappedCount(tx, sql`from ${customers} where ${and(inAreas, ...own)}`);
    const d = sql.raw(dir);
    page = [
      sql`${customers.id} in (select p.id from unnest(${uuidArray(perArea)}) as a(id) cross join lateral (
        select ${customers.id} as id, ${col} as k from ${customers}
        where ${and(sql`${customers.areaId} = a.id`, ...own, ...keyset)}
        order by ${col} ${d}, ${customers.id} ${d} limit ${n}) p
      order by p.k ${d}, p.id ${d} limit ${n})`,
    ];
  } else {
    // the join to areas is needed only to test area paths (scope or subtree filter)
    const join = area.length ? sql`inner join ${areas} on ${customerArea}` : sql``;
    count = await cappedCount(tx, sql`from ${customers} ${join} where ${and(sql`true`, ...area, ...own)}`);
    page = [...area, ...own, ...keyset];
  }
  const rows = await tx
    .select({ c: customers, areaPath: areas.path, key: sql<string>`${col}::text` })
    .from(customers)
    .innerJoin(areas, customerArea)
    .where(and(...page))
    .orderBy(...order)
    .limit(n);
  return pageOf(
    rows,
    q.limit,
    sort,
    (r) => ({ key: r.key, id: r.c.id }),
    (r) => shownCustomer(actor, { ...r.c, areaPath: r.areaPath }),
    count,
  );
}
