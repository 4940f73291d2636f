import type { ByteLink } from './byte-link.ts';
import { TransportError } from './failure.ts';
import { frameTimeoutMs, type SerialLineParams } from './line-params.ts';

/** A stream splitter (the codecs' `extractor()`): frames out of chunks, preambles and noise skipped. */
export interface Splitter {
  push(chunk: Uint8Array): { frames: Uint8Array[] };
}

/** One request and what answers it. */
export interface FrameExchange {
  /** the request as sent, wake-up preamble included */
  request: Uint8Array;
  /** the expected reply length in bytes, preamble included (for the frame time) */
  replyBytes: number;
  /** the meter's reply latency, ms */
  latencyMs: number;
  splitter(): Splitter;
  /** true when `frame` answers this request (address, function, identifier) */
  accepts(frame: Uint8Array): boolean;
  /** true when `bytes` hold a frame of this protocol whose checksum is wrong */
  badChecksum?(bytes: Uint8Array): boolean;
}

export interface ExchangeStats {
  /** requests sent, retries included */
  sent: number;
}

/**
 * Waits until the line has been quiet for `gapMs`: a master must not talk over the tail of a reply
 * (trailing noise, a late reply to an earlier try), which would garble its request.
 */
async function quiet(link: ByteLink, gapMs: number): Promise<void> {
  for (;;) {
    const left = link.lastRxAt + gapMs - performance.now();
    if (left <= 0) return;
    await new Promise((res) => setTimeout(res, Math.ceil(left)));
  }
}

type Attempt = { frame: Uint8Array } | { frame: null; received: Uint8Array };

function once(link: ByteLink, ex: FrameExchange, timeoutMs: number, signal: AbortSignal): Promise<Attempt> {
  const splitter = ex.splitter();
  const parts: Uint8Array[] = [];
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (a: Attempt | Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      off();
      signal.removeEventListener('abort', onAbort);
      if (a instanceof Error) reject(a);
      else resolve(a);
    };
    const received = (): Uint8Array => {
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    };
    const off = link.onData((chunk) => {
      parts.push(Uint8Array.from(chunk));
      for (const f of splitter.push(chunk).frames) if (ex.accepts(f)) return finish({ frame: f });
    });
    const onAbort = (): void => finish(new TransportError('ABORTED', 'the read was aborted'));
    signal.addEventListener('abort', onAbort);
    const timer = setTimeout(() => finish({ frame: null, received: received() }), timeoutMs);
    link.write(ex.request).catch((e: unknown) => finish(e as Error));
  });
}

/**
 * Sends a request and waits for the frame that answers it, `1 + line.retries` times at most. The
 * wait per try is the frame time of request and reply at the line's baud rate plus the meter's
 * latency and the line margin. Frames that do not answer this request (a late reply to an earlier
 * try, another meter) are skipped. Throws TransportError: NO_REPLY when nothing came on any try,
 * CHECKSUM when a reply came with a wrong checksum, TIMEOUT when bytes came but no whole reply,
 * ABORTED, LINE_UNAVAILABLE.
 */
export async function transact(
  link: ByteLink,
  line: SerialLineParams,
  ex: FrameExchange,
  signal: AbortSignal,
  stats?: ExchangeStats,
): Promise<Uint8Array> {
  const timeoutMs = frameTimeoutMs(line, ex.request.length, ex.replyBytes, ex.latencyMs);
  let heard = false;
  let badSum = false;
  for (let attempt = 0; attempt <= line.retries; attempt++) {
    if (signal.aborted) throw new TransportError('ABORTED', 'the read was aborted');
    await quiet(link, line.idleMs);
    if (stats) stats.sent++;
    const a = await once(link, ex, timeoutMs, signal);
    if (a.frame) return a.frame;
    if (a.received.length > 0) {
      heard = true;
      if (ex.badChecksum?.(a.received)) badSum = true;
    }
    if (!link.open) throw new TransportError('LINE_UNAVAILABLE', `line ${line.key} closed`);
  }
  const tries = `${line.retries + 1} tries of ${timeoutMs} ms`;
  if (badSum) throw new TransportError('CHECKSUM', `reply with a wrong checksum (${tries})`);
  if (heard) throw new TransportError('TIMEOUT', `no whole reply (${tries})`);
  throw new TransportError('NO_REPLY', `no reply (${tries})`);
}

/** Sends a frame nobody answers (a broadcast): waits only for its wire time. */
export async function sendOnly(link: ByteLink, line: SerialLineParams, request: Uint8Array): Promise<void> {
  await link.write(request);
  await new Promise((res) => setTimeout(res, frameTimeoutMs(line, request.length, 0, 0)));
}

/** `n` FE wake-up bytes before `frame`. */
export function withWake(frame: Uint8Array, n: number): Uint8Array {
  if (n <= 0) return frame;
  const out = new Uint8Array(n + frame.length).fill(0xfe, 0, n);
  out.set(frame, n);
  return out;
}

/** The first checksum-only fault in `bytes`: a frame found by `frameAt` whose sum byte is wrong. */
export function hasBadSum(
  bytes: Uint8Array,
  frameAt: (b: Uint8Array, i: number) => { sumFrom: number; end: number } | null,
): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const f = frameAt(bytes, i);
    if (!f || f.end > bytes.length || bytes[f.end - 1] !== 0x16) continue;
    let s = 0;
    for (let j = f.sumFrom; j < f.end - 2; j++) s = (s + bytes[j]) & 0xff;
    if (s !== bytes[f.end - 2]) return true;
  }
  return false;
}
