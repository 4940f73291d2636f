import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { type BillSummary, billSummary } from './list.ts';
import { findBillHead } from './scope.ts';
import { type BillDue, unpaidOf } from './unpaid.ts';

/** Where a reading came from, by readings.kind (migration 0004). */
export const READING_SOURCES = {
  1: 'realtime',
  2: 'daily-freeze',
  3: 'monthly-freeze',
  4: 'manual',
  5: 'estimate',
} as const;
export type ReadingSource = (typeof READING_SOURCES)[keyof typeof READING_SOURCES] | 'unknown';

export interface LineReading {
  meterId: string | null;
  ts: string;
  value: string;
  source: ReadingSource;
}

export interface BillLineDetail {
  lineNo: number;
  meterId: string | null;
  category: string;
  component: string;
  label: string;
  tier: number | null;
  band: string | null;
  quantity: string | null;
  unit: string | null;
  price: string | null;
  amountFen: number;
  tariffVersionId: string | null;
  tariffPlanCode: string | null;
  tariffVersion: number | null;
  segmentFrom: string | null;
  segmentTo: string | null;
  readings: LineReading[];
  explain: Record<string, unknown>;
}

export interface LedgerEntryDto {
  id: string;
  kind: string;
  category: string;
  amountFen: number;
  businessKey: string;
  reverses: string | null;
  occurredOn: string;
  postedAt: string;
  memo: string;
}

export interface BillDetail {
  bill: BillSummary & { cancelledAt: string | null; cancelReason: string | null };
  lines: BillLineDetail[];
  entries: LedgerEntryDto[];
  due: Omit<BillDue, 'billId'>;
}

const SOURCE_NAMES = new Set<string>(Object.values(READING_SOURCES));

/** A reading named in a line's explain: its kind (1–5 or a source name) becomes its source. */
export function readingOf(r: unknown): LineReading | null {
  if (!r || typeof r !== 'object') return null;
  const o = r as Record<string, unknown>;
  const k = o.source ?? o.kind;
  const source: ReadingSource =
    typeof k === 'number' && k in READING_SOURCES
      ? READING_SOURCES[k as keyof typeof READING_SOURCES]
      : typeof k === 'string' && SOURCE_NAMES.has(k)
        ? (k as ReadingSource)
        : 'unknown';
  return {
    meterId: typeof o.meterId === 'string' ? o.meterId : null,
    ts: String(o.ts ?? ''),
    value: String(o.value ?? ''),
    source,
  };
}

type LineRow = Omit<BillLineDetail, 'readings'>;

async function lines(tx: Tx, id: string): Promise<BillLineDetail[]> {
  const rows = (await tx.execute(sql`
    select l.line_no as "lineNo", l.meter_id::text as "meterId", l.category, l.component, l.label, l.tier,
      l.band, l.quantity::text as quantity, l.unit, l.price::text as price, l.amount_fen::float8 as "amountFen",
      l.tariff_version_id::text as "tariffVersionId", p.code as "tariffPlanCode", v.version as "tariffVersion",
      l.segment_from::text as "segmentFrom", l.segment_to::text as "segmentTo", l.explain
    from bill_lines l
    left join tariff_versions v on v.id = l.tariff_version_id
    left join tariff_plans p on p.id = v.plan_id
    where l.bill_id = ${id} order by l.line_no`)) as unknown as LineRow[];
  return rows.map((r) => {
    const raw = (r.explain as { readings?: unknown }).readings;
    const readings = (Array.isArray(raw) ? raw : []).map(readingOf).filter((x) => x !== null);
    return { ...r, readings };
  });
}

async function entries(tx: Tx, id: string): Promise<LedgerEntryDto[]> {
  return (await tx.execute(sql`
    select id::text as id, kind, category, amount_fen::float8 as "amountFen", business_key as "businessKey",
      reverses::text as reverses, occurred_on::text as "occurredOn",
      to_char(posted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "postedAt", memo
    from ledger_entries where bill_id = ${id} order by id`)) as unknown as LedgerEntryDto[];
}

/**
 * Everything that explains a bill: its lines with the readings each used (and their source), the
 * tariff plan code and version number, tier/band and price; its ledger entries; what is paid.
 */
export async function billDetail(tx: Tx, actor: Actor, id: string): Promise<BillDetail> {
  await findBillHead(tx, actor, id);
  const [extra] = (await tx.execute(sql`
    select to_char(cancelled_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "cancelledAt",
      cancel_reason as "cancelReason" from bills where id = ${id}`)) as unknown as {
    cancelledAt: string | null;
    cancelReason: string | null;
  }[];
  const due = (await unpaidOf(tx, [id])).get(id);
  const { billId: _, ...rest } = due ?? {
    billId: id,
    principalFen: 0,
    lateFeesFen: 0,
    paidFen: 0,
    unpaidFen: 0,
    unpaidPrincipalFen: 0,
  };
  return {
    bill: { ...(await billSummary(tx, id)), ...extra },
    lines: await lines(tx, id),
    entries: await entries(tx, id),
    due: rest,
  };
}
