import { AppError } from '../errors.ts';
import { type Decimal, parseDecimal, pow10, rescale } from './decimal.ts';
import { divRound, type Rounding, roundingModes } from './rounding.ts';

/** Money is an integer number of fen (分), always a safe integer. */
export type Fen = number;

export const MAX_PRICE_DECIMALS = 6;
export const MAX_QUANTITY_DECIMALS = 6;
const MAX_WEIGHT_DECIMALS = 12;

function invalid(what: string, message: string): AppError {
  return new AppError('REQ_VALIDATION', `${what}: ${message}`, [{ path: what, message }]);
}

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function assertFen(value: unknown, what = 'amount'): asserts value is Fen {
  if (!isFen(value)) throw invalid(what, `must be a whole number of fen, got ${String(value)}`);
}

function toFen(value: bigint, what: string): Fen {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw invalid(what, 'exceeds the largest amount that can be represented');
  }
  return Number(value);
}

/** '12.34' → 1234. Exact; at most two decimal places. */
function fromYuan(text: string): Fen {
  const d = parseDecimal(text, 'yuan', 2);
  return toFen(rescale(d, 2), 'yuan');
}

/** 1234 → '12.34', -5 → '-0.05'. */
function toYuan(fen: Fen): string {
  assertFen(fen);
  const abs = Math.abs(fen);
  const sign = fen < 0 ? '-' : '';
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function add(a: Fen, b: Fen): Fen {
  assertFen(a, 'a');
  assertFen(b, 'b');
  return toFen(BigInt(a) + BigInt(b), 'sum');
}

function sub(a: Fen, b: Fen): Fen {
  assertFen(a, 'a');
  assertFen(b, 'b');
  return toFen(BigInt(a) - BigInt(b), 'difference');
}

function sum(amounts: readonly Fen[]): Fen {
  let total = 0n;
  amounts.forEach((a, i) => {
    assertFen(a, `amounts.${i}`);
    total += BigInt(a);
  });
  return toFen(total, 'sum');
}

/**
 * quantity × unit price in yuan, as fen, rounded once by `rounding`. Both are decimal strings
 * ('12.345' kWh × '0.5283' yuan/kWh); the product is exact before the one rounding.
 */
function mulPrice(quantity: string, price: string, rounding: Rounding): Fen {
  if (!roundingModes.includes(rounding))
    throw invalid('rounding', `must be one of ${roundingModes.join(', ')}`);
  const q = parseDecimal(quantity, 'quantity', MAX_QUANTITY_DECIMALS);
  const p = parseDecimal(price, 'price', MAX_PRICE_DECIMALS);
  return toFen(divRound(q.units * p.units * 100n, pow10(q.scale + p.scale), rounding), 'amount');
}

function weightOf(w: number | string, i: number): Decimal {
  const what = `weights.${i}`;
  if (typeof w === 'number' && !Number.isFinite(w)) throw invalid(what, 'must be finite');
  const d = parseDecimal(typeof w === 'number' ? String(w) : w, what, MAX_WEIGHT_DECIMALS);
  if (d.units < 0n) throw invalid(what, 'must not be negative');
  return d;
}

/**
 * Splits `total` fen in proportion to `weights` (numbers or decimal strings, e.g. floor areas)
 * by the largest-remainder method: the parts always add up to `total` exactly; ties go to the
 * earlier weight. A negative total is split as its absolute value and negated.
 */
function allocate(total: Fen, weights: readonly (number | string)[]): Fen[] {
  assertFen(total, 'total');
  if (weights.length === 0) throw invalid('weights', 'must not be empty');
  const ds = weights.map(weightOf);
  const scale = Math.max(...ds.map((d) => d.scale));
  const ws = ds.map((d) => rescale(d, scale));
  const wsum = ws.reduce((a, b) => a + b, 0n);
  if (wsum === 0n) throw invalid('weights', 'must not all be zero');
  const t = BigInt(Math.abs(total));
  const shares = ws.map((w) => (t * w) / wsum);
  const rems = ws.map((w, i) => ({ i, r: (t * w) % wsum }));
  let left = t - shares.reduce((a, b) => a + b, 0n);
  rems.sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  for (const { i } of rems) {
    if (left === 0n) break;
    shares[i] += 1n;
    left -= 1n;
  }
  return shares.map((s) => (total < 0 && s !== 0n ? -Number(s) : Number(s)));
}

/** Localized currency text, e.g. '¥1,234.56' (zh-CN) or 'CN¥1,234.56' (en). */
function format(fen: Fen, locale = 'zh-CN'): string {
  const text = toYuan(fen) as `${number}`;
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' }).format(text);
}

export const Money = {
  isFen,
  assertFen,
  fromYuan,
  toYuan,
  add,
  sub,
  sum,
  mulPrice,
  allocate,
  format,
} as const;
