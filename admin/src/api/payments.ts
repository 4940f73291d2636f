import { http } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

/** Fen travel as decimal strings (never floats). */
export type Payment = Schema<'Payment'>;
export type PaymentTaken = Schema<'PaymentTaken'>;
export type PaymentReversal = Schema<'PaymentReversal'>;
export type CashierShift = Schema<'CashierShift'>;
export type CounterAccount = Schema<'CounterAccount'>;
export type PaymentCreate = BodyOf<'/payments', 'post'>;
export type PaymentQuery = QueryOf<'/payments'>;

const one = (id: string) => `/payments/${encodeURIComponent(id)}`;

/** The printable receipt page of a payment (opened in a window; same-origin session cookie). */
export const receiptUrl = (id: string) => `/api/v1${one(id)}/receipt`;

export const paymentsApi = {
  lookup: (q: string) => http.get<ReplyOf<'/counter/lookup'>>('/counter/lookup', { q }),
  take: (input: PaymentCreate) => http.post<PaymentTaken>('/payments', input),
  list: (query: PaymentQuery) => http.get<ReplyOf<'/payments'>>('/payments', { ...query }),
  requestReversal: (id: string, reason: string) =>
    http.post<PaymentReversal>(`${one(id)}/reversal-requests`, { reason }),
  reversals: (query: QueryOf<'/payment-reversals'>) =>
    http.get<ReplyOf<'/payment-reversals'>>('/payment-reversals', { ...query }),
  approve: (id: string) =>
    http.post<ReplyOf<'/payment-reversals/{id}/approve', 'post'>>(
      `/payment-reversals/${encodeURIComponent(id)}/approve`,
      {},
    ),
  reject: (id: string) =>
    http.post<PaymentReversal>(`/payment-reversals/${encodeURIComponent(id)}/reject`, {}),
  currentShift: () => http.get<ReplyOf<'/cashier-shifts/current'>>('/cashier-shifts/current'),
  openShift: (body: BodyOf<'/cashier-shifts', 'post'>) => http.post<CashierShift>('/cashier-shifts', body),
  closeShift: (id: string, body: BodyOf<'/cashier-shifts/{id}/close', 'post'>) =>
    http.post<CashierShift>(`/cashier-shifts/${encodeURIComponent(id)}/close`, body),
};
