import { afterEach, describe, expect, it } from 'vitest';
import plugin from './index.ts';
import { A1, meters, simAddress, startMaster, startSim, waitUntil } from './test-support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const poll = plugin.mode === 'poll' ? plugin : undefined;
const gateway = (a2: number, params?: Record<string, unknown>) => ({
  id: `gw-${a2}`,
  protocol: 'gdw1376',
  address: `${A1}-${a2}`,
  ...(params ? { params } : {}),
});

async function setup(a2: number, n: number) {
  const m = await startMaster();
  cleanups.push(() => m.stop());
  const s = startSim(m.port, a2, { meters: n });
  cleanups.push(() => s.stop());
  await waitUntil(() => s.state === 'logged-in');
  return { m, s };
}

describe('the concentrator meter table (AFN 0A F10 / AFN 04 F10)', () => {
  it('reads the whole table back in queries of 64 serial numbers', async () => {
    const { m, s } = await setup(61, 70);
    const before = s.options.table.size;
    const table = await poll?.readAddresses?.(gateway(61), m.ctx);
    expect(table).toHaveLength(70);
    expect(table?.[0]).toEqual({
      point: 1,
      port: 2,
      protocol: 'dlt645-2007',
      address: simAddress(61, 1),
      collector: '',
    });
    expect(table?.[69]).toMatchObject({ point: 70, address: simAddress(61, 70) });
    expect(s.options.table.size).toBe(before);
  });

  it('reads back what downloadAddresses loaded, and finds planted changes', async () => {
    const { m, s } = await setup(62, 0);
    const ms = meters(62, [1, 2, 3]).map((x, i) => ({ ...x, params: { port: i === 2 ? 31 : 2 } }));
    expect(await poll?.downloadAddresses?.(gateway(62), ms, m.ctx)).toEqual({ accepted: 3, rejected: [] });
    expect(await poll?.readAddresses?.(gateway(62), m.ctx)).toEqual([
      { point: 1, port: 2, protocol: 'dlt645-2007', address: simAddress(62, 1), collector: '' },
      { point: 2, port: 2, protocol: 'dlt645-2007', address: simAddress(62, 2), collector: '' },
      { point: 3, port: 31, protocol: 'dlt645-2007', address: simAddress(62, 3), collector: '' },
    ]);
    s.params.plant({ serial: 2, address: '000000000777', collector: '000000000042', protocol: 1 });
    s.params.plant({ serial: 9, pn: 9, address: '000000000009', port: 3 });
    s.params.drop(3);
    expect(await poll?.readAddresses?.(gateway(62), m.ctx)).toEqual([
      { point: 1, port: 2, protocol: 'dlt645-2007', address: simAddress(62, 1), collector: '' },
      { point: 2, port: 2, protocol: 'dlt645-1997', address: '000000000777', collector: '000000000042' },
      { point: 9, port: 3, protocol: 'dlt645-2007', address: '000000000009', collector: '' },
    ]);
  });

  it('removes points by sending their serial numbers with measuring point 0', async () => {
    const { m, s } = await setup(63, 4);
    s.params.plant({ serial: 30, pn: 12, address: '000000000012' });
    const r = await poll?.removeAddresses?.(gateway(63), [2, 12, 40], m.ctx);
    expect(r).toEqual({ accepted: 3, rejected: [] });
    expect(s.params.records().map((x) => [x.serial, x.pn])).toEqual([
      [1, 1],
      [3, 3],
      [4, 4],
    ]);
    expect(s.options.table.get(2)).toBeUndefined();
    expect((await poll?.readAddresses?.(gateway(63), m.ctx))?.map((x) => x.point)).toEqual([1, 3, 4]);
  });

  it('sweeps only tableSize serial numbers when the gateway names it', async () => {
    const { m, s } = await setup(64, 3);
    s.params.plant({ serial: 100, pn: 100, address: '000000000100' });
    const small = await poll?.readAddresses?.(gateway(64, { tableSize: 64 }), m.ctx);
    expect(small?.map((x) => x.point)).toEqual([1, 2, 3]);
    const all = await poll?.readAddresses?.(gateway(64), m.ctx);
    expect(all?.map((x) => x.point)).toEqual([1, 2, 3, 100]);
  });

  it('fails with GATEWAY_OFFLINE for a concentrator that is not connected, ROUTE_INVALID for a bad address', async () => {
    const { m } = await setup(65, 1);
    await expect(poll?.readAddresses?.(gateway(66), m.ctx)).rejects.toMatchObject({
      code: 'GATEWAY_OFFLINE',
    });
    await expect(
      poll?.readAddresses?.({ id: 'x', protocol: 'gdw1376', address: 'nonsense' }, m.ctx),
    ).rejects.toMatchObject({ code: 'ROUTE_INVALID' });
    expect(await poll?.removeAddresses?.(gateway(66), [1], m.ctx)).toEqual({
      accepted: 0,
      rejected: [{ meterId: 'point:1', reason: 'GATEWAY_OFFLINE' }],
    });
  });
});
