import {
  AppError,
  type CreatedOrder,
  isFen,
  type OrderRequest,
  type RefundRequest,
  type RefundResult,
} from '@quadmeter/sdk';

/**
 * Counter payments are settled in the room: the cashier holds the cash (or the terminal's slip)
 * before anything is recorded, so an order is paid the moment it is made and there is no provider
 * to notify, query or call back. The core owns the records (payments, shifts, reversals).
 */
export function createCounterOrder(order: OrderRequest): CreatedOrder {
  if (order.channel !== 'counter')
    throw new AppError('REQ_VALIDATION', 'payment-cash takes counter orders only', {
      channel: order.channel,
    });
  if (!isFen(order.amountFen) || order.amountFen <= 0)
    throw new AppError('REQ_VALIDATION', 'The amount must be a positive whole number of fen', {
      amountFen: order.amountFen,
    });
  return { orderId: order.orderId, status: 'paid', action: { type: 'none' } };
}

/** The counter has no provider callbacks: every notification is refused. */
export function refuseNotification(): never {
  throw new AppError('PAY_SIGNATURE_INVALID', 'Counter payments have no provider notifications');
}

/** A counter refund is money handed back at the counter: done when recorded. */
export function counterRefund(request: RefundRequest): RefundResult {
  if (!isFen(request.amountFen) || request.amountFen <= 0 || request.amountFen > request.totalFen)
    throw new AppError('REQ_VALIDATION', 'The refund must be positive and at most the payment', {
      amountFen: request.amountFen,
      totalFen: request.totalFen,
    });
  return { refundId: request.refundId, status: 'succeeded' };
}
