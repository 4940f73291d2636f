import { AppError } from '@quadmeter/sdk';
import type { Tx } from '../../db/client.ts';
import type { Registry } from '../../registry/index.ts';
import { tenantPlugin } from '../plugins/tenant-plugins.ts';

/** The plugin whose tenant settings rule the counter. */
export const COUNTER_PLUGIN = 'payment-cash';

/** What the tenant allows at the counter (payment-cash's tenant settings, defaults when unset). */
export interface CounterRules {
  /** false only when the tenant switched payment-cash off explicitly */
  enabled: boolean;
  cardTerminal: boolean;
  /** 0 = no limit */
  maxCashFen: number;
}

const DEFAULTS: CounterRules = { enabled: true, cardTerminal: true, maxCashFen: 0 };

/**
 * The counter's rules for the tenant in `tx`. A tenant that never configured payment-cash takes
 * counter payments with the plugin's defaults; one that switched it off takes none. A build without
 * the plugin installed runs on the defaults.
 */
export async function counterRules(tx: Tx, registry: Registry): Promise<CounterRules> {
  const row = await tenantPlugin(tx, COUNTER_PLUGIN);
  if (!row) return DEFAULTS;
  let parsed: Partial<CounterRules>;
  try {
    parsed = registry.validateTenantSettings(COUNTER_PLUGIN, row.settings) as Partial<CounterRules>;
  } catch {
    return { ...DEFAULTS, enabled: row.enabled };
  }
  return {
    enabled: row.enabled,
    cardTerminal: parsed.cardTerminal ?? true,
    maxCashFen: parsed.maxCashFen ?? 0,
  };
}

/** Refuses what the tenant's counter rules do not allow. */
export function checkRules(rules: CounterRules, method: 'cash' | 'card', amountFen: bigint): void {
  if (!rules.enabled || (method === 'card' && !rules.cardTerminal))
    throw new AppError('PAY_METHOD_DISABLED', undefined, { method });
  if (method === 'cash' && rules.maxCashFen > 0 && amountFen > BigInt(rules.maxCashFen))
    throw new AppError('PAY_CASH_LIMIT', undefined, { maxCashFen: String(rules.maxCashFen) });
}
