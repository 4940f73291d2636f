import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { parseTariff, type Tariff } from '../tariff/index.ts';

/**
 * A plan's published versions in force on a period, folded into one format-1 tariff whose versions
 * are named by their stored version number, so the engine splits the period where a version takes
 * over (分段计费). Stands in for the tariff store's versionsInForce until the two are merged.
 */
export interface PlanTariff {
  tariff: Tariff;
  /** MM-DD a yearly tier cycle or allowance starts on (the run passes yearToDate), else null */
  cycleStart: string | null;
  /** stored version number (as the tariff names it) → tariff_versions.id */
  versionIds: Map<string, string>;
}

interface VersionRow {
  id: string;
  version: number;
  effective_from: string;
  body: { versions?: { effectiveFrom: string }[] } & Record<string, unknown>;
}

/** The body's own version in force on the stored effective date (else its first). */
function bodyVersion(body: VersionRow['body'], from: string): Record<string, unknown> {
  const vs = (body.versions ?? []) as { effectiveFrom: string }[];
  const inForce = vs.filter((v) => v.effectiveFrom <= from);
  const v = inForce[inForce.length - 1] ?? vs[0];
  if (!v) throw new AppError('TARIFF_INVALID', 'A stored tariff version has no version');
  const { effectiveTo: _drop, ...rest } = v as { effectiveTo?: string };
  return rest;
}

/** null when the plan has no published version touching the period. */
export async function loadPlanTariff(
  tx: Tx,
  code: string,
  from: string,
  to: string,
): Promise<PlanTariff | null> {
  const rows = (await tx.execute(sql`
    select v.id::text as id, v.version, v.effective_from::text as effective_from, v.body
    from tariff_versions v join tariff_plans p on p.id = v.plan_id
    where p.code = ${code} and v.status = 'published' and v.effective_from < ${to}::date
    order by v.effective_from`)) as unknown as VersionRow[];
  const first = rows.findLastIndex((r) => r.effective_from <= from);
  const used = rows.slice(Math.max(first, 0));
  if (used.length === 0) return null;
  const base = used[used.length - 1].body;
  const tariff = parseTariff({
    ...base,
    versions: used.map((r) => ({
      ...bodyVersion(r.body, r.effective_from),
      version: String(r.version),
      effectiveFrom: r.effective_from,
    })),
  });
  return {
    tariff,
    cycleStart: yearlyCycle(tariff),
    versionIds: new Map(used.map((r) => [String(r.version), r.id])),
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
