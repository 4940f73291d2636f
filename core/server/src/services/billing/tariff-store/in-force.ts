import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { dateOf, dayOf } from '../tariff/dates.ts';
import { parseTariff, type Tariff } from '../tariff/index.ts';

export interface VersionInForce {
  versionId: string;
  version: number;
  effectiveFrom: string;
  tariff: Tariff;
}

/** Parsed bodies of published versions by id: published rows never change, so never go stale. */
const parsed = new Map<string, Tariff>();
const CACHE_MAX = 5_000;

function parsedBody(id: string, body: unknown): Tariff {
  let t = parsed.get(id);
  if (!t) {
    t = parseTariff(body);
    if (parsed.size >= CACHE_MAX) parsed.clear();
    parsed.set(id, t);
  }
  return t;
}

/** For tests: how many parsed bodies are cached. */
export const cachedVersionCount = () => parsed.size;

/** Day after which a version stops: its own effectiveTo, else the next version's start. */
function endOf(list: VersionInForce[], i: number): number {
  const own = list[i].tariff.versions[0].effectiveTo;
  const next = list[i + 1] ? dayOf(list[i + 1].effectiveFrom) : Number.POSITIVE_INFINITY;
  return own ? Math.min(dayOf(own), next) : next;
}

/**
 * The published versions of plan `planCode` that price [from, to), in effective-date order: the
 * last one starting on or before `from` and every later one starting before `to`. An unknown code
 * is TARIFF_PLAN_UNKNOWN; a day of the period under no version is TARIFF_NOT_IN_FORCE (details:
 * the first such date).
 */
export async function versionsInForce(
  tx: Tx,
  planCode: string,
  from: string,
  to: string,
): Promise<VersionInForce[]> {
  const plan = await tx.execute<{ id: string }>(sql`select id from tariff_plans where code = ${planCode}`);
  if (plan.length === 0) throw new AppError('TARIFF_PLAN_UNKNOWN', undefined, { code: planCode });
  const rows = await tx.execute<{ id: string; version: number; effective_from: string; body: unknown }>(sql`
    select id, version, effective_from::text as effective_from, body from tariff_versions
    where plan_id = ${plan[0].id} and status = 'published' and effective_from < ${to}::date
      and effective_from >= coalesce((select max(effective_from) from tariff_versions
        where plan_id = ${plan[0].id} and status = 'published' and effective_from <= ${from}::date), ${from}::date)
    order by effective_from`);
  const list = rows.map((r) => ({
    versionId: r.id,
    version: r.version,
    effectiveFrom: r.effective_from,
    tariff: parsedBody(r.id, r.body),
  }));
  const start = dayOf(from);
  const gap = (day: number) =>
    new AppError('TARIFF_NOT_IN_FORCE', `no version of tariff ${planCode} is in force on ${dateOf(day)}`, {
      date: dateOf(day),
    });
  if (list.length === 0 || dayOf(list[0].effectiveFrom) > start) throw gap(start);
  for (let i = 0; i < list.length; i++) {
    const end = endOf(list, i);
    const nextStart = list[i + 1] ? dayOf(list[i + 1].effectiveFrom) : dayOf(to);
    if (end < nextStart) throw gap(Math.max(end, start));
  }
  return list;
}

/**
 * One format-1 tariff holding the given versions in order, each ending where the next begins, so
 * `quote` cuts the period at version changes (分段计费). Rounding and pro rata scale come from the
 * newest version's body; version names repeated across bodies get the stored number appended.
 */
export function combineVersions(list: VersionInForce[]): Tariff {
  if (list.length === 0) throw new AppError('TARIFF_NOT_IN_FORCE');
  const last = list[list.length - 1].tariff;
  const seen = new Set<string>();
  const versions = list.map((v, i) => {
    const own = v.tariff.versions[0];
    const name = seen.has(own.version) ? `${own.version} v${v.version}` : own.version;
    seen.add(name);
    const next = list[i + 1]?.effectiveFrom;
    const cap =
      own.effectiveTo && next
        ? dayOf(own.effectiveTo) < dayOf(next)
          ? own.effectiveTo
          : next
        : (own.effectiveTo ?? next);
    return { ...own, version: name, effectiveTo: cap };
  });
  return { ...last, versions };
}
