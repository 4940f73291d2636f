import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = new Uint8Array(8 * 1024);
let poolAt = pool.length;
let lastMs = 0;
let seq = 0;

/**
 * A time-ordered UUID (RFC 9562 version 7) for rows written in bulk: 48 bits of Unix milliseconds,
 * then a 12-bit sequence (rand_a used as a counter, method 1 of §6.2), then 62 random bits. Ids made
 * one after another in this process increase strictly, so the B-tree indexes keyed by them take each
 * new entry at their right edge instead of on a random leaf: a bill run's bills and lines (and the
 * ledger's `bill:<id>:<category>` key), an import's meters (whose routes' and events' foreign-key
 * checks then find the new meters on a few pages). PostgreSQL 15 has no uuidv7(), so we make them.
 */
export function orderedUuid(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else if (++seq > 0xfff) {
    // 4,096 ids in one millisecond: borrow the next one (stays monotonic, drifts a millisecond)
    lastMs++;
    seq = 0;
  }
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const r = pool.subarray(poolAt, poolAt + 8);
  poolAt += 8;
  const ms = lastMs;
  const hi = Math.floor(ms / 0x10000); // top 32 bits of the 48-bit timestamp
  const lo = ms % 0x10000;
  const h = (n: number) => HEX[n & 0xff];
  return (
    `${h(hi >>> 24)}${h(hi >>> 16)}${h(hi >>> 8)}${h(hi)}-${h(lo >>> 8)}${h(lo)}-` +
    `${h(0x70 | (seq >>> 8))}${h(seq)}-${h(0x80 | (r[0] & 0x3f))}${h(r[1])}-` +
    `${h(r[2])}${h(r[3])}${h(r[4])}${h(r[5])}${h(r[6])}${h(r[7])}`
  );
}
