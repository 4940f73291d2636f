import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { masterOf } from './runtime.ts';
import {
  A1,
  collect,
  rawTerminal,
  request,
  type Started,
  startMaster,
  startSim,
  waitUntil,
} from './test-support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const energy = (total: number) => ({
  time: '2026-06-14 10:00',
  tariffCount: 4,
  total_kWh: total,
  tariffs_kWh: [1, 2, 3, total - 6],
});

/** A terminal played by hand: logs in, then hands every master request to `answer`. */
async function handTerminal(
  m: Started,
  a2: number,
  answer: (req: gdw.GdwFrame, t: { write(b: Uint8Array | Buffer): void; destroy(): void }) => void,
) {
  const t = await rawTerminal(m.port);
  cleanups.push(async () => void t.socket.destroy());
  const addr = { A1_region: A1, A2_terminal: a2 };
  const x = gdw.extractor();
  t.socket.on('data', (d: Buffer) => {
    for (const b of x.push(new Uint8Array(d)).frames) {
      const f = gdw.decodeFrame(b);
      if (f.afn !== '00')
        answer(f, { write: (bytes) => t.socket.write(bytes), destroy: () => t.socket.destroy() });
    }
  });
  t.socket.write(gdw.buildLogin(addr, 0));
  await waitUntil(() => masterOf(m.ctx)?.online === 1);
  return { addr, t };
}

function replies(req: gdw.GdwFrame, maxUserData?: number): Uint8Array[] {
  const addr = { A1_region: A1, A2_terminal: req.address.A2_terminal, A3_master: req.address.A3_master };
  const items = req.units.map((u) => ({ pn: u.pn, fn: u.fn, data: energy(100 + Number(u.pn)) }));
  return gdw.buildReadReply(addr, req.afn, items, req.seq.pseq, { maxUserData });
}

describe('robustness of the link', () => {
  it('skips garbage, keeps half frames until the rest arrives, reassembles a three-frame reply', async () => {
    const m = await startMaster();
    cleanups.push(() => m.stop());
    let sent = 0;
    await handTerminal(m, 31, (req, t) => {
      const frames = replies(req, 60);
      sent = frames.length;
      const all = Buffer.concat([Buffer.from('16 68 ff 00 68 99 de ad'.replace(/ /g, ''), 'hex'), ...frames]);
      // byte by byte at first, then the rest in two uneven pieces
      for (let i = 0; i < 12; i++) t.write(all.subarray(i, i + 1));
      t.write(all.subarray(12, 40));
      setTimeout(() => t.write(all.subarray(40)), 30);
    });
    const results = await collect(m.ctx, request(31, [1, 2, 3]));
    expect(sent).toBeGreaterThanOrEqual(3);
    expect(results.map((r) => (r.ok ? r.reading.registers.activeImportTotal : r.error.code))).toEqual([
      '101',
      '102',
      '103',
    ]);
  });

  it('ignores a reply with the wrong RSEQ or AFN and takes the matching one', async () => {
    const m = await startMaster();
    cleanups.push(() => m.stop());
    await handTerminal(m, 32, (req, t) => {
      const wrongSeq = { ...req, seq: { ...req.seq, pseq: (req.seq.pseq + 5) & 15 } };
      t.write(replies(wrongSeq)[0]);
      t.write(replies({ ...req, afn: '0D' })[0]);
      setTimeout(() => t.write(replies(req)[0]), 20);
    });
    const results = await collect(m.ctx, request(32, [4]));
    expect(results[0]).toMatchObject({ ok: true, reading: { registers: { activeImportTotal: '104' } } });
    const master = masterOf(m.ctx);
    expect(master?.session({ a1: A1, a2: 32 })?.ignored).toBe(2);
  });

  it('a terminal that drops the link mid-reply fails the outstanding meters with GATEWAY_DISCONNECTED', async () => {
    const m = await startMaster({ pointsPerRequest: 2 });
    cleanups.push(() => m.stop());
    let requests = 0;
    await handTerminal(m, 33, (req, t) => {
      requests++;
      const frames = replies(req, 60);
      if (requests === 1) for (const f of frames) t.write(f);
      else {
        t.write(frames[0]); // FIR without FIN, then the modem hangs up
        setTimeout(() => t.destroy(), 20);
      }
    });
    const results = await collect(m.ctx, request(33, [1, 2, 3, 4, 5]));
    expect(results.map((r) => r.meterId)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(results.slice(0, 2).every((r) => r.ok)).toBe(true);
    for (const r of results.slice(2))
      expect(r).toMatchObject({ ok: false, error: { code: 'GATEWAY_DISCONNECTED', retryable: true } });
    await waitUntil(() => m.gatewayEvents.some((e) => e.a2 === 33 && !e.online));
    // the master still serves others
    const sim = startSim(m.port, 34);
    cleanups.push(() => sim.stop());
    await waitUntil(() => sim.state === 'logged-in');
    expect((await collect(m.ctx, request(34, [1])))[0].ok).toBe(true);
  });

  it('a silent terminal times out per request (TIMEOUT, retryable) and the next request still works', async () => {
    const m = await startMaster({ requestTimeoutMs: 150 });
    cleanups.push(() => m.stop());
    let n = 0;
    await handTerminal(m, 35, (req, t) => {
      if (n++ > 0) t.write(replies(req)[0]);
    });
    const [first] = await collect(m.ctx, request(35, [1]));
    expect(first).toMatchObject({ ok: false, error: { code: 'TIMEOUT', retryable: true } });
    const [second] = await collect(m.ctx, request(35, [1]));
    expect(second.ok).toBe(true);
  });

  it('undecodable frames with a valid envelope are counted and dropped, the link stays up', async () => {
    const m = await startMaster();
    cleanups.push(() => m.stop());
    const { t } = await handTerminal(m, 36, (req, w) => w.write(replies(req)[0]));
    // a well-framed frame whose DA names nothing (DA2 = 0 with DA1 ≠ 0)
    const body = Buffer.from([0x88, 0x01, 0x35, 36, 0, 0, 0x0c, 0x60, 0x01, 0x00, 0x01, 0x10]);
    const l = (body.length << 2) | 2;
    const cs = body.reduce((a, b) => (a + b) & 0xff, 0);
    t.socket.write(
      Buffer.concat([
        Buffer.from([0x68, l & 0xff, l >> 8, l & 0xff, l >> 8, 0x68]),
        body,
        Buffer.from([cs, 0x16]),
      ]),
    );
    await waitUntil(() => (masterOf(m.ctx)?.stats.badFrames ?? 0) === 1);
    expect((await collect(m.ctx, request(36, [2])))[0].ok).toBe(true);
  });

  it('an aborted read ends early with ABORTED results and releases the link', async () => {
    const m = await startMaster();
    cleanups.push(() => m.stop());
    const s = startSim(m.port, 37);
    cleanups.push(() => s.stop());
    await waitUntil(() => s.state === 'logged-in');
    const controller = new AbortController();
    controller.abort();
    const results = await collect(m.ctx, request(37, [1, 2], { signal: controller.signal }));
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ABORTED', 'ABORTED']);
    expect((await collect(m.ctx, request(37, [1])))[0].ok).toBe(true);
  });
});
