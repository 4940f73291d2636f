import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../common/bytes.ts';
import { fixtures } from './fixtures.ts';
import {
  assembleMultiFrame,
  buildConfirm,
  buildControl,
  buildDeny,
  buildForward,
  buildHeartbeat,
  buildLogin,
  buildRead,
  buildReadReply,
  codec,
  decode,
  decodeDa,
  decodeDt,
  decodeForward,
  encode,
  encodeDa,
  encodeDt,
} from './index.ts';
import { addr, codeOf, fx, reframe } from './test-helpers.ts';

describe('DA / DT', () => {
  it('maps pn and Fn to the standard bit positions', () => {
    expect(bytesToHex(encodeDa([0]))).toBe('0000');
    expect(bytesToHex(encodeDa(['all']))).toBe('FF00');
    expect(bytesToHex(encodeDa([9]))).toBe('0102');
    expect(bytesToHex(encodeDa([1, 2, 3, 8]))).toBe('8701');
    expect(bytesToHex(encodeDt([10]))).toBe('0201');
    expect(bytesToHex(encodeDt([25]))).toBe('0103');
    expect(bytesToHex(encodeDt([129]))).toBe('0110');
    expect(bytesToHex(encodeDt([161]))).toBe('0114');
    expect(bytesToHex(encodeDt([177]))).toBe('0116');
    expect(decodeDa(0xff, 0xff)).toEqual([2033, 2034, 2035, 2036, 2037, 2038, 2039, 2040]);
    expect(decodeDt(0x81, 30)).toEqual([241, 248]);
  });
  it('rejects identifiers that name nothing', () => {
    expect(codeOf(() => decodeDa(0x05, 0))).toBe('FRAME_FIELD_INVALID');
    expect(codeOf(() => decodeDa(0, 3))).toBe('FRAME_FIELD_INVALID');
    expect(codeOf(() => decodeDt(0, 1))).toBe('FRAME_FIELD_INVALID');
    expect(codeOf(() => encodeDa([1, 9]))).toBe('ENCODE_INPUT_INVALID');
    expect(codeOf(() => encodeDt([1, 9]))).toBe('ENCODE_INPUT_INVALID');
  });
  it('packs read items into the fewest data units', () => {
    const unitsOf = (items: { pn: number; fn: number }[]) =>
      new Set(decode(buildRead(addr, '0C', items, 1)).units.map((u) => u.unit)).size;
    expect(unitsOf([1, 2, 3, 4, 5, 6, 7, 8].map((pn) => ({ pn, fn: 129 })))).toBe(1);
    expect(
      unitsOf([
        { pn: 1, fn: 129 },
        { pn: 9, fn: 129 },
      ]),
    ).toBe(2);
    expect(
      unitsOf([
        { pn: 1, fn: 129 },
        { pn: 1, fn: 130 },
        { pn: 2, fn: 129 },
        { pn: 2, fn: 130 },
      ]),
    ).toBe(1);
    expect(
      unitsOf([
        { pn: 1, fn: 129 },
        { pn: 1, fn: 130 },
        { pn: 2, fn: 129 },
      ]),
    ).toBe(2);
    // same Fn set for points 1,2,3 and a lone F131 on point 1: grouping by Fn gives 2, by point 2
    expect(
      unitsOf([
        { pn: 1, fn: 129 },
        { pn: 2, fn: 129 },
        { pn: 3, fn: 129 },
        { pn: 1, fn: 131 },
      ]),
    ).toBe(2);
    expect(
      unitsOf([
        { pn: 0, fn: 2 },
        { pn: 1, fn: 2 },
      ]),
    ).toBe(2);
  });
  it('keeps an explicit unit grouping', () => {
    const f = decode(
      buildRead(
        addr,
        '0C',
        [
          { pn: 1, fn: 129 },
          { pn: 2, fn: 129 },
        ],
        1,
      ),
    );
    expect(new Set(f.units.map((u) => u.unit)).size).toBe(1);
    const split = f.units.map((u, i) => ({ ...u, unit: i }));
    const user = [
      0x4b, 0x01, 0x35, 0x01, 0x00, 0x04, 0x0c, 0x61, 0x01, 0x01, 0x01, 0x10, 0x02, 0x01, 0x01, 0x10,
    ];
    expect(bytesToHex(encode({ ...f, units: split }))).toBe(bytesToHex(reframe(user)));
  });
});

describe('builders', () => {
  it('login and heartbeat come from the terminal with MSA 0 and CON set', () => {
    const f = decode(buildLogin({ ...addr, A3_master: 9 }, 3));
    expect(f).toMatchObject({ c: 'C9', address: { A3_master: 0 }, seq: { con: true, pseq: 3 } });
    expect(decode(buildHeartbeat(addr, 4, '2023-01-01 00:00:00')).units[0].data).toEqual({
      clock: { time: '2023-01-01 00:00:00', weekday: 7 },
    });
  });
  it('builds confirms and denies both ways', () => {
    expect(decode(buildConfirm(addr, 1, 4, [{ pn: 0, fn: 10 }], { dir: 'up' }))).toMatchObject({
      c: '80',
      units: [{ fn: 3, data: { afn: '04', items: [{ pns: [0], fns: [10], err: 0 }] } }],
    });
    expect(decode(buildDeny(addr, 1, '0C', [{ pn: 3, fn: 129, err: 4 }]))).toMatchObject({
      c: '0B',
      units: [
        { fn: 3, data: { afn: '0C', items: [{ pns: [3], fns: [129], err: 4, errName: 'no such data' }] } },
      ],
    });
  });
  it('builds control commands without data and with a time label', () => {
    const tp = { pfc: 1, time: '15 08:30:00', delayMinutes: 2 };
    const f = decode(buildControl(addr, 25, 0, 7, { durationHalfHours: 0 }, { tp }));
    expect(f).toMatchObject({
      afn: '05',
      seq: { tpv: true },
      units: [{ fn: 25, data: { durationHalfHours: 0 } }],
      aux: { tp },
    });
    expect(decode(buildControl(addr, 2, 1, 8)).units).toEqual([
      { pn: 1, fn: 2, name: 'allow close', unit: 0 },
    ]);
  });
  it('splits a long reply into numbered frames that reassemble', () => {
    const units = Array.from({ length: 20 }, (_, i) => ({
      pn: i + 1,
      fn: 129,
      data: { time: '2024-01-01 00:00', total_kWh: i * 10.5, tariffs_kWh: [i, i * 2, i * 3, i * 4.5] },
    }));
    const frames = buildReadReply(addr, '0C', units, 15, { maxUserData: 200 });
    expect(frames.length).toBeGreaterThan(1);
    for (const f of frames) expect(f.length - 8).toBeLessThanOrEqual(200);
    const whole = assembleMultiFrame(frames);
    expect(whole.frameCount).toBe(frames.length);
    expect(whole.units.map((u) => [u.pn, (u.data as { total_kWh: number }).total_kWh])).toEqual(
      units.map((u) => [u.pn, u.data.total_kWh]),
    );
    expect(decode(frames[1]).seq.pseq).toBe(0);
  });
  it('rejects multi-frame replies out of order, incomplete or with a gap', () => {
    const first = fx('multi-frame reply, first');
    const last = fx('multi-frame reply, last');
    expect(assembleMultiFrame([first, last]).units.map((u) => [u.pn, u.unit])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
    ]);
    expect(codeOf(() => assembleMultiFrame([last, first]))).toBe('FRAME_FIELD_INVALID');
    expect(codeOf(() => assembleMultiFrame([first]))).toBe('FRAME_FIELD_INVALID');
    expect(codeOf(() => assembleMultiFrame([]))).toBe('FRAME_FIELD_INVALID');
    const gap = decode(last);
    expect(codeOf(() => assembleMultiFrame([first, { ...gap, seq: { ...gap.seq, pseq: 0 } }]))).toBe(
      'FRAME_FIELD_INVALID',
    );
    expect(assembleMultiFrame([fx('login')]).frameCount).toBe(1);
  });
});

describe('forwarding', () => {
  const meterRead = hexToBytes('68 34 12 00 00 23 20 68 11 04 33 33 34 33 3B 16');
  it('carries DL/T 645 bytes and decodes them when the DL/T 645 codec is present', async () => {
    const frame = buildForward(addr, 2, meterRead, 1, { frameTimeout: { value: 50, unit: '10ms' } });
    const content = await decodeForward(frame);
    expect(content).toMatchObject({ dir: 'down', port: 2, hex: bytesToHex(meterRead) });
    if (content.decoded !== null) expect(JSON.stringify(content.decoded)).toContain('202300001234');
    const reply = await decodeForward(fx('forwarding reply'));
    expect(reply).toMatchObject({ dir: 'up', port: 2 });
    if (reply.decoded !== null) expect(JSON.stringify(reply.decoded)).toMatch(/34\.12/);
    await expect(decodeForward(fx('login'))).rejects.toMatchObject({ code: 'FRAME_FUNCTION_UNKNOWN' });
  });
});

describe('extractor', () => {
  it('splits a noisy stream in arbitrary chunks', () => {
    const frames = fixtures.map((f) => hexToBytes(f.hex));
    const noise = Uint8Array.of(0x00, 0x68, 0x32, 0x00, 0x33, 0x00, 0xfe, 0x68);
    const stream = frames.flatMap((f) => [...noise, ...f]);
    const x = codec.extractor();
    const got: string[] = [];
    for (let i = 0; i < stream.length; i += 7) {
      for (const f of x.push(Uint8Array.from(stream.slice(i, i + 7))).frames) got.push(bytesToHex(f));
    }
    expect(got).toEqual(frames.map((f) => bytesToHex(f)));
  });
});
