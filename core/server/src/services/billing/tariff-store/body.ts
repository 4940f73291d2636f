import { AppError } from '@quadmeter/sdk';
import { parseTariff, type Tariff } from '../tariff/index.ts';
import type { Plan } from './plans.ts';

/** The plan kinds (meter-type plugin ids) the tariff format prices, and the format's meterKind. */
export const PLAN_KINDS = {
  'meter-water': 'water',
  'meter-power': 'power',
  'meter-gas': 'gas',
  'meter-heat': 'heat',
} as const;
export type PlanKind = keyof typeof PLAN_KINDS;
export const planKinds = Object.keys(PLAN_KINDS) as [PlanKind, ...PlanKind[]];

const invalid = (path: string, message: string) =>
  new AppError('TARIFF_INVALID', undefined, [{ path, message }]);

/**
 * A stored version's body: a format-1 tariff with exactly one version, whose code is the plan's
 * and whose meterKind is the plan kind's. The row's effective date is the version's effectiveFrom.
 * Anything else is TARIFF_INVALID with the offending paths.
 */
export function parseVersionBody(plan: Plan, body: unknown): Tariff {
  const t = parseTariff(body);
  if (t.versions.length !== 1) throw invalid('versions', 'a stored version holds exactly one version');
  if (t.code !== plan.code) throw invalid('code', `must be the plan's code ${plan.code}`);
  const kind = PLAN_KINDS[plan.kind as PlanKind];
  if (t.meterKind !== kind) throw invalid('meterKind', `must be ${kind ?? 'a priced kind'} for ${plan.kind}`);
  return t;
}
