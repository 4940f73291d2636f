import { connect, type Socket } from 'node:net';
import type { GdwFrame } from '../../../protocols/src/gdw1376/index.ts';
import * as gdw from '../../../protocols/src/gdw1376/index.ts';
import type { Clock } from '../time/clock.ts';
import { createPrng, type Prng } from '../time/prng.ts';
import { DEFAULT_UTC_OFFSET_MIN, toWallTime } from '../time/wall-time.ts';
import type { MeterTable } from './meter-table.ts';
import { type ForwardRecord, type PortStats, portBusyMs } from './port-timing.ts';
import { describeFrame, respond } from './responder.ts';
import { TerminalParams } from './terminal-params.ts';

export interface ConcentratorOptions {
  master: { host: string; port: number };
  /** A1 administrative region, 4 BCD digits */
  a1: string;
  /** A2 terminal address 1..65535 */
  a2: number;
  table: MeterTable;
  /** the F10 / F33 parameters it holds; default: one F10 record per point of `table` (serial = pn) */
  params?: TerminalParams;
  clock: Clock;
  /** seconds between heartbeats (AFN 02 F3) */
  heartbeatSec?: number;
  /** ms to wait before reconnecting after the master drops the link */
  reconnectMs?: number;
  /** measuring points whose reads always come back EE */
  missing?: Iterable<number>;
  /** probability that any one point read comes back EE (seeded) */
  missRate?: number;
  /** probability that a request from the master is lost on the way (no reply; seeded) */
  loss?: number;
  seed?: number;
  /** split replies above this many user-data bytes */
  maxUserData?: number;
  utcOffsetMin?: number;
  /**
   * Forwarded frames take the meter port's time: the AFN 10 answer leaves after the request and
   * the meter's reply have crossed the port at the forwarded baud rate plus the meter's latency,
   * or after the frame timeout when no meter answers. Off: the answer leaves at once.
   */
  lineTiming?: boolean;
  log?: (line: string) => void;
}

export type ConcentratorState = 'idle' | 'connecting' | 'connected' | 'logged-in' | 'stopped';

const p2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A Q/GDW 1376.1 concentrator as it behaves in the field: it is the TCP client, logs in to the
 * master station right after connecting, sends heartbeats, answers reads, parameter downloads,
 * control and transparent forwarding, and reconnects when the link drops.
 */
export class ConcentratorSim {
  readonly options: ConcentratorOptions;
  state: ConcentratorState = 'idle';
  /** number of successful TCP connections so far */
  connections = 0;
  /** requests received from the master (every decoded frame but its AFN 00 confirms) */
  requests = 0;
  /** bytes on the master link, each way, and the meter ports' AFN 10 traffic */
  readonly wire: { fromMaster: number; toMaster: number; ports: PortStats } = {
    fromMaster: 0,
    toMaster: 0,
    ports: { forwards: 0, answered: 0, requestBytes: 0, replyBytes: 0, busyMs: 0 },
  };
  /** requests from the master dropped by `loss` */
  lost = 0;
  /** control commands received (AFN 05), latest last */
  readonly controls: { fn: number; pn: number | 'all'; data: unknown }[] = [];
  /** AFN 04 F10 / F33 as stored (tests plant table mismatches here) */
  readonly params: TerminalParams;
  private socket: Socket | undefined;
  private pseq = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private clockOffsetMs = 0;
  /** when the meter port is free again (forwardings queue on it, one at a time) */
  private portFreeAt = 0;
  private readonly missing: Set<number>;
  private readonly prng: Prng;
  private readonly lossPrng: Prng;
  private readonly x = gdw.extractor();

  constructor(o: ConcentratorOptions) {
    this.options = o;
    this.missing = new Set(o.missing ?? []);
    this.params = o.params ?? TerminalParams.fromTable(o.table);
    this.prng = createPrng(o.seed ?? 1);
    this.lossPrng = createPrng((o.seed ?? 1) + 0x51);
  }

  private get address(): { A1_region: string; A2_terminal: number } {
    return { A1_region: this.options.a1, A2_terminal: this.options.a2 };
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private nextSeq(): number {
    const s = this.pseq;
    this.pseq = (this.pseq + 1) & 0x0f;
    return s;
  }

  start(): void {
    if (this.state !== 'idle' && this.state !== 'stopped') return;
    this.state = 'connecting';
    this.connect();
  }

  private connect(): void {
    const { host, port } = this.options.master;
    const s = connect({ host, port });
    this.socket = s;
    this.x.reset();
    s.setNoDelay(true);
    s.on('connect', () => {
      this.connections++;
      this.state = 'connected';
      this.log(`connected to master ${host}:${port}; logging in as ${this.options.a1}-${this.options.a2}`);
      this.send(gdw.buildLogin(this.address, this.nextSeq()));
      const sec = this.options.heartbeatSec ?? 60;
      this.heartbeat = setInterval(
        () => this.send(gdw.buildHeartbeat(this.address, this.nextSeq(), this.clockText())),
        sec * 1000,
      );
    });
    s.on('data', (d: Buffer) => {
      this.wire.fromMaster += d.length;
      for (const f of this.x.push(new Uint8Array(d)).frames) this.onFrame(f);
    });
    s.on('error', (e) => this.log(`link error: ${e.message}`));
    s.on('close', () => this.onClose(s));
  }

  private onClose(s: Socket): void {
    if (this.socket !== s) return;
    clearInterval(this.heartbeat);
    this.socket = undefined;
    if (this.state === 'stopped') return;
    this.state = 'connecting';
    const ms = this.options.reconnectMs ?? 5000;
    this.log(`master link closed; reconnecting in ${ms} ms`);
    this.retry = setTimeout(() => this.connect(), ms);
  }

  private send(bytes: Uint8Array): void {
    if (this.socket && !this.socket.destroyed) {
      this.wire.toMaster += bytes.length;
      this.socket.write(bytes);
    }
  }

  private clockText(): string {
    const w = toWallTime(this.now(), this.options.utcOffsetMin ?? DEFAULT_UTC_OFFSET_MIN);
    return `${w.year}-${p2(w.month)}-${p2(w.day)} ${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}`;
  }

  private now(): number {
    return this.options.clock.now() + this.clockOffsetMs;
  }

  private onFrame(bytes: Uint8Array): void {
    let f: GdwFrame;
    try {
      f = gdw.decodeFrame(bytes);
    } catch (e) {
      this.log(`undecodable frame from master dropped: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (f.afn !== '00') this.requests++;
    if (f.afn !== '00' && (this.options.loss ?? 0) > 0 && this.lossPrng.chance(this.options.loss ?? 0)) {
      this.lost++;
      this.log(`${describeFrame(f)} lost`);
      return;
    }
    let forwarded: ForwardRecord | undefined;
    const replies = respond(f, {
      a1: this.options.a1,
      a2: this.options.a2,
      table: this.options.table,
      params: this.params,
      now: () => this.now(),
      utcOffsetMin: this.options.utcOffsetMin ?? DEFAULT_UTC_OFFSET_MIN,
      missed: (pn) => this.missing.has(pn) || this.prng.chance(this.options.missRate ?? 0),
      maxUserData: this.options.maxUserData,
      onControl: (fn, pn, data) => this.onControl(fn, pn, data),
      onForward: (r) => {
        forwarded = r;
      },
      onConfirm: () => {
        if (this.state === 'connected') {
          this.state = 'logged-in';
          this.log('login confirmed');
        }
      },
    });
    if (f.afn !== '00') this.log(`${describeFrame(f)} → ${replies.length} frame(s)`);
    const busyMs = forwarded ? this.countForward(forwarded) : 0;
    if (busyMs > 0 && this.options.lineTiming) {
      const s = this.socket;
      const now = performance.now();
      this.portFreeAt = Math.max(now, this.portFreeAt) + busyMs;
      setTimeout(() => {
        if (this.socket === s) for (const r of replies) this.send(r);
      }, this.portFreeAt - now);
    } else for (const r of replies) this.send(r);
  }

  /** Adds one forwarding to the port statistics; answers the time it held the port, ms. */
  private countForward(r: ForwardRecord): number {
    const p = this.wire.ports;
    const busy = portBusyMs(r);
    p.forwards++;
    if (r.reply.length > 0) p.answered++;
    p.requestBytes += r.request.length;
    p.replyBytes += r.reply.length;
    p.busyMs += busy;
    return busy;
  }

  private onControl(fn: number, pn: number | 'all', data: unknown): void {
    this.controls.push({ fn, pn, data });
    const clock = (data as { clock?: { time?: string } | string } | undefined)?.clock;
    const text = typeof clock === 'string' ? clock : clock?.time;
    if (fn === 31 && text) {
      const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
      if (m) {
        const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
        const at =
          Date.UTC(y, mo - 1, d, h, mi, s) - (this.options.utcOffsetMin ?? DEFAULT_UTC_OFFSET_MIN) * 60_000;
        this.clockOffsetMs = at - this.options.clock.now();
      }
    }
  }

  /** Drops the link as a flaky modem would (the concentrator reconnects). */
  dropLink(): void {
    this.socket?.destroy();
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearInterval(this.heartbeat);
    clearTimeout(this.retry);
    const s = this.socket;
    this.socket = undefined;
    if (s && !s.destroyed) {
      await new Promise<void>((res) => {
        s.once('close', () => res());
        s.destroy();
      });
    }
  }
}
