import { http } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

export type Account = Schema<'Account'>;
export type AccountDetail = Schema<'AccountDetail'>;
export type BillingMode = NonNullable<Account['billingMode']>;
/** `depositFen` is integer fen (a decimal string on the wire, never a float). */
export type AccountCreate = BodyOf<'/accounts', 'post'>;
export type AccountPatch = BodyOf<'/accounts/{id}', 'patch'>;
export type AccountQuery = QueryOf<'/accounts'>;

export const BILLING_MODES = ['prepaid', 'postpaid'] as const satisfies readonly BillingMode[];

const one = (id: string) => `/accounts/${encodeURIComponent(id)}`;

export const accountsApi = {
  list: (query: AccountQuery) => http.get<ReplyOf<'/accounts'>>('/accounts', { ...query }),
  get: (id: string) => http.get<AccountDetail>(one(id)),
  create: (input: AccountCreate) => http.post<Account>('/accounts', input),
  update: (id: string, patch: AccountPatch) => http.patch<Account>(one(id), patch),
  setBillingMode: (id: string, body: BodyOf<'/accounts/{id}/billing-modes', 'post'>) =>
    http.post<ReplyOf<'/accounts/{id}/billing-modes', 'post'>>(`${one(id)}/billing-modes`, body),
  history: (id: string) => http.get<ReplyOf<'/accounts/{id}/history'>>(`${one(id)}/history`),
  meterHistory: (id: string) => http.get<ReplyOf<'/accounts/{id}/meter-history'>>(`${one(id)}/meter-history`),
};
