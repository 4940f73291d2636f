/**
 * Byte-stream framing shared by the serial protocols. A codec supplies `probe`, which looks at the
 * buffer from `offset` and says whether a whole frame starts there, more bytes are needed, or the
 * byte there cannot start a frame. The extractor skips garbage and preambles, keeps partial frames
 * across chunks and reports what it dropped.
 */
export type Probe = { kind: 'frame'; length: number } | { kind: 'need-more' } | { kind: 'no-frame' };

export type ProbeFn = (buf: Uint8Array, offset: number) => Probe;

export interface ExtractResult {
  frames: Uint8Array[];
  /** bytes skipped because no frame could start there (preambles, line noise, corrupt frames) */
  discarded: number;
}

/** Smallest frame that may prove a pending start was noise (M-Bus short frame, DL/T 645 is 12). */
const MIN_RESYNC = 5;

export class FrameExtractor {
  private buf: Uint8Array = new Uint8Array(0);
  private readonly probe: ProbeFn;
  private readonly maxBuffered: number;

  constructor(probe: ProbeFn, maxBuffered = 4096) {
    this.probe = probe;
    this.maxBuffered = maxBuffered;
  }

  /** Feeds a chunk; returns every complete frame now available, in order. */
  push(chunk: Uint8Array): ExtractResult {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf, 0);
    joined.set(chunk, this.buf.length);
    const frames: Uint8Array[] = [];
    let discarded = 0;
    let i = 0;
    while (i < joined.length) {
      const p = this.probe(joined, i);
      if (p.kind === 'frame') {
        frames.push(joined.slice(i, i + p.length));
        i += p.length;
      } else if (p.kind === 'need-more') {
        if (joined.length - i > this.maxBuffered) {
          i++;
          discarded++;
          continue;
        }
        // A start byte in the noise after a frame's end byte (or a cut frame) claims more bytes
        // than will come; a whole frame already behind it proves it was noise.
        const next = this.completeFrameAfter(joined, i);
        if (next < 0) break;
        discarded += next - i;
        i = next;
      } else {
        i++;
        discarded++;
      }
    }
    this.buf = joined.slice(i);
    return { frames, discarded };
  }

  /**
   * Offset of the first whole frame after `from` (frames of at least MIN_RESYNC bytes, so a
   * single M-Bus E5 inside a half-received long frame does not count), or -1.
   */
  private completeFrameAfter(buf: Uint8Array, from: number): number {
    for (let j = from + 1; j < buf.length; j++) {
      const p = this.probe(buf, j);
      if (p.kind === 'frame' && p.length >= MIN_RESYNC) return j;
    }
    return -1;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = new Uint8Array(0);
  }
}
