import { AppError, isAppError } from '@quadmeter/sdk';
import type { Tx } from '../../../db/client.ts';
import type { Actor } from '../../identity/actor.ts';
import { dateOf, dayOf } from '../tariff/dates.ts';
import { D } from '../tariff/decimal.ts';
import { parseUsage, quote, type Tariff } from '../tariff/index.ts';
import { parseVersionBody } from './body.ts';
import { combineVersions, versionsInForce } from './in-force.ts';
import { getPlan } from './plans.ts';
import { getVersion } from './versions.ts';
import {
  type AccountUsage,
  loadAccountUsage,
  type MeterUsage,
  type WhatIfSelection,
  yearlyCycleStarts,
} from './what-if-usage.ts';

export interface WhatIfRow {
  accountId: string;
  number: string;
  customerName: string;
  meters: number;
  consumption: string;
  /** under the published version(s) in force; null when none is or the usage does not fit */
  currentFen: number | null;
  draftFen: number | null;
  differenceFen: number | null;
  /** the error code when an amount could not be computed (e.g. TARIFF_USAGE_INVALID) */
  error?: string;
}

export interface WhatIf {
  period: { from: string; to: string };
  version: number;
  /** the published versions that price the period now, or [] (then every currentFen is null) */
  currentVersions: number[];
  currentError?: string;
  accounts: WhatIfRow[];
  /** each amount sums the rows that have it; differenceFen and compared: rows with both amounts */
  totals: { accounts: number; compared: number; currentFen: number; draftFen: number; differenceFen: number };
}

/** The version's tariff made to apply over the whole period: "as if it had been in force then". */
function throughout(t: Tariff, from: string): Tariff {
  const { effectiveTo: _drop, ...v } = t.versions[0];
  return { ...t, versions: [{ ...v, effectiveFrom: from }] };
}

function usageOf(a: AccountUsage, m: MeterUsage, sel: WhatIfSelection, cycleStart?: string) {
  const daily: { date: string; consumption: string }[] = [];
  for (let d = dayOf(sel.period.from); d < dayOf(sel.period.to); d++) {
    const date = dateOf(d);
    daily.push({ date, consumption: new D(m.daily.get(date) ?? '0').toDecimalPlaces(6).toFixed() });
  }
  return parseUsage({
    period: sel.period,
    daily,
    lowIncome: a.lowIncome,
    ...(a.householdSize !== undefined && { householdSize: a.householdSize }),
    ...(a.heatedArea !== undefined && { heatedArea: a.heatedArea }),
    ...(cycleStart && { yearToDate: new D(m.ytd[cycleStart]).toDecimalPlaces(6).toFixed() }),
  });
}

/** One account's total fen under a tariff: the sum of its meters' quotes. */
function price(t: Tariff, a: AccountUsage, sel: WhatIfSelection): number {
  const cycle = yearlyCycleStarts(t)[0];
  return a.meters.reduce((s, m) => s + quote(t, usageOf(a, m, sel, cycle)).totalFen, 0);
}

function attempt(
  t: Tariff | null,
  a: AccountUsage,
  sel: WhatIfSelection,
): { fen: number | null; error?: string } {
  if (!t) return { fen: null };
  try {
    return { fen: price(t, a, sel) };
  } catch (e) {
    if (isAppError(e)) return { fen: null, error: e.code };
    throw e;
  }
}

/**
 * Prices the selected accounts' real usage in the period under version `versionId` (as if in force
 * throughout) and under the published version(s) in force, per account and in total.
 */
export async function whatIf(
  tx: Tx,
  actor: Actor,
  planId: string,
  versionId: string,
  sel: WhatIfSelection,
): Promise<WhatIf> {
  const plan = await getPlan(tx, planId);
  const v = await getVersion(tx, planId, versionId);
  const draft = throughout(parseVersionBody(plan, v.body), sel.period.from);
  let current: Tariff | null = null;
  let currentVersions: number[] = [];
  let currentError: string | undefined;
  try {
    const list = await versionsInForce(tx, plan.code, sel.period.from, sel.period.to);
    current = combineVersions(list);
    currentVersions = list.map((x) => x.version);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'TARIFF_NOT_IN_FORCE') throw e;
    currentError = e.code;
  }
  const starts = [...new Set([...yearlyCycleStarts(draft), ...(current ? yearlyCycleStarts(current) : [])])];
  const usage = await loadAccountUsage(tx, actor, plan, sel, starts);
  if (sel.accountIds && usage.length < new Set(sel.accountIds).size)
    throw new AppError(
      'RESOURCE_NOT_FOUND',
      'An account is not found, not on this plan or outside your scope',
    );
  const accounts = usage.map((a): WhatIfRow => {
    const cur = attempt(current, a, sel);
    const dr = attempt(draft, a, sel);
    const consumption = a.meters
      .flatMap((m) => [...m.daily.values()])
      .reduce((s, x) => s.plus(x), new D(0))
      .toFixed();
    const error = dr.error ?? cur.error;
    return {
      accountId: a.accountId,
      number: a.number,
      customerName: a.customerName,
      meters: a.meters.length,
      consumption,
      currentFen: cur.fen,
      draftFen: dr.fen,
      differenceFen: cur.fen !== null && dr.fen !== null ? dr.fen - cur.fen : null,
      ...(error && { error }),
    };
  });
  const total = (k: 'currentFen' | 'draftFen' | 'differenceFen') =>
    accounts.reduce((s, r) => s + (r[k] ?? 0), 0);
  return {
    period: sel.period,
    version: v.version,
    currentVersions,
    ...(currentError && { currentError }),
    accounts,
    totals: {
      accounts: accounts.length,
      compared: accounts.filter((r) => r.differenceFen !== null).length,
      currentFen: total('currentFen'),
      draftFen: total('draftFen'),
      differenceFen: total('differenceFen'),
    },
  };
}
