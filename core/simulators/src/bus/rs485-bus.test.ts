import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as cjt188 from '../../../protocols/src/cjt188/index.ts';
import * as dlt645 from '../../../protocols/src/dlt645/index.ts';
import * as mbus from '../../../protocols/src/mbus/index.ts';
import { Cjt188Device } from '../meters/cjt188-device.ts';
import { CJT188_TYPES, Cjt188Meter } from '../meters/cjt188-meter.ts';
import { systemClock } from '../time/clock.ts';
import { connectTcp, exchange } from './master-link.ts';
import { populateBus } from './populate.ts';
import { Rs485Bus, type Rs485BusOptions } from './rs485-bus.ts';
import { startTcpSerialServer, type TcpSerialServer } from './tcp-serial-server.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function rig(
  opts: Rs485BusOptions,
  populate: Parameters<typeof populateBus>[1] = { clock: systemClock },
) {
  const bus = new Rs485Bus(opts);
  const pop = populateBus(bus, populate);
  const server: TcpSerialServer = await startTcpSerialServer(bus, { port: 0 });
  const socket: Socket = await connectTcp('127.0.0.1', server.port);
  cleanups.push(
    () => bus.close(),
    () => server.close(),
    () => void socket.destroy(),
  );
  return { bus, pop, server, socket };
}

describe('RS-485 bus over the TCP serial server', () => {
  it('a master reads DL/T 645, CJ/T 188 and M-Bus meters on the same line', async () => {
    const { pop, socket } = await rig(
      { baud: 9600, seed: 3 },
      { clock: systemClock, dlt645: 3, cjt188: 3, mbus: 2 },
    );
    const e = await exchange(socket, dlt645.buildReadRequest('000000000002', '00010000'), dlt645.extractor());
    expect(dlt645.decodeFrame(e.frame as Uint8Array).value).toBe(pop.dlt645[1].meter.registers().positive[0]);
    const w = await exchange(
      socket,
      cjt188.buildReadData(0x30, '00000000000002', '901F', 5),
      cjt188.extractor(),
    );
    const wf = cjt188.decode(w.frame as Uint8Array);
    expect(wf.address).toBe('00000000000002');
    expect(wf.data.current_cumulative).toBe(pop.cjt188[1].meter.snapshot().volume);
    const m = await exchange(socket, mbus.buildReqUd2(2), mbus.extractor());
    const mf = mbus.decode(m.frame as Uint8Array);
    expect(mf.header?.id).toBe(pop.mbus[1].meter.id);
    expect(mf.records?.find((r) => r.quantity === 'volume')?.rawValue).toBe(
      Math.round(pop.mbus[1].meter.current().volume * 1000),
    );
    // nobody at this address: silence, not a reply
    const none = await exchange(
      socket,
      dlt645.buildReadRequest('000000000099', '00010000'),
      dlt645.extractor(),
      300,
    );
    expect(none.frame).toBeNull();
    expect(none.received.length).toBe(0);
  });

  it('two meters answering a wildcard collide and the master gets no valid frame', async () => {
    const { bus, socket } = await rig({ baud: 9600, seed: 1 });
    for (const address of ['00000000000011', '00000000000012']) {
      bus.addDevice(
        new Cjt188Device(
          new Cjt188Meter({
            type: CJT188_TYPES.coldWater,
            address,
            clock: systemClock,
            initialVolume: Number(address),
          }),
          30,
        ),
      );
    }
    const e = await exchange(
      socket,
      cjt188.buildReadData(0x10, 'AAAAAAAAAAAAAA', '901F', 1),
      cjt188.extractor(),
      400,
    );
    expect(e.frame).toBeNull();
    expect(e.received.length).toBeGreaterThan(20);
    expect(bus.stats.collisions).toBe(1);
    // addressed singly, each answers cleanly
    const one = await exchange(
      socket,
      cjt188.buildReadData(0x10, '00000000000012', '901F', 2),
      cjt188.extractor(),
    );
    expect(cjt188.decode(one.frame as Uint8Array).data.current_cumulative).toBe(12);
  });

  it('timing follows the baud rate: 20 bytes out and the reply back take their wire time', async () => {
    const { socket, pop } = await rig({ baud: 2400, seed: 2 }, { clock: systemClock, dlt645: 1 });
    const req = Uint8Array.from([
      0xfe,
      0xfe,
      0xfe,
      0xfe,
      ...dlt645.buildReadRequest('000000000001', '00010000'),
    ]);
    expect(req.length).toBe(20);
    const e = await exchange(socket, req, dlt645.extractor());
    expect(e.frame).not.toBeNull();
    const wire = ((20 + 24) * 11 * 1000) / 2400; // 201.7 ms on the line
    expect(e.elapsedMs).toBeGreaterThanOrEqual(wire + pop.dlt645[0].latencyMs - 5);
    expect(e.elapsedMs).toBeGreaterThanOrEqual(90);
    expect(e.chunks).toBeGreaterThan(1);
  });

  // generous timeout: a reply takes ~40 ms at 19200 bps, so only the PRNG decides the outcome
  async function lossRun(
    opts: Rs485BusOptions,
    count = 16,
  ): Promise<{ outcomes: string; stats: Rs485Bus['stats'] }> {
    const { socket, bus } = await rig({ baud: 19200, ...opts }, { clock: systemClock, dlt645: 1 });
    let outcomes = '';
    for (let i = 0; i < count; i++) {
      const request = dlt645.buildReadRequest('000000000001', '00010000');
      const e = await exchange(socket, request, dlt645.extractor(), 500);
      outcomes += e.frame ? 'o' : 'x';
    }
    return { outcomes, stats: { ...bus.stats } };
  }

  it('seeded loss drops frames reproducibly', async () => {
    const a = await lossRun({ loss: 0.3, seed: 42 });
    const b = await lossRun({ loss: 0.3, seed: 42 });
    expect(a.outcomes).toBe(b.outcomes);
    expect(a.outcomes).toContain('x');
    expect(a.outcomes).toContain('o');
    expect(a.outcomes.split('x').length - 1).toBe(a.stats.lost);
  });

  it('seeded corruption breaks checksums so the master sees no valid frame', async () => {
    const r = await lossRun({ corruption: 1, seed: 9 }, 6);
    expect(r.outcomes).toBe('x'.repeat(6));
    expect(r.stats.corrupted).toBeGreaterThanOrEqual(6);
    const clean = await lossRun({ corruption: 0, seed: 9 }, 6);
    expect(clean.outcomes).toBe('o'.repeat(6));
  });
});
