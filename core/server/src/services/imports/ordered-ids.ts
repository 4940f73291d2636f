import { randomBytes } from 'node:crypto';

/**
 * Time-ordered UUIDs (RFC 9562 version 7: 48-bit Unix milliseconds, then a 12-bit counter in
 * rand_a and 62 random bits) for rows written in bulk: consecutive ids sort together, so a
 * 100k-row import appends to the right edge of the primary-key index and its routes' and events'
 * foreign-key checks find the new meters on the same few pages, instead of touching a random leaf
 * per row as version-4 ids do. Within one process the ids are strictly increasing (the counter
 * carries into the timestamp when a millisecond runs out of it).
 */
let lastMs = 0;
let counter = 0;
/** random bytes drawn 4 KiB at a time (one call per 256 ids) */
let pool = Buffer.alloc(0);
let at = 0;

export function orderedUuid(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  if (at + 16 > pool.length) {
    pool = randomBytes(4096);
    at = 0;
  }
  const b = Buffer.from(pool.subarray(at, at + 16));
  at += 16;
  const ms = lastMs;
  b[0] = Math.floor(ms / 2 ** 40) & 0xff;
  b[1] = Math.floor(ms / 2 ** 32) & 0xff;
  b[2] = (ms >>> 24) & 0xff;
  b[3] = (ms >>> 16) & 0xff;
  b[4] = (ms >>> 8) & 0xff;
  b[5] = ms & 0xff;
  b[6] = 0x70 | (counter >>> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
