import { fail } from '../common/errors.ts';
import { checkFn, checkPn, fnGroup, pnGroupKey } from './pn-fn.ts';
import type { DataItem, Pn } from './types.ts';
import { asObject } from './validate.ts';

/**
 * Which (pn, Fn) items go into which DA/DT data unit. A data unit covers every pair of its points
 * and its Fn, with data in pn-then-Fn order, so a unit is a rectangle inside one DA group and one
 * DT group.
 */
export interface UnitPlan {
  pns: Pn[];
  fns: number[];
  /** Items in wire order: ascending pn, within it ascending Fn. */
  items: DataItem[];
}

const pnOrder = (p: Pn) => (p === 'all' ? -1 : p);
const key = (pn: Pn, fn: number) => `${String(pn)}/${fn}`;

function sortUnique<T>(xs: T[], order: (x: T) => number): T[] {
  return [...new Set(xs)].sort((a, b) => order(a) - order(b));
}

function plan(items: DataItem[]): UnitPlan {
  const pns = sortUnique(
    items.map((i) => i.pn),
    pnOrder,
  );
  const fns = sortUnique(
    items.map((i) => i.fn),
    (f) => f,
  );
  const byKey = new Map(items.map((i) => [key(i.pn, i.fn), i]));
  if (byKey.size !== items.length || pns.length * fns.length !== items.length) {
    fail(
      'ENCODE_INPUT_INVALID',
      `unit items must be every pn × Fn once (pn ${pns.join(',')}; F${fns.join(',F')})`,
    );
  }
  const ordered: DataItem[] = [];
  for (const pn of pns) for (const fn of fns) ordered.push(byKey.get(key(pn, fn)) as DataItem);
  return { pns, fns, items: ordered };
}

function checked(raw: unknown, i: number): DataItem {
  const o = asObject(raw, `units[${i}]`) as unknown as DataItem;
  checkPn(o.pn);
  checkFn(o.fn);
  return o;
}

/** Groups in order of first appearance. */
function groupBy<T>(xs: readonly T[], keyOf: (x: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = keyOf(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return [...m.values()];
}

/**
 * Fewest units for one DA group × DT group: either points sharing the same Fn set form a unit,
 * or Fn sharing the same point set do; the smaller of the two.
 */
function minimalInBucket(items: DataItem[]): DataItem[][] {
  const seen = new Set<string>();
  for (const it of items) {
    const k = key(it.pn, it.fn);
    if (seen.has(k)) fail('ENCODE_INPUT_INVALID', `pn ${String(it.pn)} F${it.fn} appears twice`);
    seen.add(k);
  }
  const fnSetOf = new Map<string, number[]>();
  const pnSetOf = new Map<number, string[]>();
  for (const it of items) {
    const p = String(it.pn);
    fnSetOf.set(p, [...(fnSetOf.get(p) ?? []), it.fn]);
    pnSetOf.set(it.fn, [...(pnSetOf.get(it.fn) ?? []), p]);
  }
  const sig = (xs: (string | number)[]) => [...xs].map(String).sort().join(',');
  const byPoints = groupBy(items, (it) => sig(fnSetOf.get(String(it.pn)) ?? []));
  const byFns = groupBy(items, (it) => sig(pnSetOf.get(it.fn) ?? []));
  return byFns.length < byPoints.length ? byFns : byPoints;
}

export function planUnits(input: readonly unknown[]): UnitPlan[] {
  const items = input.map(checked);
  if (items.length > 0 && items.every((i) => typeof i.unit === 'number')) {
    return groupBy(items, (i) => String(i.unit)).map(plan);
  }
  const buckets = groupBy(items, (i) => `${pnGroupKey(i.pn)}|${fnGroup(i.fn)}`);
  const units = buckets.flatMap(minimalInBucket);
  const first = (u: DataItem[]) => Math.min(...u.map((i) => items.indexOf(i)));
  return units.sort((a, b) => first(a) - first(b)).map(plan);
}
