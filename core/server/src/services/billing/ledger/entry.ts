import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';

/** Entry kinds a caller may post; reversals are made only by `reverseEntry`. */
export const postableKinds = ['charge', 'payment', 'topup', 'refund', 'adjustment', 'late_fee'] as const;
export type PostableKind = (typeof postableKinds)[number];
export type EntryKind = PostableKind | 'reversal';

/** The largest amount one entry may carry (the table's CHECK): 10 亿元 in fen. */
export const MAX_ENTRY_FEN = 100_000_000_000;

export interface NewEntry {
  accountId: string;
  kind: PostableKind;
  /** what the entry adds to the balance: + payment/top-up, − charge/late fee/refund */
  amountFen: number;
  category?: string;
  businessKey: string;
  billId?: string | null;
  paymentId?: string | null;
  meterId?: string | null;
  /** YYYY-MM-DD, the business date */
  occurredOn: string;
  createdBy?: string | null;
  memo?: string;
  meta?: Record<string, unknown>;
}

export type LedgerEntry = {
  id: string;
  accountId: string;
  kind: EntryKind;
  amountFen: number;
  category: string;
  businessKey: string;
  reverses: string | null;
  billId: string | null;
  paymentId: string | null;
  meterId: string | null;
  occurredOn: string;
  postedAt: string;
  createdBy: string | null;
  memo: string;
  meta: Record<string, unknown>;
};

/** The select list that reads a ledger_entries row (aliased `e`) as a LedgerEntry. */
export const entryColumns = sql.raw(`e.id::text as id, e.account_id as "accountId", e.kind,
  e.amount_fen::float8 as "amountFen", e.category, e.business_key as "businessKey",
  e.reverses::text as reverses, e.bill_id as "billId", e.payment_id as "paymentId",
  e.meter_id as "meterId", e.occurred_on::text as "occurredOn",
  to_char(e.posted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "postedAt",
  e.created_by as "createdBy", e.memo, e.meta`);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function signOk(kind: PostableKind, fen: number): boolean {
  if (kind === 'payment' || kind === 'topup') return fen > 0;
  if (kind === 'adjustment') return fen !== 0;
  return fen < 0;
}

/** Why an entry breaks a ledger rule, or null: the same rules as the table's CHECKs, stated early. */
export function entryProblem(e: NewEntry): string | null {
  if (!(postableKinds as readonly string[]).includes(e.kind)) return 'kind';
  if (!Number.isSafeInteger(e.amountFen) || Math.abs(e.amountFen) > MAX_ENTRY_FEN) return 'amountFen';
  if (!signOk(e.kind, e.amountFen)) return 'sign';
  if (typeof e.businessKey !== 'string' || e.businessKey.length < 1 || e.businessKey.length > 200)
    return 'businessKey';
  if (!DATE.test(e.occurredOn)) return 'occurredOn';
  for (const s of [e.businessKey, e.category ?? '', e.memo ?? '']) if (s.includes('\u0000')) return 'text';
  return null;
}

export function assertEntry(e: NewEntry): void {
  const problem = entryProblem(e);
  if (problem)
    throw new AppError('LEDGER_ENTRY_INVALID', undefined, { field: problem, businessKey: e.businessKey });
}
