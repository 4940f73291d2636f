import type { CursorPage, CursorQuery } from './cursor.ts';
import type { CustomValue } from './custom-field-defs.ts';
import type { ArchiveStatus, HistoryEntry } from './customers.ts';
import { http } from './http.ts';
import type { MeterEvent } from './meters.ts';

export const BILLING_MODES = ['prepaid', 'postpaid'] as const;
export type BillingMode = (typeof BILLING_MODES)[number];

export interface Account {
  id: string;
  customerId: string;
  customerNumber: string;
  number: string;
  areaPath: string[];
  /** the mode in force today */
  billingMode: BillingMode | null;
  readingDay: number;
  billingCycleMonths: number;
  tariffPlans: Record<string, string>;
  /** integer fen as a decimal string */
  depositFen: string;
  status: ArchiveStatus;
  custom: Record<string, unknown>;
  createdAt: string;
}

export interface AccountDetail extends Account {
  billingModes: { effectiveFrom: string; mode: BillingMode }[];
}

export interface AccountCreate {
  customerId: string;
  number?: string;
  billingMode?: BillingMode;
  billingModeFrom?: string;
  readingDay?: number;
  billingCycleMonths?: number;
  /** integer fen as a decimal string */
  depositFen?: string;
  status?: ArchiveStatus;
  custom?: Record<string, CustomValue>;
}

export type AccountPatch = Partial<Omit<AccountCreate, 'customerId' | 'billingMode' | 'billingModeFrom'>>;

export interface AccountQuery extends CursorQuery {
  number?: string;
  customerId?: string;
  status?: ArchiveStatus;
}

const one = (id: string) => `/accounts/${encodeURIComponent(id)}`;

export const accountsApi = {
  list: (query: AccountQuery) => http.get<CursorPage<Account>>('/accounts', { ...query }),
  get: (id: string) => http.get<AccountDetail>(one(id)),
  create: (input: AccountCreate) => http.post<Account>('/accounts', input),
  update: (id: string, patch: AccountPatch) => http.patch<Account>(one(id), patch),
  setBillingMode: (id: string, mode: BillingMode, effectiveFrom: string) =>
    http.post<{ billingModes: AccountDetail['billingModes'] }>(`${one(id)}/billing-modes`, {
      mode,
      effectiveFrom,
    }),
  history: (id: string) => http.get<{ items: HistoryEntry[] }>(`${one(id)}/history`),
  meterHistory: (id: string) => http.get<{ items: MeterEvent[] }>(`${one(id)}/meter-history`),
};
