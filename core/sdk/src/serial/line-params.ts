import { z } from 'zod';
import type { LineRef } from '../kinds/transport.ts';

/**
 * A serial line as a poll transport drives it. The key is what readings name in their route:
 * `tty:/dev/ttyUSB0` (a local port) or `tcp://host:port` (a serial server / DTU in transparent
 * mode). Timing: every byte is `bitsPerByte` bit times at `baudRate`; a meter answers after up to
 * `latencyMs`; `marginMs` covers the host and, for TCP, the network; the line must be quiet for
 * `idleMs` before a request; each frame is tried `1 + retries` times.
 */
export interface SerialLineParams {
  key: string;
  kind: 'tty' | 'tcp';
  /** tty: the device path */
  path?: string;
  /** tcp: host and port */
  host?: string;
  port?: number;
  baudRate: number;
  parity: 'even' | 'odd' | 'none';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  bitsPerByte: number;
  latencyMs: number;
  marginMs: number;
  /** quiet time on the line before each request, ms (default three byte times) */
  idleMs: number;
  retries: number;
  /** vendor profile name for meters that do not name one */
  profile?: string;
}

const TTY = /^tty:(\/\S{1,250})$/;
const TCP = /^tcp:\/\/([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:]{2,45}\]):(\d{1,5})$/;

const paramsSchema = z.object({
  key: z.string().max(300).optional(),
  path: z.string().min(2).max(250).startsWith('/').optional(),
  host: z.string().min(1).max(253).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  baudRate: z.number().int().min(300).max(115200).default(2400),
  parity: z.enum(['even', 'odd', 'none']).default('even'),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
  latencyMs: z.number().min(0).max(10_000).default(100),
  marginMs: z.number().min(0).max(30_000).optional(),
  idleMs: z.number().min(0).max(10_000).optional(),
  retries: z.number().int().min(0).max(10).default(2),
  profile: z.string().min(1).max(64).optional(),
});

export class LineParamsError extends Error {
  readonly code = 'LINE_PARAMS_INVALID';
}

/** The line key of `tty` path or `tcp` host:port. */
export function lineKey(p: { path?: string; host?: string; port?: number }): string {
  if (p.path) return `tty:${p.path}`;
  return `tcp://${p.host}:${p.port}`;
}

/** Reads `LineRef.params` (a `key`, or `path`, or `host` + `port`, plus timing); throws LineParamsError. */
export function parseLineParams(line: LineRef): SerialLineParams {
  const r = paramsSchema.safeParse(line.params ?? {});
  if (!r.success) throw new LineParamsError(`line ${line.id}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  const p = r.data;
  let where: { path?: string; host?: string; port?: number };
  if (p.key !== undefined) {
    const tty = TTY.exec(p.key);
    const tcp = TCP.exec(p.key);
    if (tty && !tty[1].includes('\u0000')) where = { path: tty[1] };
    else if (tcp) where = { host: tcp[1].replace(/^\[|\]$/g, ''), port: Number(tcp[2]) };
    else throw new LineParamsError(`line ${line.id}: key must be tty:/dev/… or tcp://host:port`);
    if (where.port !== undefined && (where.port < 1 || where.port > 65535))
      throw new LineParamsError(`line ${line.id}: port out of range`);
  } else if (p.path) where = { path: p.path };
  else if (p.host && p.port) where = { host: p.host, port: p.port };
  else throw new LineParamsError(`line ${line.id}: give key, path, or host and port`);
  const kind = where.path ? 'tty' : 'tcp';
  const parityBits = p.parity === 'none' ? 0 : 1;
  const bitsPerByte = 1 + p.dataBits + parityBits + p.stopBits;
  return {
    key: p.key ?? lineKey(where),
    kind,
    ...where,
    baudRate: p.baudRate,
    parity: p.parity,
    dataBits: p.dataBits,
    stopBits: p.stopBits,
    bitsPerByte,
    latencyMs: p.latencyMs,
    marginMs: p.marginMs ?? (kind === 'tcp' ? 200 : 50),
    idleMs: p.idleMs ?? (3 * bitsPerByte * 1000) / p.baudRate,
    retries: p.retries,
    profile: p.profile,
  };
}

/** Wire time of `bytes` bytes on the line, ms. */
export function wireMs(line: Pick<SerialLineParams, 'baudRate' | 'bitsPerByte'>, bytes: number): number {
  return (bytes * line.bitsPerByte * 1000) / line.baudRate;
}

/**
 * How long to wait for one reply: the request and the expected reply on the wire, the meter's
 * latency and the margin.
 */
export function frameTimeoutMs(
  line: Pick<SerialLineParams, 'baudRate' | 'bitsPerByte' | 'marginMs'>,
  requestBytes: number,
  replyBytes: number,
  latencyMs: number,
): number {
  return Math.ceil(wireMs(line, requestBytes + replyBytes) + latencyMs + line.marginMs);
}

const PARITY: Record<string, SerialLineParams['parity']> = {
  E: 'even',
  N: 'none',
  O: 'odd',
  even: 'even',
  none: 'none',
  odd: 'odd',
};

/**
 * The line as one meter sees it: a meter's own `baudRate` / `parity` (`MeterTarget.params`, from
 * its route) override the line's for timing, and for a local port the baud rate is switched
 * before talking to it (parity stays the port's: it cannot change without reopening).
 */
export function meterLine(
  line: SerialLineParams,
  params?: Readonly<Record<string, unknown>>,
): SerialLineParams {
  const baud = params?.baudRate;
  const parity = typeof params?.parity === 'string' ? PARITY[params.parity] : undefined;
  const baudRate =
    typeof baud === 'number' && Number.isInteger(baud) && baud >= 300 && baud <= 115200
      ? baud
      : line.baudRate;
  const p = parity ?? line.parity;
  if (baudRate === line.baudRate && p === line.parity) return line;
  const bitsPerByte = 1 + line.dataBits + (p === 'none' ? 0 : 1) + line.stopBits;
  return { ...line, baudRate, parity: p, bitsPerByte, idleMs: (3 * bitsPerByte * 1000) / baudRate };
}
