import { AppError } from '@quadmeter/sdk';
import type { Tx } from '../../../db/client.ts';
import type { Tariff } from '../tariff/index.ts';
import { combineVersions, versionsInForce } from '../tariff-store/index.ts';

/**
 * A plan's published versions in force on a period (the tariff store's versionsInForce, decision
 * 0023), folded by combineVersions into one format-1 tariff, so the engine splits the period where
 * a version takes over (分段计费). Versions are named by their stored version number, which is what
 * a bill line's explain shows and what versionIds is keyed by.
 */
export interface PlanTariff {
  tariff: Tariff;
  /** MM-DD a yearly tier cycle or allowance starts on (the run passes yearToDate), else null */
  cycleStart: string | null;
  /** stored version number (as the tariff names it) → tariff_versions.id */
  versionIds: Map<string, string>;
}

/** Why a plan cannot price the period: the accounts on it fail, the run goes on. */
const UNPRICEABLE = new Set(['TARIFF_PLAN_UNKNOWN', 'TARIFF_NOT_IN_FORCE']);

/** null when the plan is unknown or some day of the period is under no published version. */
export async function loadPlanTariff(
  tx: Tx,
  code: string,
  from: string,
  to: string,
): Promise<PlanTariff | null> {
  let list: Awaited<ReturnType<typeof versionsInForce>>;
  try {
    list = await versionsInForce(tx, code, from, to);
  } catch (e) {
    if (e instanceof AppError && UNPRICEABLE.has(e.code)) return null;
    throw e;
  }
  const combined = combineVersions(list);
  const tariff: Tariff = {
    ...combined,
    versions: combined.versions.map((v, i) => ({ ...v, version: String(list[i].version) })),
  };
  return {
    tariff,
    cycleStart: yearlyCycle(tariff),
    versionIds: new Map(list.map((v) => [String(v.version), v.versionId])),
  };
}

/** The cycle start of the first yearly tier or allowance of the latest version (MM-DD), or null. */
function yearlyCycle(t: Tariff): string | null {
  for (const c of t.versions[t.versions.length - 1].components) {
    if (c.type !== 'usage') continue;
    if (c.tiers?.cycle === 'year') return c.tiers.cycleStart ?? '01-01';
    if (c.freeAllowance?.per === 'year') return '01-01';
  }
  return null;
}

/** Per-run cache: each plan is loaded and checked once per run (null cached too). */
export function planCache(from: string, to: string) {
  const cache = new Map<string, Promise<PlanTariff | null>>();
  return (tx: Tx, code: string) => {
    let hit = cache.get(code);
    if (!hit) {
      hit = loadPlanTariff(tx, code, from, to);
      cache.set(code, hit);
      hit.catch(() => cache.delete(code));
    }
    return hit;
  };
}
