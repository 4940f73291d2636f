import { localTime } from '../payments/receipt.ts';
import { formatYuan, rmbWords, WORDS_MAX_FEN } from '../payments/rmb-words.ts';
import type { Helper } from '../templating/sandbox.ts';

/** Handlebars passes its options object last; the helpers read the tenant zone from its data. */
interface HelperOptions {
  data?: { timeZone?: string };
}

function fenOf(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d{1,18}$/.test(v)) return BigInt(v);
  return null;
}

function optionsOf(args: unknown[]): HelperOptions {
  return (args[args.length - 1] ?? {}) as HelperOptions;
}

/**
 * The only helpers document templates may call (besides Handlebars' if/unless/each/with/lookup):
 * `{{yuan fen}}` 1234.56, `{{rmb fen}}` 壹仟贰佰叁拾肆元伍角陆分, `{{date iso}}` / `{{datetime iso}}`
 * in the tenant's zone, `{{pad value width "0"}}`, `{{eq a b}}` for conditions. A value they
 * cannot read prints as empty text, never throws.
 */
export const documentHelpers: Readonly<Record<string, Helper>> = Object.freeze({
  yuan: (v: unknown) => {
    const f = fenOf(v);
    return f === null ? '' : formatYuan(f);
  },
  rmb: (v: unknown) => {
    const f = fenOf(v);
    if (f === null) return '';
    const abs = f < 0n ? -f : f;
    if (abs > WORDS_MAX_FEN) return '';
    return (f < 0n ? '负' : '') + rmbWords(abs);
  },
  date: (...args: unknown[]) => {
    const v = args[0];
    if (typeof v !== 'string' || !v) return '';
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
    const t = Date.parse(v);
    if (Number.isNaN(t)) return '';
    return localTime(new Date(t).toISOString(), optionsOf(args).data?.timeZone ?? 'Asia/Shanghai').slice(
      0,
      10,
    );
  },
  datetime: (...args: unknown[]) => {
    const v = args[0];
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) return '';
    return localTime(
      new Date(Date.parse(v)).toISOString(),
      optionsOf(args).data?.timeZone ?? 'Asia/Shanghai',
    );
  },
  pad: (...args: unknown[]) => {
    const [v, width, ch] = args;
    const w = typeof width === 'number' && width >= 0 && width <= 64 ? width : 0;
    const c = typeof ch === 'string' && ch.length === 1 ? ch : '0';
    return String(v ?? '').padStart(w, c);
  },
  eq: (a: unknown, b: unknown) => a === b,
});
