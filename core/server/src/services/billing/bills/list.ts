import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { cappedCount, decodeCursor, type Page, pageOf } from '../../archives/list-kit.ts';
import type { Actor } from '../../identity/actor.ts';
import { billVisible } from './scope.ts';

export interface BillListQuery {
  /** bills of the period starting on this day (YYYY-MM-DD) */
  period?: string;
  status?: 'held' | 'issued' | 'cancelled';
  /** bills in this area or below it */
  areaId?: string;
  accountId?: string;
  customerNumber?: string;
  heldOnly?: boolean;
  limit: number;
  after?: string;
}

export interface BillSummary {
  id: string;
  number: string | null;
  status: 'held' | 'issued' | 'cancelled';
  holdReasons: string[];
  accountId: string;
  accountNumber: string;
  customerNumber: string;
  customerName: string;
  areaId: string;
  areaName: string;
  periodFrom: string;
  periodTo: string;
  totalFen: number;
  dueDate: string | null;
  issuedAt: string | null;
  replaces: string | null;
  createdAt: string;
}

const SORT = 'period-desc';

const COLUMNS = sql.raw(`b.id::text as id, b.number, b.status, b.hold_reasons as "holdReasons",
  b.account_id::text as "accountId", ac.number as "accountNumber", c.number as "customerNumber",
  c.name as "customerName", b.area_id::text as "areaId", ar.name as "areaName",
  b.period_from::text as "periodFrom", b.period_to::text as "periodTo", b.total_fen::float8 as "totalFen",
  b.due_date::text as "dueDate",
  to_char(b.issued_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "issuedAt",
  b.replaces::text as replaces,
  to_char(b.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "createdAt"`);

export const BILL_FROM = sql.raw(`from bills b join accounts ac on ac.id = b.account_id
  join customers c on c.id = ac.customer_id join areas ar on ar.id = b.area_id`);

function filters(actor: Actor, q: BillListQuery): SQL {
  const parts: SQL[] = [billVisible(actor)];
  if (q.period) parts.push(sql`b.period_from = ${q.period}::date`);
  if (q.status) parts.push(sql`b.status = ${q.status}`);
  if (q.heldOnly) parts.push(sql`b.status = 'held'`);
  if (q.accountId) parts.push(sql`b.account_id = ${q.accountId}::uuid`);
  if (q.customerNumber) parts.push(sql`c.number = ${q.customerNumber}`);
  if (q.areaId) parts.push(sql`ar.path @> array[${q.areaId}::uuid]`);
  return sql.join(parts, sql` and `);
}

/** Bills the actor may see, newest period first (keyset on period_from, id), with a capped total. */
export async function listBills(tx: Tx, actor: Actor, q: BillListQuery): Promise<Page<BillSummary>> {
  const where = filters(actor, q);
  const after = q.after ? decodeCursor(q.after, SORT) : undefined;
  const keyset = after
    ? sql` and (b.period_from, b.id) < (cast(${after.key} as date), ${after.id}::uuid)`
    : sql``;
  const rows = (await tx.execute(sql`select ${COLUMNS} ${BILL_FROM} where ${where}${keyset}
    order by b.period_from desc, b.id desc limit ${q.limit + 1}`)) as unknown as BillSummary[];
  const count = await cappedCount(tx, sql`${BILL_FROM} where ${where}`);
  return pageOf(
    rows,
    q.limit,
    SORT,
    (r) => ({ key: r.periodFrom, id: r.id }),
    (r) => r,
    count,
  );
}

/** One bill's summary row (the caller checked the actor may see it). */
export async function billSummary(tx: Tx, id: string): Promise<BillSummary> {
  const [row] = (await tx.execute(
    sql`select ${COLUMNS} ${BILL_FROM} where b.id = ${id}`,
  )) as unknown as BillSummary[];
  return row;
}
