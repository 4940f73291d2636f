import { hexToBytes } from '../../../protocols/src/common/bytes.ts';
import type { DataItem, GdwFrame, MeterConfig } from '../../../protocols/src/gdw1376/index.ts';
import * as gdw from '../../../protocols/src/gdw1376/index.ts';
import type { BusDevice } from '../bus/bus-device.ts';
import { toWallTime } from '../time/wall-time.ts';
import { f25, f33, f129, f161, f177 } from './data-units.ts';
import type { MeterTable } from './meter-table.ts';
import { answerParamQuery, applyParams } from './param-frames.ts';
import type { TerminalParams } from './terminal-params.ts';

const p2 = (n: number): string => String(n).padStart(2, '0');

export interface ResponderContext {
  a1: string;
  a2: number;
  table: MeterTable;
  /** AFN 04 F10 / F33 as the terminal keeps them (AFN 0A reads them back); without it F10 goes to `table` */
  params?: TerminalParams;
  /** terminal clock, epoch ms */
  now(): number;
  utcOffsetMin: number;
  /** true when this read of `pn` should come back as "not read" (EE) */
  missed(pn: number): boolean;
  /** user-data limit per reply frame (bigger replies are split) */
  maxUserData?: number;
  /** AFN 05 commands and the terminal clock sync land here */
  onControl?(fn: number, pn: number | 'all', data: unknown): void;
  /** AFN 00 from the master (answers to login / heartbeat) */
  onConfirm?(frame: GdwFrame): void;
  /** every AFN 10 F1 forwarding: what went out on the meter port and what came back */
  onForward?(record: ForwardRecord): void;
}

/** One transparent forwarding on a terminal port, as the port saw it. */
export interface ForwardRecord {
  port: number;
  serial: gdw.SerialSettings;
  /** how long the terminal waits for the meter's answer (AFN 10 F1 frame timeout), ms */
  frameTimeoutMs: number;
  request: Uint8Array;
  /** the meter's answer; empty when none answered (or several collided) */
  reply: Uint8Array;
  /** the answering meter's response delay, ms (0 when none answered) */
  latencyMs: number;
}

interface ForwardRequest {
  port: number;
  serial: gdw.SerialSettings;
  frameTimeout: { value: number; unit: 's' | '10ms' };
  forwarded: { hex: string };
}

const ERR_NO_DATA = 4;

function pnsOf(ctx: ResponderContext, pn: number | 'all'): number[] {
  return pn === 'all' ? ctx.table.entries().map((e) => e.pn) : [pn];
}

function clockText(ctx: ResponderContext): string {
  const w = toWallTime(ctx.now(), ctx.utcOffsetMin);
  return `${w.year}-${p2(w.month)}-${p2(w.day)} ${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}`;
}

/** Data of one (pn, Fn) read, undefined when the terminal has no such point or Fn. */
function readItem(ctx: ResponderContext, afn: string, pn: number, fn: number, req: unknown): unknown {
  if (afn === '0C' && fn === 2 && pn === 0) return { clock: clockText(ctx) };
  const entry = ctx.table.get(pn);
  if (!entry) return undefined;
  const m = ctx.missed(pn) ? undefined : entry.device.meter;
  const r = (req ?? {}) as { date?: string; month?: string };
  if (afn === '0C' && fn === 129) return f129(m);
  if (afn === '0C' && fn === 33) return f33(m);
  if (afn === '0C' && fn === 25) return f25(m);
  if (afn === '0D' && fn === 161 && typeof r.date === 'string') return f161(m, r.date);
  if (afn === '0D' && fn === 177 && typeof r.month === 'string') return f177(m, r.month);
  return undefined;
}

/**
 * A concentrator's answer to one master frame: the reply frames to send (several when a read
 * reply is split), or none. Pure apart from the meter table and the callbacks.
 */
export function respond(frame: GdwFrame, ctx: ResponderContext): Uint8Array[] {
  if (frame.dir !== 'down' || frame.address.A1_region !== ctx.a1) return [];
  if (frame.address.A2_terminal !== ctx.a2 && frame.address.A2_terminal !== 0xffff) return [];
  const addr = { A1_region: ctx.a1, A2_terminal: ctx.a2, A3_master: frame.address.A3_master };
  const rseq = frame.seq.pseq;
  const up = { dir: 'up' as const };
  switch (frame.afn) {
    case '00':
      ctx.onConfirm?.(frame);
      return [];
    case '0C':
    case '0D': {
      const items: DataItem[] = [];
      const missing: gdw.ConfirmItem[] = [];
      for (const u of frame.units) {
        for (const pn of pnsOf(ctx, u.pn)) {
          const data = readItem(ctx, frame.afn, pn, u.fn, u.data);
          if (data === undefined) missing.push({ pn, fn: u.fn, err: ERR_NO_DATA });
          else items.push({ pn, fn: u.fn, data });
        }
      }
      if (items.length === 0) return [gdw.buildDeny(addr, rseq, frame.afn, missing, up)];
      return gdw.buildReadReply(addr, frame.afn, items, rseq, { maxUserData: ctx.maxUserData });
    }
    case '04': {
      if (ctx.params) return [applyParams(frame, ctx.params, addr)];
      const f10 = frame.units.find((u) => u.fn === 10);
      const meters = (f10?.data as { meters?: Partial<MeterConfig>[] } | undefined)?.meters;
      if (!meters) return [gdw.buildDeny(addr, rseq, undefined, undefined, up)];
      ctx.table.download(meters);
      return [gdw.buildConfirm(addr, rseq, undefined, undefined, up)];
    }
    case '0A':
      if (!ctx.params) return [gdw.buildDeny(addr, rseq, undefined, undefined, up)];
      return answerParamQuery(frame, ctx.params, addr, ctx.maxUserData);
    case '05': {
      for (const u of frame.units) ctx.onControl?.(u.fn, u.pn, u.data);
      return [gdw.buildConfirm(addr, rseq, undefined, undefined, up)];
    }
    case '10': {
      const u = frame.units.find((x) => x.fn === 1);
      const d = u?.data as ForwardRequest | undefined;
      if (!d) return [gdw.buildDeny(addr, rseq, undefined, undefined, up)];
      const request = d.forwarded.hex === '' ? new Uint8Array(0) : hexToBytes(d.forwarded.hex);
      const { reply, latencyMs } = forward(ctx, d.port, request);
      const t = d.frameTimeout;
      const frameTimeoutMs = t.value * (t.unit === 's' ? 1000 : 10);
      ctx.onForward?.({ port: d.port, serial: d.serial, frameTimeoutMs, request, reply, latencyMs });
      return [gdw.buildForwardReply(addr, d.port, reply, rseq)];
    }
    default:
      return [gdw.buildDeny(addr, rseq, undefined, undefined, up)];
  }
}

/**
 * Puts forwarded bytes on the terminal's meter port `port`. The frame is cut as each framing on
 * the port would cut it (DL/T 645, CJ/T 188) and offered to the devices of that framing; the one
 * meter that answers is returned; no answer, or several answering at once (a collision), gives
 * no bytes.
 */
function forward(
  ctx: ResponderContext,
  port: number,
  request: Uint8Array,
): { reply: Uint8Array; latencyMs: number } {
  const none = { reply: new Uint8Array(0), latencyMs: 0 };
  if (request.length === 0) return none;
  const byFraming = new Map<string, BusDevice[]>();
  for (const d of ctx.table.onPort(port)) {
    const list = byFraming.get(d.protocol) ?? [];
    list.push(d);
    byFraming.set(d.protocol, list);
  }
  const replies: { reply: Uint8Array; latencyMs: number }[] = [];
  for (const devices of byFraming.values()) {
    for (const f of devices[0].createExtractor().push(request).frames) {
      for (const d of devices) {
        try {
          const r = d.handle(f);
          if (r) replies.push({ reply: r, latencyMs: d.latencyMs });
        } catch {
          // a frame the meter cannot parse gets no answer
        }
      }
    }
  }
  return replies.length === 1 ? replies[0] : none;
}

/** For logs. */
export function describeFrame(f: GdwFrame): string {
  const units = f.units.map((u) => `p${u.pn}F${u.fn}`).join(',');
  return `AFN ${f.afn} seq ${f.seq.pseq} ${units}`;
}
