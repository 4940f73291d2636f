import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@quadmeter/protocols';
import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { masterOf } from './runtime.ts';
import { collect, meters, rawTerminal, request, startMaster, waitUntil } from './test-support.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/frames.json', import.meta.url), 'utf8')) as {
  frames: { name: string; hex: string }[];
};
const hex = (name: string): string => {
  const f = fixture.frames.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return f.hex.replace(/ /g, '');
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe('the master station speaks the fixture bytes', () => {
  it('login, heartbeat, F129 / F161 / F177 reads and AFN 10 forwarding, byte for byte', async () => {
    const m = await startMaster({ msa: 1 });
    cleanups.push(() => m.stop());
    const t = await rawTerminal(m.port);
    cleanups.push(async () => void t.socket.destroy());
    const x = gdw.extractor();
    const got: string[] = [];
    const sent = () => got.length;
    t.socket.on('data', (d: Buffer) => {
      for (const b of x.push(new Uint8Array(d)).frames) {
        got.push(bytesToHex(b).toUpperCase());
        const f = gdw.decodeFrame(b);
        const addr = { A1_region: '3501', A2_terminal: 4, A3_master: f.address.A3_master };
        if (f.afn === '0C' && f.units.length === 2) t.socket.write(hexToBytes(hex('replyF129')));
        else if (f.afn === '0C' || f.afn === '0D') {
          const data = { time: '2026-06-15 00:00', tariffCount: 4, total_kWh: 1, tariffs_kWh: [0, 0, 0, 1] };
          const items = f.units.map((u) => ({
            pn: u.pn,
            fn: u.fn,
            data: { ...(u.data as object), ...data },
          }));
          for (const r of gdw.buildReadReply(addr, f.afn, items, f.seq.pseq)) t.socket.write(r);
        } else if (f.afn === '10') {
          const meter = dlt645.buildReadReply('350100040001', '02010100', 231.5);
          t.socket.write(gdw.buildForwardReply(addr, 2, meter, f.seq.pseq));
        }
      }
    });
    t.socket.write(hexToBytes(hex('login')));
    await waitUntil(() => sent() === 1);
    expect(got[0]).toBe(hex('loginConfirm'));
    t.socket.write(hexToBytes(hex('heartbeat')));
    await waitUntil(() => sent() === 2);
    expect(got[1]).toBe(hex('heartbeatConfirm'));
    expect(masterOf(m.ctx)?.online).toBe(1);

    const [r1, r2] = await collect(m.ctx, request(4, [1, 2]));
    expect(got[2]).toBe(hex('readF129'));
    for (const r of [r1, r2])
      expect(r).toMatchObject({
        ok: true,
        reading: {
          measuredAt: '2026-06-14T02:00:00.000Z',
          registers: {
            // A.14 carries 4 decimals; the meter type keeps 2 (energyDecimals): cut, not rounded
            activeImportTotal: '1234.56',
            activeImportT1: '100',
            activeImportT2: '200.5',
            activeImportT3: '300',
            activeImportT4: '634.06',
          },
        },
      });
    await collect(m.ctx, request(4, [1], { kind: 'daily', frozenFor: '2026-06-15' }));
    expect(got[3]).toBe(hex('readF161'));
    await collect(m.ctx, request(4, [1], { kind: 'monthly', frozenFor: '2026-07' }));
    expect(got[4]).toBe(hex('readF177'));
    const [v] = await collect(m.ctx, request(4, [1], { meters: meters(4, [1], ['voltageA']) }));
    expect(got[6]).toBe(hex('forwardRead'));
    expect(v).toMatchObject({ ok: true, reading: { registers: { voltageA: '231.5' } } });
  });

  it('a login no enabled tenant has is answered with the fixture deny', async () => {
    const m = await startMaster({}, { unknown: () => true });
    cleanups.push(() => m.stop());
    const t = await rawTerminal(m.port);
    t.socket.write(hexToBytes(hex('login')));
    await new Promise<void>((r) => t.socket.once('close', () => r()));
    expect(bytesToHex(new Uint8Array(Buffer.concat(t.received))).toUpperCase()).toBe(hex('loginDeny'));
  });
});
