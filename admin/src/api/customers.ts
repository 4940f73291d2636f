import { http, xlsxExportUrl } from './http.ts';
import type { BodyOf, QueryOf, ReplyOf, Schema } from './types.ts';

export type Customer = Schema<'Customer'>;
export type CustomerType = Customer['type'];
export type ArchiveStatus = Customer['status'];
export type CustomerDetail = ReplyOf<'/customers/{id}'>;
export type FactsCurrent = CustomerDetail['facts'];
/** An effective-dated fact: the value in force from `effectiveFrom` (YYYY-MM-DD) on. */
export type Fact = BodyOf<'/customers/{id}/facts', 'post'>;
export type FactKind = Fact['kind'];
export type CustomerInput = BodyOf<'/customers', 'post'>;
export type CustomerPatch = BodyOf<'/customers/{id}', 'patch'>;
export type CustomerQuery = QueryOf<'/customers'>;
/** The filter of the list and of its export (no cursor, no sort). */
export type CustomerFilter = Pick<CustomerQuery, 'q' | 'areaId' | 'type' | 'status'>;
/** One audit entry of an archive object, newest first (PII masked as the session sees it). */
export type HistoryEntry = Schema<'HistoryEntry'>;

export const CUSTOMER_TYPES = [
  'resident',
  'commercial',
  'industrial',
  'institution',
] as const satisfies readonly CustomerType[];
export const ARCHIVE_STATUSES = ['active', 'closed'] as const satisfies readonly ArchiveStatus[];
export const FACT_KINDS = ['household_size', 'heated_area_m2'] as const satisfies readonly FactKind[];

const one = (id: string) => `/customers/${encodeURIComponent(id)}`;

/** The streamed xlsx export of the customers matching `filter`, headers in `lang`. */
export function customerExportUrl(
  filter: CustomerFilter,
  lang: QueryOf<'/customers/export.xlsx'>['lang'],
): string {
  return xlsxExportUrl('/customers/export.xlsx', { ...filter }, lang);
}

export const customersApi = {
  list: (query: CustomerQuery) => http.get<ReplyOf<'/customers'>>('/customers', { ...query }),
  get: (id: string) => http.get<CustomerDetail>(one(id)),
  create: (input: CustomerInput) => http.post<Customer>('/customers', input),
  update: (id: string, patch: CustomerPatch) => http.patch<Customer>(one(id), patch),
  facts: (id: string) => http.get<ReplyOf<'/customers/{id}/facts'>>(`${one(id)}/facts`),
  addFact: (id: string, fact: Fact) =>
    http.post<ReplyOf<'/customers/{id}/facts', 'post'>>(`${one(id)}/facts`, fact),
  history: (id: string) => http.get<ReplyOf<'/customers/{id}/history'>>(`${one(id)}/history`),
  accounts: (id: string) =>
    http.get<ReplyOf<'/customers/{id}/accounts'>>(`${one(id)}/accounts`, { limit: 200 }),
};
