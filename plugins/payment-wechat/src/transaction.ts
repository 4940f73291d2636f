import { AppError, isFen, type PaymentOutcome, type PaymentStatus } from '@quadmeter/sdk';
import type { ReadyConfig } from './config.ts';

/** The transaction object of a query answer or a decrypted TRANSACTION.* notification. */
export interface Transaction {
  appid?: string;
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  success_time?: string;
  amount?: { total?: number; payer_total?: number; currency?: string };
}

const STATES: Record<string, PaymentStatus> = {
  SUCCESS: 'paid',
  REFUND: 'paid',
  NOTPAY: 'pending',
  USERPAYING: 'pending',
  ACCEPT: 'pending',
  CLOSED: 'closed',
  REVOKED: 'closed',
  PAYERROR: 'failed',
};

/**
 * Normalizes a transaction after checking it is ours: mchid and appid must be the configured
 * ones (PAY_MERCHANT_MISMATCH), the amount whole fen in CNY. `REFUND` still means the order was
 * paid (and later refunded): the core's records say how much.
 */
export function outcomeOf(t: Transaction, c: ReadyConfig): PaymentOutcome {
  if (t.mchid !== c.mchid || t.appid !== c.appid)
    throw new AppError('PAY_MERCHANT_MISMATCH', undefined, {
      mchid: t.mchid ?? null,
      appid: t.appid ?? null,
    });
  const status = STATES[t.trade_state ?? ''];
  const total = t.amount?.total;
  if (!status || typeof t.out_trade_no !== 'string' || (status === 'paid' && !t.transaction_id))
    throw new AppError('PAY_PROVIDER_ERROR', 'The transaction is incomplete', {
      trade_state: t.trade_state ?? null,
    });
  if (total !== undefined && (!isFen(total) || total < 0 || (t.amount?.currency ?? 'CNY') !== 'CNY'))
    throw new AppError('PAY_PROVIDER_ERROR', 'The transaction amount is not whole fen in CNY');
  return {
    orderId: t.out_trade_no,
    providerTxnId: t.transaction_id ?? '',
    status,
    amountFen: total ?? 0,
    ...(t.success_time && { paidAt: new Date(t.success_time).toISOString() }),
  };
}
