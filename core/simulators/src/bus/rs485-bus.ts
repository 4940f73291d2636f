import { performance } from 'node:perf_hooks';
import type { FrameExtractor } from '../../../protocols/src/common/extractor.ts';
import { createPrng, type Prng } from '../time/prng.ts';
import type { BusDevice } from './bus-device.ts';
import { BITS_PER_BYTE_8E1, byteTimeMs, superimpose } from './line-timing.ts';

export interface Rs485BusOptions {
  /** line speed, default 2400 (DL/T 645-2007, CJ/T 188 and M-Bus defaults) */
  baud?: number;
  bitsPerByte?: number;
  /** probability that any one frame on the line is lost */
  loss?: number;
  /** probability that any one frame gets one bit flipped */
  corruption?: number;
  /** PRNG seed for loss, corruption and chunking */
  seed?: number;
  /** largest chunk handed to the master at once (bytes arrive in 1..maxChunk pieces) */
  maxChunk?: number;
  /**
   * Idle time after which the meters' receivers drop a half-received frame, ms (default the
   * larger of 30 ms and 10 byte times). Without it a meter that took a foreign frame for the
   * start of its own would wait for bytes that never come.
   */
  frameGapMs?: number;
}

export interface BusStats {
  requestFrames: number;
  replies: number;
  collisions: number;
  lost: number;
  corrupted: number;
}

export type BusListener = (chunk: Uint8Array) => void;

interface TimerHandle {
  t: NodeJS.Timeout | undefined;
}

interface Reply {
  start: number;
  bytes: Uint8Array;
}

/**
 * One half-duplex RS-485 line. The master's bytes take their wire time before the meters see
 * them; every frame is offered to all devices of its protocol; each reply starts after the
 * device's Td; replies that overlap in time collide and reach the master garbled; the master
 * receives the line in chunks at the pace of the baud rate.
 */
export class Rs485Bus {
  readonly baud: number;
  readonly byteMs: number;
  readonly stats: BusStats = { requestFrames: 0, replies: 0, collisions: 0, lost: 0, corrupted: 0 };
  private readonly devices: BusDevice[] = [];
  private readonly extractors = new Map<string, FrameExtractor>();
  private readonly listeners = new Set<BusListener>();
  private readonly timers = new Set<TimerHandle>();
  private readonly prng: Prng;
  private readonly loss: number;
  private readonly corruption: number;
  private readonly maxChunk: number;
  private readonly frameGapMs: number;
  private masterFreeAt = 0;
  private lastHeard = Number.NEGATIVE_INFINITY;
  private repliesUntil = 0;
  private closed = false;

  constructor(o: Rs485BusOptions = {}) {
    this.baud = o.baud ?? 2400;
    this.byteMs = byteTimeMs(this.baud, o.bitsPerByte ?? BITS_PER_BYTE_8E1);
    this.prng = createPrng(o.seed ?? 1);
    this.loss = o.loss ?? 0;
    this.corruption = o.corruption ?? 0;
    this.maxChunk = Math.max(1, o.maxChunk ?? 16);
    this.frameGapMs = o.frameGapMs ?? Math.max(30, 10 * this.byteMs);
  }

  addDevice(d: BusDevice): void {
    this.devices.push(d);
    if (!this.extractors.has(d.protocol)) this.extractors.set(d.protocol, d.createExtractor());
  }

  get deviceList(): readonly BusDevice[] {
    return this.devices;
  }

  /** Subscribes to what the master receives; returns the unsubscribe function. */
  onData(fn: BusListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The master transmits `bytes`. */
  write(bytes: Uint8Array): void {
    if (this.closed || bytes.length === 0) return;
    const now = performance.now();
    const start = Math.max(now, this.masterFreeAt);
    const end = start + bytes.length * this.byteMs;
    this.masterFreeAt = end;
    // a master talking over a meter's reply: the meters see garbage (timers may fire up to a
    // millisecond early, so a master answering the last byte at once is not counted)
    const collided = start < this.repliesUntil - Math.max(1, this.byteMs);
    if (collided) this.stats.collisions++;
    const copy = collided ? new Uint8Array(bytes.length).fill(0) : Uint8Array.from(bytes);
    this.at(end, () => this.deliver(copy, start, end));
  }

  private deliver(bytes: Uint8Array, start: number, at: number): void {
    if (start - this.lastHeard > this.frameGapMs) for (const x of this.extractors.values()) x.reset();
    this.lastHeard = at;
    const replies: Reply[] = [];
    for (const [protocol, x] of this.extractors) {
      for (const frame of x.push(bytes).frames) {
        this.stats.requestFrames++;
        if (this.prng.chance(this.loss)) {
          this.stats.lost++;
          continue;
        }
        const seen = this.maybeCorrupt(frame);
        for (const d of this.devices) {
          if (d.protocol !== protocol) continue;
          const reply = safeHandle(d, seen === frame ? Uint8Array.from(frame) : seen);
          if (reply && reply.length > 0) replies.push({ start: at + d.latencyMs, bytes: reply });
        }
      }
    }
    for (const r of replies) {
      this.stats.replies++;
      if (this.prng.chance(this.loss)) {
        this.stats.lost++;
        continue;
      }
      this.transmit(r.start, this.maybeCorrupt(r.bytes));
    }
  }

  /** Puts a reply on the line, superimposing it on any reply it overlaps. */
  private pending: {
    start: number;
    parts: { offset: number; bytes: Uint8Array }[];
    timer?: TimerHandle;
  }[] = [];

  private transmit(start: number, bytes: Uint8Array): void {
    const end = start + bytes.length * this.byteMs;
    const hit = this.pending.find((b) => start < b.start + burstLen(b) * this.byteMs && end > b.start);
    if (hit) {
      this.stats.collisions++;
      const offset = Math.round((start - hit.start) / this.byteMs);
      if (offset >= 0) hit.parts.push({ offset, bytes });
      else {
        for (const p of hit.parts) p.offset -= offset;
        hit.parts.push({ offset: 0, bytes });
        hit.start = start;
      }
    } else {
      this.pending.push({ start, parts: [{ offset: 0, bytes }] });
    }
    this.repliesUntil = Math.max(this.repliesUntil, end);
    // bursts are cut into chunks only when they start, so later overlapping replies still merge
    const burst = hit ?? this.pending[this.pending.length - 1];
    if (burst.timer) this.cancel(burst.timer);
    burst.timer = this.at(burst.start, () => {
      this.pending = this.pending.filter((b) => b !== burst);
      this.emit(burst.start, superimpose(burst.parts));
    });
  }

  /** Hands the line to the master in chunks, each when its last byte has arrived, in order. */
  private emit(start: number, line: Uint8Array): void {
    const ends: number[] = [];
    for (let i = 0; i < line.length; ) {
      i += Math.min(line.length - i, 1 + this.prng.int(this.maxChunk));
      ends.push(i);
    }
    let k = 0;
    const next = (): void => {
      const chunk = line.slice(k === 0 ? 0 : ends[k - 1], ends[k]);
      k++;
      for (const fn of this.listeners) fn(chunk);
      if (k < ends.length) this.at(start + ends[k] * this.byteMs, next);
    };
    if (ends.length > 0) this.at(start + ends[0] * this.byteMs, next);
  }

  private maybeCorrupt(frame: Uint8Array): Uint8Array {
    if (!this.prng.chance(this.corruption)) return frame;
    this.stats.corrupted++;
    const out = Uint8Array.from(frame);
    const i = this.prng.int(out.length);
    out[i] ^= 1 << this.prng.int(8);
    return out;
  }

  /**
   * Runs `fn` at `when` (performance.now() time), never before it: timers may fire up to a
   * millisecond early, which would make a prompt master look like it talked over the reply.
   */
  private at(when: number, fn: () => void): TimerHandle {
    const h: TimerHandle = { t: undefined };
    const fire = (): void => {
      const left = when - performance.now();
      if (left > 0) {
        h.t = setTimeout(fire, Math.ceil(left));
        return;
      }
      this.timers.delete(h);
      if (!this.closed) fn();
    };
    h.t = setTimeout(fire, Math.ceil(Math.max(0, when - performance.now())));
    this.timers.add(h);
    return h;
  }

  private cancel(h: TimerHandle): void {
    clearTimeout(h.t);
    this.timers.delete(h);
  }

  /** Stops every pending delivery; the bus is unusable afterwards. */
  close(): void {
    this.closed = true;
    for (const h of this.timers) clearTimeout(h.t);
    this.timers.clear();
    this.listeners.clear();
  }
}

function burstLen(b: { parts: { offset: number; bytes: Uint8Array }[] }): number {
  let n = 0;
  for (const p of b.parts) n = Math.max(n, p.offset + p.bytes.length);
  return n;
}

/** A device that throws is a device that stays silent (its bug must not take the line down). */
function safeHandle(d: BusDevice, frame: Uint8Array): Uint8Array | null {
  try {
    return d.handle(frame);
  } catch {
    return null;
  }
}
