import type { Account } from './accounts.ts';
import type { CursorPage, CursorQuery } from './cursor.ts';
import type { CustomValue } from './custom-field-defs.ts';
import { API_BASE, http } from './http.ts';

export const CUSTOMER_TYPES = ['resident', 'commercial', 'industrial', 'institution'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export const ARCHIVE_STATUSES = ['active', 'closed'] as const;
export type ArchiveStatus = (typeof ARCHIVE_STATUSES)[number];
export const FACT_KINDS = ['household_size', 'heated_area_m2'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export interface Customer {
  id: string;
  number: string;
  name: string;
  type: CustomerType;
  /** masked (138****0000) unless the session holds customers.pii */
  phone: string | null;
  /** masked unless the session holds customers.pii */
  idNumber: string | null;
  address: string | null;
  areaId: string;
  areaPath: string[];
  lowIncome: boolean;
  tags: string[];
  notes: string;
  status: ArchiveStatus;
  custom: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export type FactsCurrent = Record<FactKind, number | null>;
export interface CustomerDetail extends Customer {
  facts: FactsCurrent;
}

/** An effective-dated fact: the value in force from `effectiveFrom` (YYYY-MM-DD) on. */
export interface Fact {
  kind: FactKind;
  effectiveFrom: string;
  value: number;
}

export interface CustomerInput {
  number?: string;
  name: string;
  type?: CustomerType;
  phone?: string | null;
  idNumber?: string | null;
  address?: string | null;
  areaId: string;
  lowIncome?: boolean;
  tags?: string[];
  notes?: string;
  status?: ArchiveStatus;
  custom?: Record<string, CustomValue>;
  facts?: Fact[];
}

export type CustomerPatch = Partial<Omit<CustomerInput, 'facts'>>;

export interface CustomerFilter {
  q?: string;
  areaId?: string;
  type?: CustomerType;
  status?: ArchiveStatus;
}

/** One audit entry of an archive object, newest first (PII masked as the session sees it). */
export interface HistoryEntry {
  id: string;
  at: string;
  actorType: string;
  actorName: string;
  action: string;
  before: unknown;
  after: unknown;
}

const one = (id: string) => `/customers/${encodeURIComponent(id)}`;

/** The streamed xlsx export of the customers matching `filter`, headers in `lang`. */
export function customerExportUrl(filter: CustomerFilter, lang: string): string {
  const params = new URLSearchParams({ lang });
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, String(v));
  return `${API_BASE}/customers/export.xlsx?${params}`;
}

export const customersApi = {
  list: (query: CustomerFilter & CursorQuery) => http.get<CursorPage<Customer>>('/customers', { ...query }),
  get: (id: string) => http.get<CustomerDetail>(one(id)),
  create: (input: CustomerInput) => http.post<Customer>('/customers', input),
  update: (id: string, patch: CustomerPatch) => http.patch<Customer>(one(id), patch),
  facts: (id: string) => http.get<{ items: Fact[]; current: FactsCurrent }>(`${one(id)}/facts`),
  addFact: (id: string, fact: Fact) => http.post<Fact>(`${one(id)}/facts`, fact),
  history: (id: string) => http.get<{ items: HistoryEntry[] }>(`${one(id)}/history`),
  accounts: (id: string) => http.get<CursorPage<Account>>(`${one(id)}/accounts`, { limit: 200 }),
};
