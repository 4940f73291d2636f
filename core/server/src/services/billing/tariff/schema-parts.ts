import { z } from 'zod';
import { isDate, isMonthDay } from './dates.ts';

/**
 * A decimal given as JSON text ("0.4883") or a JSON number (0.4883), kept as text. No exponent,
 * at most `places` decimals, at most `max` in size; negative only when allowed.
 */
export function dec(opts: { places: number; max: number; negative?: boolean }) {
  const re = new RegExp(`^${opts.negative ? '-?' : ''}\\d{1,15}(\\.\\d{1,${opts.places}})?$`);
  return z.union([z.string().max(40), z.number()]).transform((v, ctx) => {
    const s = typeof v === 'number' ? String(v) : v;
    if (!re.test(s)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a ${opts.negative ? '' : 'non-negative '}decimal with at most ${opts.places} decimal places, e.g. "0.4883"`,
      });
      return z.NEVER;
    }
    if (Math.abs(Number(s)) > opts.max) {
      ctx.addIssue({ code: 'custom', message: `at most ${opts.max}` });
      return z.NEVER;
    }
    return s;
  });
}

/** Prices in yuan per unit: up to 6 places. */
export const price = dec({ places: 6, max: 100_000 });
/** Quantities (kWh, m³, GJ, persons' shift): up to 6 places. */
export const quantity = dec({ places: 6, max: 1_000_000_000 });
/** Amounts in yuan (fixed charges, minimums). */
export const amount = dec({ places: 6, max: 10_000_000 });
/** Ratios of a band price to the base price. */
export const ratio = dec({ places: 6, max: 100 });

export const date = z
  .string()
  .max(10)
  .refine(isDate, { message: 'expected a calendar date YYYY-MM-DD (1970–2199)' });
export const monthDayText = z.string().max(5).refine(isMonthDay, { message: 'expected MM-DD (not 02-29)' });
export const time = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'expected HH:MM, 00:00–24:00' });

/** Whether text holds a C0 control character or DEL (tabs and newlines allowed when `lines`). */
export function hasControl(s: string, lines: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && !(lines && (c === 9 || c === 10 || c === 13))) || c === 127) return true;
  }
  return false;
}

/** Text without control characters (NUL and the like cannot be stored or printed safely). */
export const plain = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !hasControl(s, false), { message: 'control characters are not allowed' });

export const label = z.strictObject({ 'zh-CN': plain(100), en: plain(100) });
export const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'expected lower-case letters, digits, - and _' });
export const months = z.array(z.number().int().min(1).max(12)).min(1).max(12);

export const bandIds = ['sharp', 'peak', 'flat', 'valley'] as const;
export const band = z.enum(bandIds);
export type Band = (typeof bandIds)[number];

export const bandLabels: Record<Band, { 'zh-CN': string; en: string }> = {
  sharp: { 'zh-CN': '尖', en: 'critical peak' },
  peak: { 'zh-CN': '峰', en: 'peak' },
  flat: { 'zh-CN': '平', en: 'flat' },
  valley: { 'zh-CN': '谷', en: 'valley' },
};

/** Issues when `sets` of months do not cover each of the 12 months exactly once. */
export function partitionIssues(sets: readonly (readonly number[])[]): string | null {
  const seen = new Map<number, number>();
  for (const s of sets) for (const m of s) seen.set(m, (seen.get(m) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([m]) => m);
  const missing = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].filter((m) => !seen.has(m));
  if (twice.length) return `months listed twice: ${twice.join(', ')}`;
  if (missing.length) return `months not covered: ${missing.join(', ')}`;
  return null;
}
