import { frameTimeMs } from '../bus/line-timing.ts';
import type { ForwardRecord } from './responder.ts';

export type { ForwardRecord };

/** A terminal's AFN 10 forwarding on its meter ports, summed. */
export interface PortStats {
  forwards: number;
  /** forwardings a meter answered */
  answered: number;
  /** bytes put on the meter ports (the forwarded frames) */
  requestBytes: number;
  /** bytes the meters answered */
  replyBytes: number;
  /** time the ports were held: frames at their baud rate, meter latency, frame timeouts */
  busyMs: number;
}

/** Bit times of one character: start, data bits, parity when present, stop bits. */
export function bitsPerChar(s: ForwardRecord['serial']): number {
  return 1 + s.dataBits + (s.parity === 'none' ? 0 : 1) + s.stopBits;
}

/**
 * How long one forwarding holds the terminal's port: the request and the answer at the
 * forwarded baud rate plus the meter's latency, or the request and the whole frame timeout when
 * no meter answered (the terminal waits it out).
 */
export function portBusyMs(r: ForwardRecord): number {
  const bits = bitsPerChar(r.serial);
  const onWire = frameTimeMs(r.request.length + r.reply.length, r.serial.baud, bits);
  return onWire + (r.reply.length > 0 ? r.latencyMs : r.frameTimeoutMs);
}
