import { FrameExtractor, type Probe, sum8 } from '../common/index.ts';
import { ACK, START_LONG, START_SHORT, STOP } from './link.ts';

const NO_FRAME: Probe = { kind: 'no-frame' };
const NEED_MORE: Probe = { kind: 'need-more' };

/**
 * Finds an M-Bus frame at `i`: E5, a short frame with a right checksum and stop byte, or a control/long
 * frame whose two L fields agree and whose checksum and stop byte are right. Anything else is skipped.
 */
export function probe(buf: Uint8Array, i: number): Probe {
  const start = buf[i];
  if (start === ACK) return { kind: 'frame', length: 1 };
  if (start === START_SHORT) {
    if (buf.length - i < 5) return NEED_MORE;
    const ok = buf[i + 4] === STOP && ((buf[i + 1] + buf[i + 2]) & 0xff) === buf[i + 3];
    return ok ? { kind: 'frame', length: 5 } : NO_FRAME;
  }
  if (start !== START_LONG) return NO_FRAME;
  const have = buf.length - i;
  if (have < 2) return NEED_MORE;
  const l = buf[i + 1];
  if (l < 3) return NO_FRAME;
  if (have < 3) return NEED_MORE;
  if (buf[i + 2] !== l) return NO_FRAME;
  if (have < 4) return NEED_MORE;
  if (buf[i + 3] !== START_LONG) return NO_FRAME;
  const total = l + 6;
  if (have < total) return NEED_MORE;
  const ok = buf[i + total - 1] === STOP && sum8(buf, i + 4, i + 4 + l) === buf[i + 4 + l];
  return ok ? { kind: 'frame', length: total } : NO_FRAME;
}

export function extractor(): FrameExtractor {
  return new FrameExtractor(probe);
}
