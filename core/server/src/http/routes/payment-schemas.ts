import { MAX_LIMIT } from '../../services/archives/list-kit.ts';
import { text, z } from '../route-kit.ts';

/** The bound of one counter payment: 10 亿元 in fen (the ledger's own bound is 10^11). */
export const MAX_PAYMENT_FEN = 100_000_000_000n;

/** Positive fen as a decimal string or a safe integer, at most MAX_PAYMENT_FEN; never a float. */
export const PayFen = z
  .union([
    text(1, 12).regex(/^[0-9]{1,12}$/, 'whole fen as up to 12 digits'),
    z.number().int().min(0).max(Number(MAX_PAYMENT_FEN)),
  ])
  .transform((v) => BigInt(v))
  .refine((v) => v <= MAX_PAYMENT_FEN, 'at most 100000000000 fen');

const FenText = z.string().openapi({ description: 'integer fen as a decimal string' });
const Limit = z.coerce.number().int().min(1).max(MAX_LIMIT).default(50);

export const PaymentCreate = z
  .strictObject({
    accountId: z.uuid(),
    method: z.enum(['cash', 'card']),
    amountFen: PayFen.refine((v) => v > 0n, 'must be more than 0'),
    tenderedFen: PayFen.optional(),
    terminalRef: text(1, 64)
      .regex(/^[0-9A-Za-z-]+$/, 'letters, digits and dashes')
      .optional(),
    idempotencyKey: text(8, 100).regex(/^[0-9A-Za-z_-]+$/, 'letters, digits, _ and -'),
    note: text(0, 500).optional(),
  })
  .openapi('PaymentCreate');

export const Payment = z
  .object({
    id: z.string(),
    accountId: z.string(),
    accountNumber: z.string(),
    customerId: z.string(),
    customerNumber: z.string(),
    customerName: z.string(),
    method: z.enum(['cash', 'card', 'wechat', 'alipay', 'unionpay']),
    amountFen: FenText,
    tenderedFen: FenText.nullable(),
    changeFen: FenText,
    terminalRef: z.string().nullable(),
    shiftId: z.string().nullable().openapi({ description: 'null for an online payment' }),
    status: z.enum(['posted', 'reversal_requested', 'reversed']),
    ledgerEntryId: z.string().nullable(),
    cashierId: z.string().nullable(),
    cashierName: z.string(),
    note: z.string(),
    createdAt: z.string(),
  })
  .openapi('Payment');

export const PaymentTaken = Payment.extend({
  replayed: z.boolean().openapi({ description: 'true when the idempotency key had already posted it' }),
}).openapi('PaymentTaken');

export const PaymentListQuery = z.object({
  accountId: z.uuid().optional(),
  shiftId: z.uuid().optional(),
  cashierId: z.uuid().optional(),
  method: z.enum(['cash', 'card', 'wechat', 'alipay', 'unionpay']).optional(),
  status: z.enum(['posted', 'reversal_requested', 'reversed']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  after: text(1, 2000).optional(),
  limit: Limit,
});

export const PaymentPage = z
  .object({ items: z.array(Payment), next: z.string().nullable() })
  .openapi('PaymentPage');

export const ReversalRequest = z.strictObject({
  reason: text(1, 500).refine((s) => s.trim() !== '', 'required'),
});
export const ReversalDecision = z.strictObject({ note: text(0, 500).optional() });

export const PaymentReversal = z
  .object({
    id: z.string(),
    paymentId: z.string(),
    reason: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    requestedBy: z.string(),
    requestedByName: z.string(),
    requestedAt: z.string(),
    approvedBy: z.string().nullable(),
    approvedByName: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string(),
    ledgerEntryId: z.string().nullable(),
    amountFen: FenText,
    method: z.string(),
    accountNumber: z.string(),
    customerName: z.string(),
  })
  .openapi('PaymentReversal');

export const ReversalListQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected']).optional(),
  limit: Limit,
});

const MethodTotals = z.object({
  count: z.number(),
  fen: FenText,
  reversedCount: z.number(),
  reversedFen: FenText,
});

export const CashierShift = z
  .object({
    id: z.string(),
    cashierId: z.string(),
    cashierName: z.string(),
    status: z.enum(['open', 'closed']),
    openedAt: z.string(),
    openingFloatFen: FenText,
    closedAt: z.string().nullable(),
    countedCashFen: FenText.nullable(),
    expectedCashFen: FenText.nullable(),
    handedOverTo: z.string().nullable(),
    note: z.string(),
    totals: z.object({
      cash: MethodTotals,
      card: MethodTotals,
      expectedCashFen: FenText,
      differenceFen: FenText.nullable(),
    }),
  })
  .openapi('CashierShift');

export const ShiftOpen = z.strictObject({
  openingFloatFen: PayFen.optional(),
  note: text(0, 500).optional(),
});
export const ShiftClose = z.strictObject({
  countedCashFen: PayFen,
  handedOverTo: text(1, 100).optional(),
  note: text(0, 500).optional(),
});
export const ShiftListQuery = z.object({
  status: z.enum(['open', 'closed']).optional(),
  mine: z.enum(['true', 'false']).optional(),
  limit: Limit,
});

export const LookupQuery = z.object({ q: text(1, 64).refine((s) => s.trim() !== '', 'required') });
export const CounterAccount = z
  .object({
    accountId: z.string(),
    accountNumber: z.string(),
    accountStatus: z.enum(['active', 'closed']),
    customerId: z.string(),
    customerNumber: z.string(),
    customerName: z.string(),
    phone: z.string().nullable(),
    address: z.string().nullable(),
    meters: z.array(z.string()),
    balanceFen: FenText,
    owedFen: FenText,
  })
  .openapi('CounterAccount');
export const CounterLookup = z
  .object({ items: z.array(CounterAccount), more: z.boolean() })
  .openapi('CounterLookup');
