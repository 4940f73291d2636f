import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { notFound } from '../archives/scope.ts';
import type { Actor } from '../identity/actor.ts';
import { isoOf } from './scope-sql.ts';

/** A cashier shift as the API shows it; fen as decimal strings (bigint at rest). */
export interface ShiftDto {
  id: string;
  cashierId: string;
  cashierName: string;
  status: 'open' | 'closed';
  openedAt: string;
  openingFloatFen: string;
  closedAt: string | null;
  countedCashFen: string | null;
  expectedCashFen: string | null;
  handedOverTo: string | null;
  note: string;
  totals: ShiftTotals;
}

export interface MethodTotals {
  count: number;
  fen: string;
  reversedCount: number;
  reversedFen: string;
}

export interface ShiftTotals {
  cash: MethodTotals;
  card: MethodTotals;
  /** float + cash taken − cash reversed */
  expectedCashFen: string;
  /** counted − expected once closed (negative = short); null while open */
  differenceFen: string | null;
}

interface ShiftRow extends Record<string, unknown> {
  id: string;
  cashier_id: string;
  cashier_name: string;
  status: 'open' | 'closed';
  opened_at: string;
  opening_float_fen: string;
  closed_at: string | null;
  counted_cash_fen: string | null;
  expected_cash_fen: string | null;
  handed_over_to: string | null;
  note: string;
  totals: ShiftTotals | Record<string, never>;
}

const COLUMNS = sql`id, cashier_id, cashier_name, status, ${isoOf('opened_at')} as opened_at,
  opening_float_fen::text, ${isoOf('closed_at')} as closed_at, counted_cash_fen::text,
  expected_cash_fen::text, handed_over_to, note, totals`;

/** Takings of a shift by method: what was taken and what of it was reversed since. */
export async function shiftTotals(tx: Tx, shiftId: string, floatFen: bigint): Promise<ShiftTotals> {
  const rows = await tx.execute<{ method: string; n: number; fen: string; rn: number; rfen: string }>(sql`
    select method, count(*)::int as n, sum(amount_fen)::text as fen,
      (count(*) filter (where status = 'reversed'))::int as rn,
      coalesce(sum(amount_fen) filter (where status = 'reversed'), 0)::text as rfen
    from payments where shift_id = ${shiftId} group by method`);
  const of = (m: string): MethodTotals => {
    const r = rows.find((x) => x.method === m);
    return {
      count: r?.n ?? 0,
      fen: r?.fen ?? '0',
      reversedCount: r?.rn ?? 0,
      reversedFen: r?.rfen ?? '0',
    };
  };
  const cash = of('cash');
  const expected = floatFen + BigInt(cash.fen) - BigInt(cash.reversedFen);
  return { cash, card: of('card'), expectedCashFen: expected.toString(), differenceFen: null };
}

async function toDto(tx: Tx, r: ShiftRow): Promise<ShiftDto> {
  const totals =
    r.status === 'closed'
      ? (r.totals as ShiftTotals)
      : await shiftTotals(tx, r.id, BigInt(r.opening_float_fen));
  return {
    id: r.id,
    cashierId: r.cashier_id,
    cashierName: r.cashier_name,
    status: r.status,
    openedAt: r.opened_at,
    openingFloatFen: r.opening_float_fen,
    closedAt: r.closed_at,
    countedCashFen: r.counted_cash_fen,
    expectedCashFen: r.expected_cash_fen ?? totals.expectedCashFen,
    handedOverTo: r.handed_over_to,
    note: r.note,
    totals,
  };
}

/** The open shift of this cashier, or null. */
export async function openShiftOf(tx: Tx, cashierId: string, lock = false): Promise<ShiftRow | null> {
  const rows = await tx.execute<ShiftRow>(sql`
    select ${COLUMNS} from cashier_shifts where cashier_id = ${cashierId} and status = 'open'
    ${lock ? sql`for update` : sql``}`);
  return rows[0] ?? null;
}

export async function currentShift(tx: Tx, actor: Actor): Promise<ShiftDto | null> {
  const row = await openShiftOf(tx, actor.id);
  return row ? await toDto(tx, row) : null;
}

export async function openShift(
  tx: Tx,
  actor: Actor,
  tenantId: string,
  input: { openingFloatFen?: bigint; note?: string },
): Promise<ShiftDto> {
  const rows = await tx.execute<ShiftRow>(sql`
    insert into cashier_shifts (tenant_id, cashier_id, cashier_name, opening_float_fen, note)
    values (${tenantId}, ${actor.id}, ${actor.displayName || actor.name}, ${input.openingFloatFen ?? 0n},
      ${input.note ?? ''})
    on conflict (tenant_id, cashier_id) where status = 'open' do nothing
    returning ${COLUMNS}`);
  if (!rows[0]) throw new AppError('PAY_SHIFT_ALREADY_OPEN');
  return await toDto(tx, rows[0]);
}

/**
 * Closes the actor's own open shift: freezes the totals and the counted-vs-expected difference.
 * Locks the shift row, so a payment taken concurrently either counts or finds the shift closed.
 */
export async function closeShift(
  tx: Tx,
  actor: Actor,
  id: string,
  input: { countedCashFen: bigint; handedOverTo?: string; note?: string },
): Promise<ShiftDto> {
  const [row] = await tx.execute<ShiftRow>(
    sql`select ${COLUMNS} from cashier_shifts where id = ${id} and cashier_id = ${actor.id} for update`,
  );
  if (!row) throw notFound('cashier shift', id);
  if (row.status !== 'open') throw new AppError('PAY_SHIFT_NOT_OPEN', undefined, { id });
  const totals = await shiftTotals(tx, id, BigInt(row.opening_float_fen));
  totals.differenceFen = (input.countedCashFen - BigInt(totals.expectedCashFen)).toString();
  const [closed] = await tx.execute<ShiftRow>(sql`
    update cashier_shifts set status = 'closed', closed_at = now(), counted_cash_fen = ${input.countedCashFen},
      expected_cash_fen = ${totals.expectedCashFen}::bigint, totals = ${JSON.stringify(totals)}::jsonb,
      handed_over_to = ${input.handedOverTo ?? null},
      note = case when ${input.note ?? ''} = '' then note else ${input.note ?? ''} end
    where id = ${id} returning ${COLUMNS}`);
  return await toDto(tx, closed);
}

/** Shifts newest first: a cashier's own, or everyone's for holders of payments.read. */
export async function listShifts(
  tx: Tx,
  query: { cashierId?: string; status?: 'open' | 'closed'; limit: number },
): Promise<ShiftDto[]> {
  const rows = await tx.execute<ShiftRow>(sql`
    select ${COLUMNS} from cashier_shifts
    where true ${query.cashierId ? sql`and cashier_id = ${query.cashierId}` : sql``}
      ${query.status ? sql`and status = ${query.status}` : sql``}
    order by opened_at desc, id desc limit ${query.limit}`);
  const out: ShiftDto[] = [];
  for (const r of rows) out.push(await toDto(tx, r));
  return out;
}
