import { MAX_LIMIT } from '../../services/archives/list-kit.ts';
import { MAX_ADJUSTMENT_FEN } from '../../services/billing/bills/adjust.ts';
import { text, z } from '../route-kit.ts';
import { pageSchema } from './archive-schemas.ts';

const Day = z.iso.date();
const Status = z.enum(['held', 'issued', 'cancelled']);

export const BillListQuery = z.object({
  period: Day.optional().openapi({ description: 'bills of the period starting on this day' }),
  status: Status.optional(),
  areaId: z.uuid().optional().openapi({ description: 'bills in this area or below it' }),
  accountId: z.uuid().optional(),
  customerNumber: text(1, 40).optional(),
  heldOnly: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  after: text(1, 2000).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
});

export const BillSummary = z
  .object({
    id: z.string(),
    number: z.string().nullable(),
    status: Status,
    holdReasons: z.array(z.string()),
    accountId: z.string(),
    accountNumber: z.string(),
    customerNumber: z.string(),
    customerName: z.string(),
    areaId: z.string(),
    areaName: z.string(),
    periodFrom: z.string(),
    periodTo: z.string(),
    totalFen: z.number().int(),
    dueDate: z.string().nullable(),
    issuedAt: z.string().nullable(),
    replaces: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('BillSummary');

export const BillPage = pageSchema(BillSummary).openapi('BillPage');

const LineReading = z.object({
  meterId: z.string().nullable(),
  ts: z.string(),
  value: z.string(),
  source: z.enum(['realtime', 'daily-freeze', 'monthly-freeze', 'manual', 'estimate', 'unknown']),
});

const BillLine = z
  .object({
    lineNo: z.number().int(),
    meterId: z.string().nullable(),
    category: z.string(),
    component: z.string(),
    label: z.string(),
    tier: z.number().int().nullable(),
    band: z.string().nullable(),
    quantity: z.string().nullable(),
    unit: z.string().nullable(),
    price: z.string().nullable(),
    amountFen: z.number().int(),
    tariffVersionId: z.string().nullable(),
    tariffPlanCode: z.string().nullable(),
    tariffVersion: z.number().int().nullable(),
    segmentFrom: z.string().nullable(),
    segmentTo: z.string().nullable(),
    readings: z.array(LineReading),
    explain: z.record(z.string(), z.unknown()),
  })
  .openapi('BillLine');

const LedgerEntry = z
  .object({
    id: z.string(),
    kind: z.string(),
    category: z.string(),
    amountFen: z.number().int(),
    businessKey: z.string(),
    reverses: z.string().nullable(),
    occurredOn: z.string(),
    postedAt: z.string(),
    memo: z.string(),
  })
  .openapi('BillLedgerEntry');

export const BillDetail = z
  .object({
    bill: BillSummary.extend({ cancelledAt: z.string().nullable(), cancelReason: z.string().nullable() }),
    lines: z.array(BillLine),
    entries: z.array(LedgerEntry),
    due: z.object({
      principalFen: z.number().int(),
      lateFeesFen: z.number().int(),
      paidFen: z.number().int(),
      unpaidFen: z.number().int(),
      unpaidPrincipalFen: z.number().int(),
    }),
  })
  .openapi('BillDetail');

export const ApproveMany = z
  .strictObject({ ids: z.array(z.uuid()).min(1).max(500) })
  .openapi('BillApproveMany');
export const Approved = z
  .object({ approved: z.array(z.object({ id: z.string(), dueDate: z.string() })) })
  .openapi('BillsApproved');

const Reason = text(1, 500).refine((s) => s.trim().length > 0, 'must not be blank');

export const CancelBody = z.strictObject({ reason: Reason }).openapi('BillCancel');
export const Cancelled = z
  .object({ id: z.string(), status: z.literal('cancelled'), reversals: z.number().int() })
  .openapi('BillCancelled');
export const Rebilled = Cancelled.extend({ runId: z.string() }).openapi('BillRebilled');

export const AdjustBody = z
  .strictObject({
    amountFen: z
      .number()
      .int()
      .min(-MAX_ADJUSTMENT_FEN)
      .max(MAX_ADJUSTMENT_FEN)
      .refine((n) => n !== 0, 'must not be zero')
      .openapi({ description: 'fen the customer owes more (> 0) or less (< 0)' }),
    reason: Reason,
  })
  .openapi('BillAdjust');
export const Adjusted = z
  .object({ id: z.string(), entryId: z.string(), principalFen: z.number().int() })
  .openapi('BillAdjusted');
