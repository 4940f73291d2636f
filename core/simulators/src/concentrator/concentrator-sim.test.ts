import { afterEach, describe, expect, it } from 'vitest';
import * as dlt645 from '../../../protocols/src/dlt645/index.ts';
import * as gdw from '../../../protocols/src/gdw1376/index.ts';
import { ManualClock } from '../time/clock.ts';
import { fromWallTime } from '../time/wall-time.ts';
import { ConcentratorSim } from './concentrator-sim.ts';
import { MeterTable } from './meter-table.ts';
import { TestMaster } from './test-master.ts';

const A = { A1_region: '3501', A2_terminal: 1 };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup(meters: number, extra: Partial<ConstructorParameters<typeof ConcentratorSim>[0]> = {}) {
  const master = new TestMaster();
  const port = await master.listen();
  cleanups.push(() => master.close());
  const clock = new ManualClock(fromWallTime({ year: 2026, month: 6, day: 14, hour: 10 }));
  const table = MeterTable.generate(clock, meters, 35010001);
  const sim = new ConcentratorSim({
    master: { host: '127.0.0.1', port },
    a1: '3501',
    a2: 1,
    table,
    clock,
    heartbeatSec: 0.2,
    reconnectMs: 100,
    ...extra,
  });
  cleanups.push(() => sim.stop());
  sim.start();
  await master.waitFor((f) => f.afn === '02' && f.units[0]?.fn === 1);
  await waitUntil(() => sim.state === 'logged-in');
  return { master, sim, table, clock };
}

async function waitUntil(cond: () => boolean, ms = 3000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Q/GDW 1376.1 concentrator simulator', () => {
  it('logs in, sends heartbeats and answers F129 with one missed meter as EE', async () => {
    const { master, table } = await setup(5, { missing: [2] });
    const login = master.frames[0];
    expect(login.c).toBe('C9');
    expect(login.address.A1_region).toBe('3501');
    await master.waitFor((f) => f.afn === '02' && f.units[0]?.fn === 3);
    const [reply] = await master.request(
      gdw.buildRead(
        { ...A, A3_master: 2 },
        '0C',
        [1, 2, 3].map((pn) => ({ pn, fn: 129 })),
        5,
      ),
    );
    expect(reply.dir).toBe('up');
    expect(reply.address.A3_master).toBe(2);
    const byPn = new Map(
      reply.units.map((u) => [
        u.pn,
        u.data as { total_kWh: number | null; tariffs_kWh: number[]; time: string | null },
      ]),
    );
    expect(byPn.get(1)?.total_kWh).toBe(table.get(1)?.device.meter.registers().positive[0]);
    expect(byPn.get(3)?.tariffs_kWh).toEqual(table.get(3)?.device.meter.registers().positive.slice(1));
    expect(byPn.get(2)?.total_kWh).toBeNull();
    expect(byPn.get(2)?.time).toBeNull();
  });

  it('loses the share of requests its loss option names (seeded), and answers the rest', async () => {
    const { master, sim } = await setup(2, { loss: 0.5, seed: 7 });
    let answered = 0;
    for (let i = 0; i < 40; i++) {
      const got = await master
        .request(gdw.buildRead({ ...A, A3_master: 2 }, '0C', [{ pn: 1, fn: 129 }], i & 0x0f), 150)
        .then(
          () => true,
          () => false,
        );
      if (got) answered++;
    }
    expect(sim.lost + answered).toBe(40);
    expect(sim.lost).toBeGreaterThan(8);
    expect(answered).toBeGreaterThan(8);
  });

  it('answers daily frozen F161 for a date, the terminal clock, and F25', async () => {
    const { master, table, clock } = await setup(3, { missing: [3] });
    clock.advance(30 * 3_600_000); // past 2026-06-15 00:00, the freeze that closes the 14th
    const [reply] = await master.request(
      gdw.buildRead(
        A,
        '0D',
        [1, 3].map((pn) => ({ pn, fn: 161, data: { date: '2026-06-14' } })),
        6,
      ),
    );
    const d1 = reply.units.find((u) => u.pn === 1)?.data as { date: string; total_kWh: number; time: string };
    const frozen = table.get(1)?.device.meter.daily.last(1);
    expect(d1.date).toBe('2026-06-14');
    expect(d1.time).toBe('2026-06-15 00:00');
    expect(d1.total_kWh).toBe(frozen?.positive[0]);
    expect(
      (reply.units.find((u) => u.pn === 3)?.data as { total_kWh: unknown } | undefined)?.total_kWh,
    ).toBeNull();
    const [nothing] = await master.request(
      gdw.buildRead(A, '0D', [{ pn: 1, fn: 161, data: { date: '2026-01-01' } }], 7),
    );
    expect((nothing.units[0].data as { total_kWh: unknown }).total_kWh).toBeNull();
    const [clk] = await master.request(
      gdw.buildRead(
        A,
        '0C',
        [
          { pn: 0, fn: 2 },
          { pn: 1, fn: 25 },
        ],
        8,
      ),
    );
    expect(
      (clk.units.find((u) => u.fn === 2)?.data as { clock: { time: string } } | undefined)?.clock.time,
    ).toBe('2026-06-15 16:00:00');
    const f25 = clk.units.find((u) => u.fn === 25)?.data as { voltage_V: { a: number } };
    expect(f25.voltage_V.a).toBe(220.1);
    clock.advance(20 * 86_400_000); // past the settlement of 2026-07-01 00:00
    const [month] = await master.request(
      gdw.buildRead(A, '0D', [{ pn: 1, fn: 177, data: { month: '2026-06' } }], 9),
    );
    const m1 = month.units[0].data as { month: string; total_kWh: number; time: string };
    expect(m1.month).toBe('2026-06');
    expect(m1.time).toBe('2026-07-01 00:00');
    expect(m1.total_kWh).toBe(table.get(1)?.device.meter.monthly.last(1)?.positive[0]);
  });

  it('splits a reply for many meters into several frames that reassemble', async () => {
    const { master, table } = await setup(60, { maxUserData: 300 });
    const frames = await master.request(gdw.buildRead(A, '0C', [{ pn: 'all', fn: 129 }], 9));
    expect(frames.length).toBeGreaterThan(1);
    const all = gdw.assembleMultiFrame(frames);
    expect(all.units).toHaveLength(60);
    const u60 = all.units.find((u) => u.pn === 60)?.data as { total_kWh: number };
    expect(u60.total_kWh).toBe(table.get(60)?.device.meter.registers().positive[0]);
  });

  it('stores a downloaded meter list and forwards DL/T 645 reads through AFN 10', async () => {
    const { master, table, sim } = await setup(2);
    const [ack] = await master.request(
      gdw.buildMeterConfigDownload(
        A,
        [{ serial: 7, pn: 7, port: 2, baud: 2400, protocol: 30, address: '123456789012' }],
        10,
        '00'.repeat(16),
      ),
    );
    expect(ack.afn).toBe('00');
    expect(ack.units[0].fn).toBe(1);
    expect(table.get(7)?.device.meter.address).toBe('123456789012');
    expect(table.get(7)?.config?.port).toBe(2);
    const [read] = await master.request(gdw.buildRead(A, '0C', [{ pn: 7, fn: 129 }], 11));
    expect((read.units[0].data as { total_kWh: number }).total_kWh).toBe(
      table.get(7)?.device.meter.registers().positive[0],
    );

    const [fwd] = await master.request(
      gdw.buildForward(A, 2, dlt645.buildReadRequest('123456789012', '00010000'), 12, {
        pw: '00'.repeat(16),
      }),
    );
    const content = await gdw.decodeForward(fwd);
    expect(content.dir).toBe('up');
    expect((content.decoded as { value: number }).value).toBe(
      table.get(7)?.device.meter.registers().positive[0],
    );
    const [none] = await master.request(
      gdw.buildForward(A, 2, dlt645.buildReadRequest('999999999990', '00010000'), 13, {
        pw: '00'.repeat(16),
      }),
    );
    expect((await gdw.decodeForward(none)).hex).toBe('');

    const [ctl] = await master.request(
      gdw.buildControl(A, 31, 0, 14, { clock: '2026-06-14 12:00:00' }, { pw: '00'.repeat(16) }),
    );
    expect(ctl.afn).toBe('00');
    expect(sim.controls.at(-1)?.fn).toBe(31);
    const [unknown] = await master.request(gdw.buildRead(A, '0C', [{ pn: 99, fn: 129 }], 15));
    expect(unknown.afn).toBe('00');
    expect(unknown.units[0].fn).toBe(3);
  });

  it('reconnects and logs in again when the master drops the link', async () => {
    const { master, sim } = await setup(1);
    const logins = () => master.frames.filter((f) => f.afn === '02' && f.units[0]?.fn === 1).length;
    master.socket?.destroy();
    await waitUntil(() => logins() === 2 && sim.state === 'logged-in');
    expect(sim.connections).toBe(2);
  });
});
