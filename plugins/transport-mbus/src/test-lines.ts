/** Test support: simulated M-Bus meters on a line behind a TCP serial server or a socat pty pair. */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LineRef } from '@quadmeter/sdk';
import {
  attachSerialPort,
  type BusDevice,
  ManualClock,
  MBUS_MEDIA,
  MbusDevice,
  MbusMeter,
  Rs485Bus,
  type Rs485BusOptions,
  startPtyPair,
  startTcpSerialServer,
} from '@quadmeter/simulators';

export interface SimLine {
  bus: Rs485Bus;
  ref: LineRef;
  key: string;
  close(): Promise<void>;
}

/** A clock 70 days back that `catchUp()` moves to now: the meters stored two month ends. */
export function pastClock(): ManualClock & { catchUp(): void } {
  const c = new ManualClock(Date.now() - 70 * 86_400_000) as ManualClock & { catchUp(): void };
  c.catchUp = () => c.set(Date.now());
  return c;
}

export function meter(
  clock: ManualClock,
  primary: number,
  id: string,
  medium: number = MBUS_MEDIA.heat,
): MbusDevice {
  return new MbusDevice(
    new MbusMeter({ primary, id, medium, clock, initialVolume: 12.5 + primary, initialHeat: 800 + primary }),
    25,
  );
}

export async function tcpLine(
  devices: readonly BusDevice[],
  bus: Rs485BusOptions = {},
  params = {},
): Promise<SimLine> {
  const b = new Rs485Bus({ baud: 9600, ...bus });
  for (const d of devices) b.addDevice(d);
  const server = await startTcpSerialServer(b);
  const key = `tcp://127.0.0.1:${server.port}`;
  return {
    bus: b,
    key,
    ref: { id: key, params: { key, baudRate: b.baud, latencyMs: 60, ...params } },
    close: async () => {
      await server.close();
      b.close();
    },
  };
}

export function ptyPaths(): { sim: string; master: string } {
  const id = randomBytes(4).toString('hex');
  return { sim: join(tmpdir(), `qm-mbus-sim-${id}`), master: join(tmpdir(), `qm-mbus-${id}`) };
}

export async function ptyLine(devices: readonly BusDevice[], paths = ptyPaths()): Promise<SimLine> {
  const b = new Rs485Bus({ baud: 9600 });
  for (const d of devices) b.addDevice(d);
  const pair = await startPtyPair(paths.sim, paths.master);
  const port = await attachSerialPort(b, pair.simPath, b.baud);
  const key = `tty:${pair.masterPath}`;
  return {
    bus: b,
    key,
    ref: { id: key, params: { key, baudRate: b.baud, latencyMs: 60 } },
    close: async () => {
      await port.close();
      await pair.stop();
      b.close();
    },
  };
}
