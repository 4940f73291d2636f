import { AppError, defineNotifier, type NotifierPlugin } from '@quadmeter/sdk';
import type { ContextBase } from './lifecycle.ts';

export type Hooks = Pick<NotifierPlugin, 'setup' | 'start' | 'stop' | 'health'>;

export function notifier(name: string, extra: Partial<NotifierPlugin> & Hooks = {}): NotifierPlugin {
  return defineNotifier({
    kind: 'notifier',
    id: `notifier-${name}`,
    version: '1.0.0',
    apiVersion: 1,
    title: { 'zh-CN': name, en: name },
    channel: 'sms',
    send: async () => ({ duplicate: false }),
    classify: () => 'drop',
    ...extra,
  });
}

export const withCore = (base: ContextBase) => ({
  ...base,
  core: {
    ingestReadings: async () => ({ outcomes: [], stored: 0, duplicate: 0, rejected: 0, unmatched: 0 }),
    gatewayOnline: async () => ({ matched: false as const }),
    gatewayHeartbeat: async () => ({ matched: false as const }),
    enabledTenants: async () => [],
    tenantSettings: async () => ({}),
    controlUpdate: async () => ({ matched: false, changed: false }),
  },
});

export function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

export const never = () => new Promise<void>(() => {});
