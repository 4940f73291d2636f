/**
 * Test support (not shipped code paths): simulated RS-485 lines behind a TCP serial server or a
 * socat pty pair (9600 baud unless told, to keep tests short), and devices that misbehave on purpose.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LineRef } from '@quadmeter/sdk';
import {
  attachSerialPort,
  type BusDevice,
  Rs485Bus,
  type Rs485BusOptions,
  startPtyPair,
  startTcpSerialServer,
} from '@quadmeter/simulators';

export interface SimLine {
  bus: Rs485Bus;
  /** every byte the master sent, in order (TCP lines) */
  sent: number[];
  /** the line as a transport request names it */
  ref: LineRef;
  key: string;
  close(): Promise<void>;
}

/** A bus behind a TCP serial server on loopback. */
export async function tcpLine(
  devices: readonly BusDevice[],
  bus: Rs485BusOptions = {},
  params: Record<string, unknown> = {},
): Promise<SimLine> {
  const b = new Rs485Bus({ baud: 9600, ...bus });
  for (const d of devices) b.addDevice(d);
  const sent: number[] = [];
  const server = await startTcpSerialServer({
    write: (bytes) => {
      sent.push(...bytes);
      b.write(bytes);
    },
    onData: (fn) => b.onData(fn),
  });
  const key = `tcp://127.0.0.1:${server.port}`;
  return {
    bus: b,
    sent,
    key,
    ref: { id: key, params: { key, baudRate: b.baud, latencyMs: 80, ...params } },
    close: async () => {
      await server.close();
      b.close();
    },
  };
}

/** A fresh pty path pair in the temp folder. */
export function ptyPaths(): { sim: string; master: string } {
  const id = randomBytes(4).toString('hex');
  return { sim: join(tmpdir(), `qm-sim-${id}`), master: join(tmpdir(), `qm-tty-${id}`) };
}

/** A bus behind one end of a socat pty pair; the transport opens the other end as `tty:`. */
export async function ptyLine(
  devices: readonly BusDevice[],
  bus: Rs485BusOptions = {},
  paths = ptyPaths(),
  params: Record<string, unknown> = {},
): Promise<SimLine> {
  const b = new Rs485Bus({ baud: 9600, ...bus });
  for (const d of devices) b.addDevice(d);
  const pair = await startPtyPair(paths.sim, paths.master);
  const port = await attachSerialPort(b, pair.simPath, b.baud);
  const key = `tty:${pair.masterPath}`;
  return {
    bus: b,
    sent: [],
    key,
    ref: { id: key, params: { key, baudRate: b.baud, latencyMs: 80, ...params } },
    close: async () => {
      await port.close();
      await pair.stop();
      b.close();
    },
  };
}

/** A device whose replies are changed by `mangle` (null: silent), to inject faults on real bytes. */
export function mangled(
  d: BusDevice,
  mangle: (reply: Uint8Array, request: Uint8Array) => Uint8Array | null,
): BusDevice {
  return {
    protocol: d.protocol,
    latencyMs: d.latencyMs,
    label: `${d.label} (faulty)`,
    createExtractor: () => d.createExtractor(),
    handle: (frame) => {
      const reply = d.handle(frame);
      return reply ? mangle(reply, frame) : reply;
    },
  };
}

/** The checksum byte (before the final 16) flipped. */
export function badChecksum(reply: Uint8Array): Uint8Array {
  const out = Uint8Array.from(reply);
  out[out.length - 2] ^= 0xff;
  return out;
}

/** Only the first half of the reply. */
export function cutShort(reply: Uint8Array): Uint8Array {
  return reply.slice(0, Math.ceil(reply.length / 2));
}
