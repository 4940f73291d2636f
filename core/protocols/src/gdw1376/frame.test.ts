import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../common/bytes.ts';
import { fixtures } from './fixtures.ts';
import { decode, encode, extractor } from './index.ts';
import { codeOf, fx, reframe } from './test-helpers.ts';

describe('fixtures', () => {
  it('has at least 20 frames', () => expect(fixtures.length).toBeGreaterThanOrEqual(20));
  for (const f of fixtures) {
    it(`decodes and re-encodes byte-exactly: ${f.name}`, () => {
      const bytes = hexToBytes(f.hex);
      const frame = decode(bytes);
      expect(frame).toMatchObject(f.expect);
      expect(frame.l).toBe(bytes.length - 8);
      expect(bytesToHex(encode(frame), ' ')).toBe(f.hex);
      expect(JSON.parse(JSON.stringify(frame))).toEqual(frame);
    });
  }
});

describe('frame errors', () => {
  const login = fx('login');
  it('rejects a bad checksum', () => {
    const b = login.slice();
    b[b.length - 2] ^= 1;
    expect(codeOf(() => decode(b))).toBe('FRAME_CHECKSUM_INVALID');
  });
  it('rejects differing L fields and L disagreeing with the byte count', () => {
    const b = login.slice();
    b[3] = 0x36;
    expect(codeOf(() => decode(b))).toBe('FRAME_LENGTH_INVALID');
    expect(codeOf(() => decode(Uint8Array.from([...login, 0x00])))).toBe('FRAME_LENGTH_INVALID');
    expect(codeOf(() => decode(login.subarray(0, login.length - 1)))).toBe('FRAME_TRUNCATED');
    expect(codeOf(() => decode(login.subarray(0, 4)))).toBe('FRAME_TRUNCATED');
  });
  it('rejects protocol id 0 and 3 and a user data shorter than the header', () => {
    for (const l of [0x30, 0x33, 0x1e]) {
      const b = login.slice();
      b[1] = l;
      b[3] = l;
      expect(codeOf(() => decode(b))).toBe('FRAME_LENGTH_INVALID');
    }
  });
  it('rejects bad start and end bytes', () => {
    const b = login.slice();
    b[0] = 0x69;
    expect(codeOf(() => decode(b))).toBe('FRAME_START_INVALID');
    const c = login.slice();
    c[5] = 0x00;
    expect(codeOf(() => decode(c))).toBe('FRAME_START_INVALID');
    const d = login.slice();
    d[d.length - 1] = 0x17;
    expect(codeOf(() => decode(d))).toBe('FRAME_END_INVALID');
  });
  it('keeps an unknown Fn of a known AFN raw', () => {
    // AFN 0D F1 (not typed here) with 3 data bytes
    const unknown = decode(
      reframe([0x88, 0x01, 0x35, 0x01, 0x00, 0x04, 0x0d, 0x61, 0x00, 0x00, 0x01, 0x00, 1, 2, 3]),
    );
    expect(unknown.units).toEqual([{ pn: 0, fn: 1, name: null, unit: 0, raw: '010203' }]);
  });
  it('accepts Q/GDW 130-2005 framing (protocol id 1, 2-byte PW)', () => {
    const f = decode(
      reframe([0x4a, 0x01, 0x35, 0x01, 0x00, 0x04, 0x05, 0x71, 0x00, 0x00, 0x02, 0x00, 0x12, 0x34], 1),
    );
    expect(f).toMatchObject({
      protocolId: 1,
      afn: '05',
      units: [{ fn: 2, name: 'allow close' }],
      aux: { pw: '1234' },
    });
    expect(bytesToHex(encode(f))).toBe(
      bytesToHex(reframe([0x4a, 1, 0x35, 1, 0, 4, 5, 0x71, 0, 0, 2, 0, 0x12, 0x34], 1)),
    );
  });
  it('keeps data that does not decode as raw with the error, and flags bad identifiers', () => {
    const f = decode(
      reframe([
        0x88, 0x01, 0x35, 0x01, 0x00, 0x04, 0x0c, 0x61, 0x00, 0x00, 0x02, 0x00, 0x5a, 0, 0, 1, 1, 0x24,
      ]),
    );
    expect(f.units[0]).toMatchObject({ fn: 2, raw: '5A0000010124', error: { code: 'FRAME_FIELD_INVALID' } });
    const bad = reframe([0x4b, 0x01, 0x35, 0x01, 0x00, 0x04, 0x0c, 0x61, 0x05, 0x00, 0x01, 0x10]);
    expect(codeOf(() => decode(bad))).toBe('FRAME_FIELD_INVALID');
  });
  it('rejects malformed encode input with ENCODE_INPUT_INVALID', () => {
    const frame = decode(fx('login'));
    const bad: unknown[] = [
      null,
      {},
      { ...frame, afn: '1FF' },
      { ...frame, address: { ...frame.address, A1_region: 'xyz' } },
      { ...frame, units: [{ pn: 1, fn: 0 }] },
      { ...frame, units: [{ pn: 3000, fn: 1 }] },
      { ...frame, seq: { ...frame.seq, tpv: true } },
      { ...decode(fx('positive active energy reply')), units: [{ pn: 1, fn: 129, data: { time: 'x' } }] },
    ];
    for (const b of bad) expect(codeOf(() => encode(b as never))).toBe('ENCODE_INPUT_INVALID');
  });
});

describe('accepts what real terminals send', () => {
  // terminal 3501/0001 replying to master 2: C = 88, A3 = 04, AFN 0C, SEQ = FIR FIN RSEQ 1
  const head = [0x88, 0x01, 0x35, 0x01, 0x00, 0x04, 0x0c, 0x61];
  // F129 for point 1: read 2024-03-14 10:30, one tariff, total 12345.0000 kWh, T1 12345.0000 kWh
  const f129 = [
    0x01, 0x01, 0x01, 0x10, 0x30, 0x10, 0x14, 0x03, 0x24, 0x01, 0x00, 0x00, 0x45, 0x23, 0x01, 0x00, 0x00,
    0x45, 0x23, 0x01,
  ];

  it('an undefined AFN decodes its header and keeps its data units raw', () => {
    // AFN 07 is not in Q/GDW 1376.1; a provincial extension answering p0 F1 with 3 bytes
    const bytes = reframe([
      0x88, 0x01, 0x35, 0x01, 0x00, 0x04, 0x07, 0x61, 0x00, 0x00, 0x01, 0x00, 0xaa, 0xbb, 0xcc,
    ]);
    const f = decode(bytes);
    expect(f).toMatchObject({
      afn: '07',
      afnName: 'unknown',
      dir: 'up',
      address: { A1_region: '3501', A2_terminal: 1, A3_master: 2 },
      units: [{ pn: 0, fn: 1, name: null, raw: 'AABBCC' }],
    });
    expect(encode(f)).toEqual(bytes);
  });

  it('an undefined AFN whose data is not DA/DT units keeps the data area as raw', () => {
    const bytes = reframe([0x88, 0x01, 0x35, 0x01, 0x00, 0x04, 0x11, 0x61, 0x00, 0x05, 0x01, 0x00, 0x01]);
    const f = decode(bytes);
    expect(f).toMatchObject({ afn: '11', afnName: 'unknown', units: [], raw: '0005010001' });
    expect(encode(f)).toEqual(bytes);
  });

  it('an unknown Fn does not swallow the typed data units after it', () => {
    // p0 F3 (not typed here) with 5 bytes, then p1 F129 typed
    const bytes = reframe([...head, 0x00, 0x00, 0x04, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, ...f129]);
    const f = decode(bytes);
    expect(f.units).toEqual([
      { pn: 0, fn: 3, name: null, unit: 0, raw: '1122334455' },
      {
        pn: 1,
        fn: 129,
        name: 'current positive active energy indication',
        unit: 1,
        data: { time: '2024-03-14 10:30', tariffCount: 1, total_kWh: 12345, tariffs_kWh: [12345] },
      },
    ]);
    expect(encode(f)).toEqual(bytes);
  });

  it('an EE-filled value is null and listed as missing', () => {
    const ee = [...f129.slice(0, 15), 0xee, 0xee, 0xee, 0xee, 0xee];
    const f = decode(reframe([...head, ...ee]));
    expect(f.units[0].data).toMatchObject({
      total_kWh: 12345,
      tariffs_kWh: [null],
      missing: ['tariffs_kWh[0]'],
    });
  });

  it('flags a broadcast address (A2 = FFFF with the group flag), not a plain group', () => {
    const read = (a2: number[], a3: number) =>
      reframe([0x4b, 0x01, 0x35, ...a2, a3, 0x0c, 0x61, 0x00, 0x00, 0x02, 0x00]);
    expect(decode(read([0xff, 0xff], 0x05))).toMatchObject({ broadcast: true, address: { group: true } });
    expect(decode(read([0x07, 0x00], 0x05)).broadcast).toBeUndefined();
    expect(decode(read([0xff, 0xff], 0x04)).broadcast).toBeUndefined();
  });

  it('a start byte in the noise after the end byte does not hold back the next frame', () => {
    const frame = fx('login');
    const x = extractor();
    expect(
      x.push(Uint8Array.from([0xfe, 0xfe, ...frame, 0x68, 0x32, 0x00, 0x32, 0x00, 0x68])).frames,
    ).toEqual([frame]);
    expect(x.push(Uint8Array.from([0xfe, 0xfe, 0xfe, 0xfe, ...frame])).frames).toEqual([frame]);
  });
});
