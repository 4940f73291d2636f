import { hexToBytes } from '@quadmeter/protocols';
import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import type { Gdw1376Config } from './config.ts';
import { LinkError } from './failure.ts';
import { decimal } from './readings.ts';
import type { Session } from './session.ts';

/**
 * Registers the terminal does not read itself (AFN 0C F129 carries positive active energy only),
 * read from the meter through AFN 10 F1 transparent forwarding: register key → DL/T 645-2007 DI.
 * Signed values below zero have no decimal-string form and come back as null.
 */
export const FORWARDED_REGISTERS: Readonly<Record<string, string>> = {
  activeExportTotal: '00020000',
  reactive1Total: '00030000',
  reactive2Total: '00040000',
  voltageA: '02010100',
  voltageB: '02010200',
  voltageC: '02010300',
  currentA: '02020100',
  currentB: '02020200',
  currentC: '02020300',
  activePower: '02030000',
  powerFactor: '02060000',
};

export interface ForwardTarget {
  address: string;
  port: number;
  /** the meter port's settings for this frame; 2400 8E1 by default */
  serial?: gdw.SerialSettings;
  /** how long the terminal waits for the meter; 2 s by default */
  frameTimeout?: gdw.FrameTimeout;
}

export interface ForwardOptions {
  signal?: AbortSignal;
  /** epoch ms: a frame whose turn on the link comes at or after this is not sent (COMMAND_EXPIRED) */
  notAfter?: number;
}

export const expired = (): LinkError =>
  new LinkError('COMMAND_EXPIRED', 'the command expired before it could be sent', false);

/**
 * Sends meter bytes through AFN 10 F1 to `target.port` and returns the bytes the terminal
 * received back (empty: no meter answered). `meterFrame` may be a function of the instant the
 * link is free, for frames that carry the time they are sent. Nothing goes on the wire once
 * `notAfter` has passed, however long the request waited for the link.
 */
export async function forwardBytes(
  session: Session,
  config: Gdw1376Config,
  target: ForwardTarget,
  meterFrame: Uint8Array | ((now: number) => Uint8Array),
  o: ForwardOptions = {},
): Promise<Uint8Array> {
  const gw = session.gateway;
  if (!gw) throw new LinkError('GATEWAY_OFFLINE', 'the concentrator is not logged in', true);
  const addr = { A1_region: gw.a1, A2_terminal: gw.a2, A3_master: config.msa };
  const opts = { pw: config.password, serial: target.serial, frameTimeout: target.frameTimeout };
  const frames = await session.exchange(
    (seq) => {
      const now = Date.now();
      if (o.notAfter !== undefined && now >= o.notAfter) throw expired();
      const bytes = typeof meterFrame === 'function' ? meterFrame(now) : meterFrame;
      return gdw.buildForward(addr, target.port, bytes, seq, opts);
    },
    { afn: '10', timeoutMs: config.requestTimeoutMs, signal: o.signal },
  );
  const f = frames[0];
  if (f.afn === '00') throw new LinkError('FORWARD_DENIED', 'the concentrator refused to forward', false);
  const data = f.units.find((u) => u.fn === 1)?.data as { forwarded?: { hex?: string } } | undefined;
  const hex = data?.forwarded?.hex ?? '';
  return hex === '' ? new Uint8Array(0) : hexToBytes(hex);
}

/**
 * Sends one DL/T 645 frame to a meter behind the terminal and returns the meter's decoded
 * answer, or undefined when the meter did not answer (the terminal forwards zero bytes).
 */
export async function forwardFrame(
  session: Session,
  config: Gdw1376Config,
  target: ForwardTarget,
  meterFrame: Uint8Array | ((now: number) => Uint8Array),
  signal?: AbortSignal | ForwardOptions,
): Promise<dlt645.Dlt645Frame | undefined> {
  const o = signal instanceof AbortSignal ? { signal } : (signal ?? {});
  const bytes = await forwardBytes(session, config, target, meterFrame, o);
  if (bytes.length === 0) return undefined;
  try {
    return dlt645.decodeFrame(bytes);
  } catch (e) {
    throw new LinkError(
      'METER_FRAME_INVALID',
      `the meter's answer did not decode: ${(e as Error).message}`,
      true,
    );
  }
}

/** Reads the forwarded registers of one meter, one DI per round trip; a silent meter gives nulls. */
export async function readForwarded(
  session: Session,
  config: Gdw1376Config,
  target: ForwardTarget,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const key of keys) {
    const di = FORWARDED_REGISTERS[key];
    const reply = await forwardFrame(
      session,
      config,
      target,
      dlt645.buildReadRequest(target.address, di),
      signal,
    );
    const ok = reply && !reply.error && reply.di === di;
    out[key] = ok ? decimal(reply.value, 6) : null;
  }
  return out;
}
