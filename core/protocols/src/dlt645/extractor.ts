import { sum8 } from '../common/bytes.ts';
import { FrameExtractor, type Probe } from '../common/extractor.ts';
import { END, MAX_DATA, OVERHEAD, START } from './link.ts';

/**
 * Finds a DL/T 645 frame at `i`: 68, six address bytes, 68, C, L ≤ 200, data, CS, 16. FE
 * wake-up bytes and anything else that cannot start a frame are skipped one byte at a time, so
 * a corrupt frame costs only its first byte and a real frame behind it is still found.
 */
export function probe(buf: Uint8Array, i: number): Probe {
  if (buf[i] !== START) return { kind: 'no-frame' };
  if (i + 10 > buf.length) return { kind: 'need-more' };
  if (buf[i + 7] !== START || buf[i + 9] > MAX_DATA) return { kind: 'no-frame' };
  const length = OVERHEAD + buf[i + 9];
  if (i + length > buf.length) return { kind: 'need-more' };
  if (buf[i + length - 1] !== END) return { kind: 'no-frame' };
  if (sum8(buf, i, i + length - 2) !== buf[i + length - 2]) return { kind: 'no-frame' };
  return { kind: 'frame', length };
}

/** A stream splitter for DL/T 645 (both editions); frames come out without their FE preamble. */
export function extractor(): FrameExtractor {
  return new FrameExtractor(probe);
}
