import { readUintLE, sum8 } from '../common/bytes.ts';
import { FrameExtractor, type Probe } from '../common/extractor.ts';
import { END, MAX_USER_DATA, MIN_USER_DATA, START } from './frame.ts';

/**
 * Finds a Q/GDW 1376.1 frame at `i`: 68, two equal L fields with protocol id 1 or 2, 68, then
 * the user data, checksum and 16. A start that fails any check is skipped byte by byte, so the
 * stream resynchronises on the next 68.
 */
export function probe(buf: Uint8Array, i: number, maxUserData = MAX_USER_DATA): Probe {
  if (buf[i] !== START) return { kind: 'no-frame' };
  if (buf.length - i < 6) return { kind: 'need-more' };
  const l = readUintLE(buf, i + 1, 2);
  const len = l >> 2;
  const id = l & 3;
  if (l !== readUintLE(buf, i + 3, 2) || buf[i + 5] !== START || (id !== 1 && id !== 2))
    return { kind: 'no-frame' };
  if (len < MIN_USER_DATA || len > maxUserData) return { kind: 'no-frame' };
  const total = 6 + len + 2;
  if (buf.length - i < total) return { kind: 'need-more' };
  if (buf[i + total - 1] !== END || sum8(buf, i + 6, i + 6 + len) !== buf[i + 6 + len])
    return { kind: 'no-frame' };
  return { kind: 'frame', length: total };
}

/**
 * A stream splitter for TCP/serial input. `maxUserData` bounds the L a start may claim (a noise
 * 68 with a huge L otherwise holds frames back until that many bytes arrived).
 */
export function extractor(opts: { maxUserData?: number } = {}): FrameExtractor {
  const max = opts.maxUserData ?? MAX_USER_DATA;
  return new FrameExtractor((buf, i) => probe(buf, i, max), 6 + max + 2);
}
