import { MAX_LIMIT } from '../../services/archives/list-kit.ts';
import { ORDER_FLAGS, ORDER_STATUSES } from '../../services/payments/online/order-dto.ts';
import { text, z } from '../route-kit.ts';
import { PayFen } from './payment-schemas.ts';

const FenText = z.string().openapi({ description: 'integer fen as a decimal string' });
const Provider = text(1, 64).regex(/^payment-[a-z0-9-]+$/, 'a payment plugin id');

export const PaymentOrderCreate = z
  .strictObject({
    accountId: z.uuid(),
    provider: Provider,
    channel: z.enum(['native', 'jsapi']),
    amountFen: PayFen.refine((v) => v > 0n, 'must be more than 0'),
    description: text(1, 127).optional(),
    /** JSAPI only: the payer's openid */
    openId: text(1, 128)
      .regex(/^[0-9A-Za-z_-]+$/)
      .optional(),
  })
  .refine((b) => b.channel !== 'jsapi' || b.openId !== undefined, {
    path: ['openId'],
    message: 'required for jsapi orders',
  })
  .openapi('PaymentOrderCreate');

export const PaymentRefundView = z
  .object({
    id: z.string(),
    refundNo: z.string(),
    amountFen: FenText,
    reason: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    automatic: z.boolean(),
    providerRefundId: z.string().nullable(),
    ledgerEntryId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('PaymentRefund');

export const PaymentOrder = z
  .object({
    id: z.string(),
    orderNo: z.string(),
    accountId: z.string(),
    accountNumber: z.string(),
    customerName: z.string(),
    provider: z.string(),
    channel: z.string(),
    amountFen: FenText,
    description: z.string(),
    status: z.enum(ORDER_STATUSES),
    action: z
      .record(z.string(), z.unknown())
      .openapi({ description: "the payer's next step (qr, sdk-params)" }),
    providerTxnId: z.string().nullable(),
    paymentId: z.string().nullable(),
    refundedFen: FenText,
    flag: z.enum(ORDER_FLAGS).nullable(),
    flagDetail: z.record(z.string(), z.unknown()).nullable(),
    expiresAt: z.string(),
    paidAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('PaymentOrder');

export const PaymentOrderDetail = PaymentOrder.extend({ refunds: z.array(PaymentRefundView) }).openapi(
  'PaymentOrderDetail',
);

export const PaymentOrderListQuery = z.object({
  accountId: z.uuid().optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  provider: Provider.optional(),
  flagged: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  after: text(1, 2000).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
});

export const PaymentOrderPage = z
  .object({ items: z.array(PaymentOrder), next: z.string().nullable() })
  .openapi('PaymentOrderPage');

export const PaymentOrderChecked = PaymentOrderDetail.extend({
  applied: z
    .string()
    .openapi({ description: "what the provider's answer did: credited, already, not_paid …" }),
}).openapi('PaymentOrderChecked');

export const PaymentRefundCreate = z
  .strictObject({
    /** our refund number (out_refund_no): one per refund, reused when retrying it */
    refundNo: text(8, 64).regex(/^[0-9A-Za-z_-]+$/, 'letters, digits, _ and -'),
    amountFen: PayFen.refine((v) => v > 0n, 'must be more than 0'),
    reason: text(1, 80).refine((s) => s.trim() !== '', 'required'),
  })
  .openapi('PaymentRefundCreate');

export const PaymentRefunded = PaymentOrderDetail.extend({ replayed: z.boolean() }).openapi(
  'PaymentRefunded',
);

export const ReconcileRequest = z
  .strictObject({
    provider: Provider,
    /** the business day of the statement, YYYY-MM-DD in the platform's time zone */
    date: z.iso.date(),
    /** the provider's statement file as downloaded (text) */
    content: text(1, 900_000),
  })
  .openapi('ReconcileRequest');

export const ReconcileReport = z
  .object({
    provider: z.string(),
    date: z.string(),
    lines: z.number().int(),
    matched: z.number().int(),
    items: z.array(
      z.object({
        kind: z.enum(['payment', 'refund']),
        mismatch: z.enum(['missing_locally', 'missing_at_provider', 'amount_differs']),
        orderNo: z.string().nullable(),
        providerTxnId: z.string().nullable(),
        providerFen: z.number().int().nullable(),
        localFen: z.number().int().nullable(),
      }),
    ),
  })
  .openapi('ReconcileReport');
