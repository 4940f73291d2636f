import { z } from '@hono/zod-openapi';
import { MAX_ENTRY_FEN } from '../../services/billing/ledger/entry.ts';
import { text } from '../route-kit.ts';
import { DateText } from './archive-schemas.ts';

export const EntryIdParam = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'must be a ledger entry id')
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const LedgerEntry = z
  .object({
    id: z.string(),
    accountId: z.string(),
    kind: z.enum(['charge', 'payment', 'topup', 'refund', 'adjustment', 'reversal', 'late_fee']),
    amountFen: z.number().int(),
    category: z.string(),
    businessKey: z.string(),
    reverses: z.string().nullable(),
    billId: z.string().nullable(),
    paymentId: z.string().nullable(),
    meterId: z.string().nullable(),
    occurredOn: z.string(),
    postedAt: z.string(),
    createdBy: z.string().nullable(),
    memo: z.string(),
    meta: z.record(z.string(), z.unknown()),
  })
  .openapi('LedgerEntry');

export const LedgerLine = LedgerEntry.extend({ balanceAfterFen: z.number().int() }).openapi('LedgerLine');

export const LedgerQuery = z
  .object({
    before: z
      .string()
      .regex(/^[1-9][0-9]{0,17}$/, 'must be a ledger entry id')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const LedgerPage = z
  .object({ balanceFen: z.number().int(), items: z.array(LedgerLine), next: z.string().nullable() })
  .openapi('LedgerPage');

export const OpenItem = z
  .object({
    id: z.string(),
    kind: z.string(),
    category: z.string(),
    bucket: z.string(),
    occurredOn: z.string(),
    billId: z.string().nullable(),
    dueDate: z.string().nullable(),
    amountFen: z.number().int(),
    settledFen: z.number().int(),
    openFen: z.number().int(),
  })
  .openapi('OpenItem');

/** At most about five years per statement. */
const MAX_STATEMENT_DAYS = 1900;

const period = { from: DateText, to: DateText };
type Period = { from: string; to: string };
const inOrder = (q: Period) => q.from <= q.to;
const notTooLong = (q: Period) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= MAX_STATEMENT_DAYS;

export const StatementQuery = z
  .object(period)
  .strict()
  .refine(inOrder, { message: 'from must not be after to', path: ['to'] })
  .refine(notTooLong, { message: `at most ${MAX_STATEMENT_DAYS} days`, path: ['to'] });

export const StatementXlsxQuery = z
  .object({ ...period, lang: z.enum(['zh-CN', 'en']).default('zh-CN') })
  .strict()
  .refine(inOrder, { message: 'from must not be after to', path: ['to'] })
  .refine(notTooLong, { message: `at most ${MAX_STATEMENT_DAYS} days`, path: ['to'] });

export const Statement = z
  .object({
    accountId: z.string(),
    accountNumber: z.string(),
    from: z.string(),
    to: z.string(),
    openingFen: z.number().int(),
    closingFen: z.number().int(),
    debitsFen: z.number().int(),
    creditsFen: z.number().int(),
    balanceFen: z.number().int(),
    entries: z.array(LedgerLine),
    truncated: z.boolean(),
    openItems: z.array(OpenItem),
  })
  .openapi('Statement');

const Reason = text(1, 500);

export const AdjustmentBody = z
  .object({
    /** + credits the customer, − charges them */
    amountFen: z
      .number()
      .int()
      .min(-MAX_ENTRY_FEN)
      .max(MAX_ENTRY_FEN)
      .refine((n) => n !== 0, 'must not be zero'),
    category: text(1, 32)
      .regex(/^[a-z][a-z0-9_-]*$/, 'lower-case letters, digits, - and _')
      .default('adjustment'),
    reason: Reason,
    occurredOn: DateText.optional(),
    /** repeats with the same key post once */
    idempotencyKey: z.uuid().optional(),
  })
  .strict()
  .openapi('AdjustmentCreate');

export const AdjustmentResult = z
  .object({ entry: LedgerEntry.extend({ created: z.boolean() }), balanceFen: z.number().int() })
  .openapi('AdjustmentResult');

export const ReversalBody = z.object({ reason: Reason, occurredOn: DateText.optional() }).strict();

export const ReversalResult = z
  .object({ entry: LedgerEntry, balanceFen: z.number().int() })
  .openapi('ReversalResult');

export const LedgerCheck = z
  .object({
    checkedAccounts: z.number().int(),
    mismatches: z.array(
      z.object({
        accountId: z.string(),
        cachedFen: z.number().int().nullable(),
        cachedCount: z.number().int().nullable(),
        entriesFen: z.number().int(),
        entriesCount: z.number().int(),
      }),
    ),
  })
  .openapi('LedgerCheck');

const Category = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, - and _');
const decimals = (places: number) => (n: number) =>
  Math.abs(Math.round(n * 10 ** places) - n * 10 ** places) < 1e-6;

/** Bounds as the table's CHECKs (migration 0011). */
export const BillingSettingsBody = z
  .object({
    allocationOrder: z
      .array(Category)
      .min(1)
      .max(16)
      .refine((a) => new Set(a).size === a.length, 'categories must not repeat'),
    dueDays: z.number().int().min(0).max(365),
    lateFeePerMillePerDay: z.number().min(0).max(100).refine(decimals(3), 'at most 3 decimals'),
    lateFeeGraceDays: z.number().int().min(0).max(365),
    lateFeeCapPercent: z.number().min(0).max(1000).refine(decimals(2), 'at most 2 decimals'),
    lateFeeMinFen: z.number().int().min(0).max(100_000_000),
    holdEstimated: z.boolean(),
    holdMissing: z.boolean(),
    holdAboveFen: z.number().int().min(0).max(MAX_ENTRY_FEN).nullable(),
  })
  .strict()
  .openapi('BillingSettings');
