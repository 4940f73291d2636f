import type { CommandCreate, ControlAction, PrepaidParams } from '../../api/control.ts';
import { yuanToFen } from '../../utils/money.ts';
import { CUT_ACTIONS } from './control-labels.ts';

export const PREPAID_KEYS = ['alarm1', 'alarm2', 'overdraft', 'hoarding', 'closePermit'] as const;
export type PrepaidKey = (typeof PREPAID_KEYS)[number];

/** What the console and the meter's command dialog ask besides the action and the reason. */
export interface CommandOptions {
  /** minutes until the command expires; null = the tenant's default */
  expiresInMinutes: number | null;
  priority: number;
  override: boolean;
  /** prepaid-params thresholds as typed, in yuan */
  params: Record<PrepaidKey, string>;
}

export const newOptions = (): CommandOptions => ({
  expiresInMinutes: null,
  priority: 5,
  override: false,
  params: { alarm1: '', alarm2: '', overdraft: '', hoarding: '', closePermit: '' },
});

export const MAX_EXPIRY_MINUTES = 20_160;

/** The prepaid thresholds in integer fen; the keys whose text is not an amount are named in `bad`. */
export function prepaidFen(params: CommandOptions['params']): { params: PrepaidParams; bad: PrepaidKey[] } {
  const out: PrepaidParams = {};
  const bad: PrepaidKey[] = [];
  for (const k of PREPAID_KEYS) {
    const text = params[k].trim();
    if (!text) continue;
    const fen = yuanToFen(text);
    if (fen === null || !Number.isSafeInteger(Number(fen))) bad.push(k);
    else out[k] = Number(fen);
  }
  return { params: out, bad };
}

/** The optional part of a command or batch body for `action` (override only on a cut, with the permission). */
export function optionsBody(
  action: ControlAction,
  o: CommandOptions,
  mayOverride: boolean,
): Omit<CommandCreate, 'action' | 'reason' | 'idempotencyKey'> {
  return {
    priority: o.priority,
    ...(o.expiresInMinutes ? { expiresInMinutes: o.expiresInMinutes } : {}),
    ...(mayOverride && o.override && CUT_ACTIONS.has(action) ? { override: true } : {}),
    ...(action === 'prepaid-params' ? { params: prepaidFen(o.params).params } : {}),
  };
}
