import { http, xlsxExportUrl } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

// The ledger of an account (对账单 / statement, entries, adjustments, reversals) and the tenant's
// billing settings (allocation order, due days, late fees, hold rules).

export type LedgerLine = Schema<'LedgerLine'>;
export type OpenItem = Schema<'OpenItem'>;
export type Statement = Schema<'Statement'>;
export type BillingSettings = Schema<'BillingSettings'>;
export type AdjustmentCreate = BodyOf<'/accounts/{id}/adjustments', 'post'>;
export type StatementQuery = QueryOf<'/accounts/{id}/statement'>;

const enc = encodeURIComponent;

export const ledgerApi = {
  statement: (accountId: string, query: StatementQuery) =>
    http.get<ReplyOf<'/accounts/{id}/statement'>>(`/accounts/${enc(accountId)}/statement`, { ...query }),
  entries: (accountId: string, query: QueryOf<'/accounts/{id}/ledger'>) =>
    http.get<ReplyOf<'/accounts/{id}/ledger'>>(`/accounts/${enc(accountId)}/ledger`, { ...query }),
  adjust: (accountId: string, body: AdjustmentCreate) =>
    http.post<ReplyOf<'/accounts/{id}/adjustments', 'post'>>(`/accounts/${enc(accountId)}/adjustments`, body),
  reverse: (entryId: string, reason: string) =>
    http.post<ReplyOf<'/ledger-entries/{id}/reversal', 'post'>>(`/ledger-entries/${enc(entryId)}/reversal`, {
      reason,
    }),
};

/** The statement's xlsx download for the period, in `lang`. */
export function statementXlsxUrl(accountId: string, query: StatementQuery, lang: 'zh-CN' | 'en'): string {
  return xlsxExportUrl(`/accounts/${enc(accountId)}/statement.xlsx`, { ...query }, lang);
}

export const billingSettingsApi = {
  get: () => http.get<ReplyOf<'/billing-settings'>>('/billing-settings'),
  put: (body: BillingSettings) => http.put<ReplyOf<'/billing-settings', 'put'>>('/billing-settings', body),
};
