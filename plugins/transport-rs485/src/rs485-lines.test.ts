import type { ReadRequest, ReadResult } from '@quadmeter/sdk';
import { decimalString } from '@quadmeter/sdk/serial';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { configOf, type Rs485Config } from './config.ts';
import plugin from './index.ts';
import { closeLines } from './pool.ts';
import { pastClock, power } from './sim-meters.ts';
import { badChecksum, cutShort, mangled, type SimLine, tcpLine } from './test-lines.ts';

const lines: SimLine[] = [];
afterEach(async () => {
  await closeLines();
  while (lines.length) await lines.pop()?.close();
});

const { ctx } = makeTestContext<Rs485Config>({ pluginId: 'transport-rs485', config: configOf({}) });

async function readAll(
  req: Omit<ReadRequest, 'signal' | 'tenantId'>,
  onResult?: (r: ReadResult) => void,
): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  for await (const r of plugin.read({ tenantId: TEST_TENANT_ID, signal: ctx.signal, ...req }, ctx)) {
    onResult?.(r);
    out.push(r);
  }
  return out;
}

const meter = (meterId: string, address: string) => ({ meterId, ref: { protocol: 'dlt645-2007', address } });

describe('transport-rs485 lines', () => {
  it('retries dropped frames: a lossy line still reads every meter', async () => {
    const clock = pastClock();
    const devices = ['000000000601', '000000000602', '000000000603', '000000000604'].map((a) =>
      power(clock, a),
    );
    const line = await tcpLine(devices, { loss: 0.3, seed: 7 }, { retries: 8, marginMs: 60 });
    lines.push(line);
    clock.catchUp();
    const results = await readAll({
      line: line.ref,
      meters: devices.map((d, i) => ({
        ...meter(`m${i}`, d.meter.address),
        registers: ['activeImportTotal'],
      })),
    });
    for (const [i, r] of results.entries()) {
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok)
        expect(r.reading.registers).toEqual({
          activeImportTotal: decimalString(devices[i].meter.registers().positive[0], 2),
        });
    }
    // frames were lost, and the requests that went out outnumber the four the meters needed
    expect(line.bus.stats.lost).toBeGreaterThan(0);
    expect(line.bus.stats.requestFrames).toBeGreaterThan(devices.length);
  });

  it('without retries a lost frame is NO_REPLY; a bad checksum is CHECKSUM; a cut reply is TIMEOUT; trailing noise is skipped', async () => {
    const clock = pastClock();
    const lossy = await tcpLine([power(clock, '000000000701')], { loss: 1 }, { retries: 0 });
    const faulty = await tcpLine(
      [
        mangled(power(clock, '000000000702'), badChecksum),
        mangled(power(clock, '000000000703'), cutShort),
        // line noise after a good reply: skipped, and the next request waits for the line to go quiet
        mangled(power(clock, '000000000704'), (r) => Uint8Array.of(...r, 0x00, 0xff, 0x68, 0x16, 0x55)),
      ],
      {},
      // a quiet line is three byte times by default; a loaded test machine can stall the socket
      // that long between chunks of one reply, so the wait for quiet is longer here
      { retries: 1, idleMs: 150 },
    );
    lines.push(lossy, faulty);
    const [lost] = await readAll({ line: lossy.ref, meters: [meter('lost', '000000000701')] });
    expect(lost).toMatchObject({ ok: false, error: { code: 'NO_REPLY', retryable: true } });
    const [sum, cut, noisy] = await readAll({
      line: faulty.ref,
      meters: [meter('sum', '000000000702'), meter('cut', '000000000703'), meter('noisy', '000000000704')],
    });
    expect(noisy, JSON.stringify(noisy)).toMatchObject({
      ok: true,
      reading: { route: { address: '000000000704' } },
    });
    expect(sum).toMatchObject({ ok: false, error: { code: 'CHECKSUM', retryable: true } });
    expect(cut).toMatchObject({ ok: false, error: { code: 'TIMEOUT', retryable: true } });
    expect(faulty.bus.stats.collisions).toBe(0);
  });

  it('a factory-default address repeated on two lines reads each meter by its line', async () => {
    const clock = pastClock();
    const a = power(clock, '000000000001', { energy: 100 });
    const b = power(clock, '000000000001', { energy: 9000 });
    const lineA = await tcpLine([a]);
    const lineB = await tcpLine([b]);
    lines.push(lineA, lineB);
    clock.catchUp();
    const [ra] = await readAll({ line: lineA.ref, meters: [meter('a', '000000000001')] });
    const [rb] = await readAll({ line: lineB.ref, meters: [meter('b', '000000000001')] });
    if (!ra.ok || !rb.ok) throw new Error('both read');
    expect(ra.reading.route).toEqual({ via: 'serial', line: lineA.key, address: '000000000001' });
    expect(rb.reading.route).toEqual({ via: 'serial', line: lineB.key, address: '000000000001' });
    expect(ra.reading.registers.activeImportTotal).toBe(decimalString(a.meter.registers().positive[0], 2));
    expect(rb.reading.registers.activeImportTotal).toBe(decimalString(b.meter.registers().positive[0], 2));
    expect(ra.reading.idempotencyKey).not.toBe(rb.reading.idempotencyKey);
  });

  it('two lines are read in parallel: their results interleave', async () => {
    const clock = pastClock();
    const addrs = ['000000000801', '000000000802', '000000000803'];
    const lineA = await tcpLine(addrs.map((x) => power(clock, x)));
    const lineB = await tcpLine(addrs.map((x) => power(clock, x)));
    lines.push(lineA, lineB);
    clock.catchUp();
    const order: string[] = [];
    const ms = addrs.map((x, i) => meter(`${i}`, x));
    await Promise.all([
      readAll({ line: lineA.ref, meters: ms }, (r) => order.push(`A${r.meterId}${r.ok}`)),
      readAll({ line: lineB.ref, meters: ms }, (r) => order.push(`B${r.meterId}${r.ok}`)),
    ]);
    expect(order.sort()).toEqual(['A0true', 'A1true', 'A2true', 'B0true', 'B1true', 'B2true']);
    const seq: string[] = [];
    await Promise.all([
      readAll({ line: lineA.ref, meters: ms }, () => seq.push('A')),
      readAll({ line: lineB.ref, meters: ms }, () => seq.push('B')),
    ]);
    // line B yields its first meter before line A has finished, and the other way round
    expect(seq.indexOf('B')).toBeLessThan(seq.lastIndexOf('A'));
    expect(seq.indexOf('A')).toBeLessThan(seq.lastIndexOf('B'));
  });

  it('one talker per line: concurrent reads and a control on one line never collide', async () => {
    const clock = pastClock();
    const addrs = ['000000000901', '000000000902', '000000000903'];
    const devices = addrs.map((x) => power(clock, x));
    const line = await tcpLine(devices, {}, { retries: 0 });
    lines.push(line);
    clock.catchUp();
    const ms = addrs.map((x, i) => meter(`${i}`, x));
    const [r1, r2, trip] = await Promise.all([
      readAll({ line: line.ref, meters: ms }),
      readAll({ line: line.ref, meters: ms }),
      plugin.control(
        {
          id: 'c1',
          tenantId: TEST_TENANT_ID,
          meterId: 'm',
          ref: ms[1].ref,
          line: line.ref,
          action: 'relay-trip',
        },
        ctx,
      ),
    ]);
    expect([...r1, ...r2].every((r) => r.ok)).toBe(true);
    expect(trip).toEqual({
      commandId: 'c1',
      ok: true,
      status: 'confirmed',
      state: { relay: 'open' },
      detail: 'relay open',
    });
    expect(line.bus.stats.collisions).toBe(0);
    expect(devices[1].meter.relay.state).toBe('tripped');
  });
});
