import { http } from './http.ts';
import type { QueryOf, ReplyOf, Schema } from './types.ts';

// Software prepaid: the status board, each account's prepaid panel (keep-power, retry, group,
// override), the tenant default policy, policy groups and the holiday calendar.

export type PrepaidBoard = Schema<'PrepaidBoard'>;
export type PrepaidPanel = Schema<'PrepaidPanel'>;
export type PrepaidPolicyLevel = NonNullable<Schema<'PrepaidPolicyLevel'>>;
export type PrepaidPolicy = Schema<'PrepaidPolicy'>;
export type PrepaidGroup = Schema<'PrepaidGroup'>;
export type PrepaidListQuery = QueryOf<'/prepaid/accounts'>;
export type PrepaidState = NonNullable<PrepaidPanel['state']>;
export type HolidayDay = ReplyOf<'/prepaid/holidays/{year}'>['days'][number];

export const PREPAID_STATES = [
  'normal',
  'alarm1',
  'alarm2',
  'overdraft',
  'cut_pending',
  'cut',
  'reconnect_pending',
] as const satisfies readonly PrepaidState[];

/** Every field null: the level inherits everything. */
export function emptyLevel(): PrepaidPolicyLevel {
  return {
    alarm1Fen: null,
    alarm2Fen: null,
    overdraftLimitFen: null,
    cutDelayMinutes: null,
    reconnectThresholdFen: null,
    hoardingLimitFen: null,
    nightProtect: null,
    nightStart: null,
    nightEnd: null,
    weekendProtect: null,
    holidayProtect: null,
  };
}

const enc = encodeURIComponent;

export const prepaidApi = {
  board: (areaId?: string) => http.get<PrepaidBoard>('/prepaid/board', areaId ? { areaId } : {}),
  list: (query: PrepaidListQuery) =>
    http.get<ReplyOf<'/prepaid/accounts'>>('/prepaid/accounts', { ...query }),
  panel: (id: string) => http.get<PrepaidPanel>(`/prepaid/accounts/${enc(id)}`),
  keepPower: (id: string, on: boolean) =>
    http.put<PrepaidPanel>(`/prepaid/accounts/${enc(id)}/keep-power`, { on }),
  retry: (id: string) => http.post<PrepaidPanel>(`/prepaid/accounts/${enc(id)}/retry`, {}),
  assignGroup: (id: string, groupId: string | null) =>
    http.put<PrepaidPanel>(`/prepaid/accounts/${enc(id)}/group`, { groupId }),
  accountPolicy: (id: string) =>
    http.get<ReplyOf<'/prepaid/accounts/{id}/policy'>>(`/prepaid/accounts/${enc(id)}/policy`),
  putAccountPolicy: (id: string, body: PrepaidPolicyLevel) =>
    http.put<ReplyOf<'/prepaid/accounts/{id}/policy', 'put'>>(`/prepaid/accounts/${enc(id)}/policy`, body),
  clearAccountPolicy: (id: string) => http.del(`/prepaid/accounts/${enc(id)}/policy`),
  policy: () => http.get<ReplyOf<'/prepaid/policy'>>('/prepaid/policy'),
  putPolicy: (body: PrepaidPolicyLevel) =>
    http.put<ReplyOf<'/prepaid/policy', 'put'>>('/prepaid/policy', body),
  groups: () => http.get<ReplyOf<'/prepaid/groups'>>('/prepaid/groups'),
  createGroup: (name: string, policy: PrepaidPolicyLevel) =>
    http.post<PrepaidGroup>('/prepaid/groups', { name, policy }),
  updateGroup: (id: string, name: string, policy: PrepaidPolicyLevel) =>
    http.put<PrepaidGroup>(`/prepaid/groups/${enc(id)}`, { name, policy }),
  deleteGroup: (id: string) => http.del(`/prepaid/groups/${enc(id)}`),
  holidays: (year: number) => http.get<ReplyOf<'/prepaid/holidays/{year}'>>(`/prepaid/holidays/${year}`),
  putHolidays: (year: number, days: HolidayDay[]) =>
    http.put<ReplyOf<'/prepaid/holidays/{year}', 'put'>>(`/prepaid/holidays/${year}`, { days }),
};
