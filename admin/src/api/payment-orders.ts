import { http } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

/** Online payment orders; fen travel as decimal strings. */
export type PaymentOrder = Schema<'PaymentOrder'>;
export type PaymentOrderDetail = Schema<'PaymentOrderDetail'>;
export type PaymentOrderQuery = QueryOf<'/payment-orders'>;

const one = (id: string) => `/payment-orders/${encodeURIComponent(id)}`;

export const paymentOrdersApi = {
  list: (query: PaymentOrderQuery) => http.get<ReplyOf<'/payment-orders'>>('/payment-orders', { ...query }),
  get: (id: string) => http.get<PaymentOrderDetail>(one(id)),
  query: (id: string) => http.post<Schema<'PaymentOrderChecked'>>(`${one(id)}/query`, {}),
  close: (id: string) => http.post<Schema<'PaymentOrderChecked'>>(`${one(id)}/close`, {}),
  refund: (id: string, body: BodyOf<'/payment-orders/{id}/refunds', 'post'>) =>
    http.post<Schema<'PaymentRefunded'>>(`${one(id)}/refunds`, body),
};
