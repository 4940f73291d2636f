/**
 * Amounts for receipts: fen → 元 with two decimals, and fen → 人民币大写 as the People's Bank's
 * rules for filling in vouchers write it: 壹拾 (never a bare 拾), one 零 for a run of zeros
 * inside the number, 整 after 元 or 角 when no 分 follows, no 零元 before a pure 角/分 amount.
 * Integer arithmetic on bigint only.
 */
const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES = ['', '拾', '佰', '仟'];
const SECTIONS = ['', '万', '亿'];
/** 大写 covers up to 9999,9999,9999.99 元 (three sections), far above any counter payment. */
export const WORDS_MAX_FEN = 10n ** 14n - 1n;

/** 123456 → '1234.56'; -5 → '-0.05'. */
export function formatYuan(fen: bigint | number): string {
  const f = BigInt(fen);
  const abs = f < 0n ? -f : f;
  const text = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return f < 0n ? `-${text}` : text;
}

/** One four-digit section (1–9999) in words, with 零 for its inner zeros. */
function sectionWords(n: number): string {
  let out = '';
  let zero = false;
  for (let place = 3; place >= 0; place--) {
    const d = Math.floor(n / 10 ** place) % 10;
    if (d === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d] + PLACES[place];
  }
  return out;
}

/** The 元 part (> 0) in words, without 元. */
function yuanWords(yuan: bigint): string {
  const sections: number[] = [];
  for (let y = yuan; y > 0n; y /= 10000n) sections.push(Number(y % 10000n));
  let out = '';
  let zero = false;
  for (let i = sections.length - 1; i >= 0; i--) {
    const s = sections[i];
    if (s === 0) {
      if (out) zero = true;
      continue;
    }
    // a gap before this section: zeros at its head or whole zero sections in between
    if (out && (zero || s < 1000)) out += '零';
    zero = false;
    out += sectionWords(s) + SECTIONS[i];
  }
  return out;
}

/** 12345 → '壹佰贰拾叁元肆角伍分'; 10000 → '壹佰元整'; 0 → '零元整'. */
export function rmbWords(fen: bigint | number): string {
  const f = BigInt(fen);
  if (f < 0n || f > WORDS_MAX_FEN) throw new RangeError(`amount out of range for 大写: ${f}`);
  const yuan = f / 100n;
  const jiao = Number((f / 10n) % 10n);
  const fenDigit = Number(f % 10n);
  if (f === 0n) return '零元整';
  let out = yuan > 0n ? `${yuanWords(yuan)}元` : '';
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (fenDigit > 0 && yuan > 0n) out += '零';
  if (fenDigit > 0) out += `${DIGITS[fenDigit]}分`;
  else out += '整';
  return out;
}
