import { http } from './http.ts';
import type { ReplyOf, Schema } from './types.ts';

// The tenant's self-service settings: how customers prove they hold an account (decision 0046).
export type SelfSettings = Schema<'SelfSettings'>;

export const selfSettingsApi = {
  get: () => http.get<ReplyOf<'/self-settings'>>('/self-settings'),
  put: (body: SelfSettings) => http.put<ReplyOf<'/self-settings', 'put'>>('/self-settings', body),
};
