import { http } from './http.ts';
import type { BodyOf, ReplyOf, Schema } from './types.ts';

export const PLAN_KINDS = ['meter-water', 'meter-power', 'meter-gas', 'meter-heat'] as const;
export type TariffPlan = Schema<'TariffPlan'>;
export type TariffVersion = Schema<'TariffVersion'>;
export type TariffQuote = Schema<'TariffQuote'>;
export type WhatIf = Schema<'TariffWhatIf'>;
export type PlanCreate = BodyOf<'/tariff-plans', 'post'>;
export type WhatIfInput = BodyOf<'/tariff-plans/{id}/versions/{vid}/what-if', 'post'>;

const enc = encodeURIComponent;
const plan = (id: string) => `/tariff-plans/${enc(id)}`;
const version = (id: string, vid: string) => `${plan(id)}/versions/${enc(vid)}`;

export const tariffsApi = {
  list: () => http.get<ReplyOf<'/tariff-plans'>>('/tariff-plans'),
  get: (id: string) => http.get<TariffPlan>(plan(id)),
  create: (input: PlanCreate) => http.post<TariffPlan>('/tariff-plans', input),
  update: (id: string, patch: BodyOf<'/tariff-plans/{id}', 'patch'>) =>
    http.patch<TariffPlan>(plan(id), patch),
  versions: (id: string) => http.get<ReplyOf<'/tariff-plans/{id}/versions'>>(`${plan(id)}/versions`),
  version: (id: string, vid: string) => http.get<TariffVersion>(version(id, vid)),
  createDraft: (id: string, body: unknown, note = '') =>
    http.post<TariffVersion>(`${plan(id)}/versions`, { body, note }),
  updateDraft: (id: string, vid: string, body: unknown) =>
    http.patch<TariffVersion>(version(id, vid), { body }),
  removeDraft: (id: string, vid: string) => http.del(version(id, vid)),
  publish: (id: string, vid: string) => http.post<TariffVersion>(`${version(id, vid)}/publish`, {}),
  copy: (id: string, vid: string) => http.post<TariffVersion>(`${version(id, vid)}/copy`, {}),
  whatIf: (id: string, vid: string, input: WhatIfInput) =>
    http.post<WhatIf>(`${version(id, vid)}/what-if`, input),
  quote: (tariff: unknown, usage: unknown) => http.post<TariffQuote>('/tariffs/quote', { tariff, usage }),
};

const FORMAT_KIND: Record<string, string> = {
  'meter-water': 'water',
  'meter-power': 'power',
  'meter-gas': 'gas',
  'meter-heat': 'heat',
};

/** A first draft for a plan: one flat-priced usage charge, in force from `effectiveFrom`. */
export function starterBody(p: TariffPlan, effectiveFrom: string) {
  return {
    formatVersion: 1,
    code: p.code,
    name: { 'zh-CN': p.name, en: p.name },
    meterKind: FORMAT_KIND[p.kind] ?? 'water',
    versions: [
      {
        version: effectiveFrom.slice(0, 7),
        effectiveFrom,
        components: [
          { type: 'usage', id: 'energy', label: { 'zh-CN': '用量费', en: 'Usage' }, price: '1.00' },
        ],
      },
    ],
  };
}
