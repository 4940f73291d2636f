import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import * as dlt645 from '../../../protocols/src/dlt645/index.ts';
import { Dlt645Device } from '../meters/dlt645-device.ts';
import { ElectricityMeter } from '../meters/electricity-meter.ts';
import { householdProfile } from '../meters/load-profile.ts';
import { ManualClock } from '../time/clock.ts';
import { fromWallTime } from '../time/wall-time.ts';
import { exchange } from './master-link.ts';
import { startPtyPair } from './pty-pair.ts';
import { Rs485Bus } from './rs485-bus.ts';
import { attachSerialPort } from './serial-port-attach.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const ADDRESS = '202603100001';

async function openMaster(path: string): Promise<SerialPort> {
  const port = new SerialPort({
    path,
    baudRate: 2400,
    parity: 'even',
    dataBits: 8,
    stopBits: 1,
    autoOpen: false,
  });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  cleanups.push(() => new Promise<void>((res) => (port.isOpen ? port.close(() => res()) : res())));
  return port;
}

describe('DL/T 645 simulator on a socat pty pair, read through serialport', () => {
  it('reads energy, a daily frozen value, trips the relay and reads the state back', async () => {
    const id = randomBytes(4).toString('hex');
    const pair = await startPtyPair(join(tmpdir(), `qm-sim-${id}`), join(tmpdir(), `qm-master-${id}`));
    cleanups.push(() => pair.stop());
    const clock = new ManualClock(fromWallTime({ year: 2026, month: 3, day: 10, hour: 9 }));
    const meter = new ElectricityMeter({
      address: ADDRESS,
      clock,
      load: householdProfile(4),
      initialEnergy: 5000,
    });
    const bus = new Rs485Bus({ baud: 2400, seed: 5 });
    bus.addDevice(new Dlt645Device(meter));
    cleanups.push(() => bus.close());
    const sim = await attachSerialPort(bus, pair.simPath, 2400);
    cleanups.push(() => sim.close());
    const master = await openMaster(pair.masterPath);
    const read = async (di: string) => {
      const e = await exchange(master, dlt645.buildReadRequest(ADDRESS, di), dlt645.extractor(), 2000);
      expect(e.frame, `reply to ${di}`).not.toBeNull();
      return dlt645.decodeFrame(e.frame as Uint8Array);
    };

    clock.advance(20 * 3_600_000); // 2026-03-11 05:00, past the midnight freeze
    const energy = await read('00010000');
    expect(energy.value).toBe(meter.registers().positive[0]);
    expect(energy.value).toBeGreaterThan(5000);

    const frozen = await read('05060101');
    expect(frozen.values).toEqual({
      total: meter.daily.last(1)?.positive[0],
      T1: meter.daily.last(1)?.positive[1],
      T2: meter.daily.last(1)?.positive[2],
      T3: meter.daily.last(1)?.positive[3],
      T4: meter.daily.last(1)?.positive[4],
    });
    expect((await read('05060001')).value).toBe('2026-03-11 00:00');

    const trip = dlt645.buildRelayControl(ADDRESS, {
      action: 'trip',
      validUntil: '2026-03-12 12:00:00',
      operator: '00000007',
    });
    const ack = await exchange(master, trip, dlt645.extractor(), 2000);
    expect(dlt645.decodeFrame(ack.frame as Uint8Array).control).toBe('9C');
    expect(meter.relay.state).toBe('tripped');
    const status = await read('04000503');
    expect((Number.parseInt(String(status.value), 16) >> 4) & 1).toBe(1);
    const record = (await read('1D000001')).value as Record<string, unknown>;
    expect(record.operator).toBe('00000007');
    expect(record.positiveActive).toBe(meter.registers().positive[0]);
    expect((await read('02030000')).value).toBe(0);
  });
});
