import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Our out_trade_no: `QM` + UTC yyyyMMddHHmmss + 12 random characters (28 in all, unique by index). */
export function newOrderNo(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  let tail = '';
  for (let i = 0; i < 12; i++) tail += ALPHABET[randomInt(ALPHABET.length)];
  return `QM${stamp}${tail}`;
}
