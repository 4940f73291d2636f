import type { Socket } from 'node:net';
import type { FrameExtractor } from '@quadmeter/protocols';
import type * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import type { GatewayAddress } from '@quadmeter/sdk';
import { disconnected, LinkError } from './failure.ts';
import { gatewayKey } from './gateway.ts';

/** One request waiting for its reply frames (at most one per connection at a time). */
interface Pending {
  seq: number;
  afn: string;
  frames: gdw.GdwFrame[];
  timeoutMs: number;
  timer: NodeJS.Timeout;
  resolve(frames: gdw.GdwFrame[]): void;
  reject(e: Error): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export interface ExchangeOptions {
  /** the AFN the reply carries (besides AFN 00 confirm / deny) */
  afn: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One concentrator connection. Idle it holds the socket, its address once logged in, the time it
 * was last heard, the next PSEQ and the frame splitter; a request adds one pending entry and one
 * timer until its reply is complete. Requests on one link run one after another.
 */
export class Session {
  readonly socket: Socket;
  readonly openedAt: number;
  lastSeen: number;
  gateway: GatewayAddress | undefined;
  tenantId: string | undefined;
  closed = false;
  /** frames ignored because their sequence or AFN matched no outstanding request */
  ignored = 0;
  private readonly splitter: FrameExtractor;
  private pseq = 0;
  private pending: Pending | undefined;
  private tail: Promise<unknown> | undefined;
  private events: Promise<unknown> | undefined;

  constructor(socket: Socket, splitter: FrameExtractor, now: number) {
    this.socket = socket;
    this.splitter = splitter;
    this.openedAt = now;
    this.lastSeen = now;
  }

  get key(): string {
    return this.gateway ? gatewayKey(this.gateway) : '(not logged in)';
  }

  /**
   * Runs this link's gateway events (core calls) one after another, so an offline never
   * overtakes the login or heartbeat before it.
   */
  inOrder<T>(fn: () => Promise<T>): Promise<T> {
    const p = (this.events ?? Promise.resolve()).then(fn, fn);
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.events = settled;
    void settled.then(() => {
      if (this.events === settled) this.events = undefined;
    });
    return p;
  }

  /** Whole frames found in a received chunk (garbage skipped, half frames kept for later). */
  frames(chunk: Uint8Array): Uint8Array[] {
    return this.splitter.push(chunk).frames;
  }

  send(bytes: Uint8Array): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(bytes);
  }

  /**
   * Sends the frame `build(pseq)` makes once the link is free and resolves with the reply
   * frames, from FIR to FIN, whose RSEQ count up from the request's PSEQ.
   */
  exchange(build: (seq: number) => Uint8Array, o: ExchangeOptions): Promise<gdw.GdwFrame[]> {
    const run = () => this.once(build, o);
    const p = (this.tail ?? Promise.resolve()).then(run, run);
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.tail = settled;
    void settled.then(() => {
      if (this.tail === settled) this.tail = undefined;
    });
    return p;
  }

  private once(build: (seq: number) => Uint8Array, o: ExchangeOptions): Promise<gdw.GdwFrame[]> {
    if (this.closed) return Promise.reject(disconnected(this.key));
    if (o.signal?.aborted) return Promise.reject(new LinkError('ABORTED', 'the read was aborted', true));
    const seq = this.pseq;
    this.pseq = (seq + 1) & 0x0f;
    const bytes = build(seq);
    return new Promise((resolve, reject) => {
      const p: Pending = {
        seq,
        afn: o.afn,
        frames: [],
        timeoutMs: o.timeoutMs,
        timer: setTimeout(() => this.timeout(p), o.timeoutMs),
        resolve,
        reject,
        signal: o.signal,
      };
      if (o.signal) {
        p.onAbort = () => this.settle(p, new LinkError('ABORTED', 'the read was aborted', true));
        o.signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.pending = p;
      this.send(bytes);
    });
  }

  private timeout(p: Pending): void {
    const got = p.frames.length ? ` after ${p.frames.length} frame(s)` : '';
    this.settle(
      p,
      new LinkError('TIMEOUT', `no complete reply from ${this.key} within ${p.timeoutMs} ms${got}`, true),
    );
  }

  private settle(p: Pending, result: gdw.GdwFrame[] | Error): void {
    if (this.pending !== p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
    if (result instanceof Error) p.reject(result);
    else p.resolve(result);
  }

  /**
   * A response frame (PRM = 0) from the terminal. It counts when it continues the outstanding
   * request: RSEQ = PSEQ + frames so far, the request's AFN or AFN 00. Anything else is ignored.
   */
  onResponse(f: gdw.GdwFrame): boolean {
    const p = this.pending;
    if (!p) return this.ignore();
    if (f.seq.pseq !== ((p.seq + p.frames.length) & 0x0f)) return this.ignore();
    if (f.afn !== p.afn && f.afn !== '00') return this.ignore();
    if (f.seq.fir !== (p.frames.length === 0)) return this.ignore();
    p.frames.push(f);
    if (f.seq.fin || f.afn === '00') this.settle(p, p.frames);
    else p.timer.refresh();
    return true;
  }

  private ignore(): false {
    this.ignored++;
    return false;
  }

  /** The link is gone: the outstanding request fails, queued ones fail when their turn comes. */
  onClose(): void {
    this.closed = true;
    const p = this.pending;
    if (p) this.settle(p, disconnected(this.key));
  }
}
