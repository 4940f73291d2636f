import { AppError, type PaymentOutcome, type PaymentStatus } from '@quadmeter/sdk';
import { fenOf } from './gateway.ts';
import { parseBeijing } from './sign.ts';

/** The trade fields of a notification or an `alipay.trade.query` answer. */
export interface Trade {
  out_trade_no?: string;
  trade_no?: string;
  trade_status?: string;
  total_amount?: string;
  gmt_payment?: string;
  send_pay_date?: string;
}

const STATES: Record<string, PaymentStatus> = {
  WAIT_BUYER_PAY: 'pending',
  TRADE_SUCCESS: 'paid',
  // paid and no longer refundable
  TRADE_FINISHED: 'paid',
  TRADE_CLOSED: 'closed',
};

/** Normalizes a trade: the amount from yuan to whole fen by the digits, never through a float. */
export function outcomeOf(t: Trade): PaymentOutcome {
  const status = STATES[t.trade_status ?? ''];
  if (!status || typeof t.out_trade_no !== 'string' || (status === 'paid' && !t.trade_no))
    throw new AppError('PAY_PROVIDER_ERROR', 'The trade is incomplete', {
      trade_status: t.trade_status ?? null,
    });
  const paidAt = parseBeijing(t.gmt_payment ?? t.send_pay_date);
  return {
    orderId: t.out_trade_no,
    providerTxnId: t.trade_no ?? '',
    status,
    amountFen: t.total_amount === undefined ? 0 : fenOf(t.total_amount, 'total_amount'),
    ...(status === 'paid' && paidAt && { paidAt: paidAt.toISOString() }),
  };
}
