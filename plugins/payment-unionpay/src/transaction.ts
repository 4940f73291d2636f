import { AppError, type PaymentOutcome, type PaymentStatus } from '@quadmeter/sdk';
import type { Fields } from './sign.ts';

const AMOUNT = /^[0-9]{1,12}$/;

/** txnAmt (a decimal string of fen) as a number; anything else is PAY_PROVIDER_ERROR. */
export function fenOf(txnAmt: string | undefined): number {
  if (txnAmt === undefined || !AMOUNT.test(txnAmt))
    throw new AppError('PAY_PROVIDER_ERROR', 'txnAmt is not whole fen', { txnAmt: txnAmt ?? null });
  return Number(txnAmt);
}

/** yyyyMMddHHmmss in Beijing time → ISO 8601 UTC. */
export function isoOf(txnTime: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(txnTime ?? '');
  if (!m) return undefined;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4] - 8, +m[5], +m[6]);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** A transaction's result code (respCode in a notification, origRespCode in a query answer). */
export function statusOf(code: string | undefined): PaymentStatus {
  if (code === '00' || code === 'A6') return 'paid';
  if (code === '03' || code === '04' || code === '05') return 'pending';
  return 'failed';
}

/**
 * A consume transaction (txnType 01) normalized: in CNY (currencyCode 156), amount whole fen, a
 * paid one must name its queryId. `code` is the transaction's own result code.
 */
export function consumeOutcome(f: Fields, code: string | undefined): PaymentOutcome {
  if (!f.orderId) throw new AppError('PAY_PROVIDER_ERROR', 'The transaction names no orderId');
  if ((f.currencyCode ?? '156') !== '156')
    throw new AppError('PAY_PROVIDER_ERROR', 'The transaction is not in CNY', {
      currencyCode: f.currencyCode,
    });
  const status = statusOf(code);
  if (status === 'paid' && !f.queryId)
    throw new AppError('PAY_PROVIDER_ERROR', 'A paid transaction without queryId');
  const paidAt = status === 'paid' ? isoOf(f.txnTime) : undefined;
  return {
    orderId: f.orderId,
    providerTxnId: f.queryId ?? '',
    status,
    amountFen: fenOf(f.txnAmt),
    ...(paidAt && { paidAt }),
  };
}
