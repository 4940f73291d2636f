import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, sum8 } from '../common/bytes.ts';
import { ProtocolError } from '../common/errors.ts';
import { fixtures } from './fixtures.ts';
import {
  buildReadAddress,
  buildReadData,
  buildReadDataReply,
  buildValveControl,
  buildWriteSyncData,
  codec,
  decode,
  detectDi,
  encode,
  extractor,
} from './index.ts';

const hex = (b: Uint8Array) => bytesToHex(b, ' ');

describe('cjt188 fixtures', () => {
  it('has at least 20 frames', () => expect(fixtures.length).toBeGreaterThanOrEqual(20));
  for (const f of fixtures) {
    it(`decodes and re-encodes: ${f.name}`, () => {
      const bytes = hexToBytes(f.hex);
      const d = decode(bytes);
      expect(d).toMatchObject(f.expect);
      expect(d.protocol).toBe('cjt188');
      expect(d.length).toBe(bytes.length - d.preamble - 13);
      expect(hex(encode(d))).toBe(f.hex);
    });
  }
});

describe('cjt188 decode', () => {
  it('names the frame parts', () => {
    const d = decode(hexToBytes('FE FE 68 10 56 34 12 00 00 00 00 C1 05 1F 90 15 07 00 A5 16'));
    expect(d).toMatchObject({
      preamble: 2,
      meterTypeName: 'cold water',
      function: 'read data',
      direction: 'slave->master',
      error: true,
      diName: 'current data',
      data: { status: { valve: 'abnormal', battery: 'low', raw: '0700' } },
    });
  });

  it('accepts both DI byte orders by the known-DI table', () => {
    expect(detectDi(0x1f, 0x90)).toEqual({ di: '901F', diOrder: 'standard' });
    expect(detectDi(0x90, 0x1f)).toEqual({ di: '901F', diOrder: 'swapped' });
    expect(detectDi(0xa0, 0x17)).toEqual({ di: 'A017', diOrder: 'swapped' });
    expect(detectDi(0x34, 0x12)).toEqual({ di: '1234', diOrder: 'standard' });
  });

  it('keeps an unknown DI and its body raw', () => {
    const b = encode({
      meterType: 0x10,
      address: '00000000000001',
      control: '81',
      di: '1234',
      ser: 9,
      data: { raw: 'A1B2' },
    });
    const d = decode(b);
    expect(d).toMatchObject({ di: '1234', diName: null, data: { raw: 'A1B2' } });
    expect(encode(d)).toEqual(b);
  });

  it('keeps a body whose length fits no layout raw', () => {
    const d = decode(
      encode({
        meterType: 0x10,
        address: '00000000000001',
        control: '81',
        di: '901F',
        ser: 0,
        data: { raw: '0102' },
      }),
    );
    expect(d.data).toEqual({ raw: '0102' });
  });

  it('reports an invalid calendar time as null and keeps its digits', () => {
    const d = decode(
      buildReadDataReply(0x10, '00000000000001', '901F', 0, {
        current_cumulative: 1,
        settlement_cumulative: 1,
        realtime_digits: '00000000202060',
      }),
    );
    expect(d.data.realtime).toBeNull();
    expect(d.data.realtime_digits).toBe('00000000202060');
  });

  it('normalises heat, power, flow and volume units', () => {
    const d = decode(hexToBytes(fixtures.find((f) => f.name.startsWith('cooling'))!.hex));
    expect(d.data).toMatchObject({
      current_heat_kWh: 10,
      heat_power_kW: 1.5,
      flow_rate_m3h: 0.25,
      current_cumulative_m3: 1,
    });
  });

  const cases: [string, string][] = [
    ['', 'FRAME_EMPTY'],
    ['FE FE', 'FRAME_TRUNCATED'],
    ['69 10 56 34 12 00 00 00 00 01 03 1F 90 01 C8 16', 'FRAME_START_INVALID'],
    ['68 10 56 34 12 00 00 00 00 01', 'FRAME_TRUNCATED'],
    ['68 10 56 34 12 00 00 00 00 01 03 1F 90 01 C8', 'FRAME_TRUNCATED'],
    ['68 10 56 34 12 00 00 00 00 01 03 1F 90 01 C8 17', 'FRAME_END_INVALID'],
    ['68 10 56 34 12 00 00 00 00 01 03 1F 90 01 C9 16', 'FRAME_CHECKSUM_INVALID'],
    ['68 10 56 34 12 00 00 00 00 01 02 1F 90 B6 16 16', 'FRAME_LENGTH_INVALID'],
    ['68 10 56 34 12 00 00 00 00 02 03 1F 90 01 C9 16', 'FRAME_CONTROL_UNKNOWN'],
    ['68 10 56 34 12 00 00 00 00 41 03 1F 90 01 08 16', 'FRAME_CONTROL_UNKNOWN'],
    ['68 10 56 34 12 00 00 00 00 01 03 1F 90 01 C8 16 00', 'FRAME_TRAILING_BYTES'],
  ];
  for (const [h, code] of cases) {
    it(`rejects ${h || '(empty)'} with ${code}`, () => {
      const run = () => decode(h === '' ? new Uint8Array(0) : hexToBytes(h));
      expect(run).toThrow(ProtocolError);
      expect(run).toThrow(expect.objectContaining({ code }));
    });
  }

  it('rejects non-BCD metered values with FRAME_FIELD_INVALID', () => {
    const b = hexToBytes('68 10 56 34 12 00 00 00 00 81 08 20 D1 05 5A 11 00 00 2C 2A 16');
    expect(() => decode(b)).toThrow(expect.objectContaining({ code: 'FRAME_FIELD_INVALID' }));
  });
});

describe('cjt188 encode and builders', () => {
  it('follows the profile DI order, and input.diOrder overrides it', () => {
    expect(hex(buildReadData(0x10, '00000000123456', '901F', 1))).toContain('03 1F 90 01');
    expect(hex(buildReadData(0x10, '00000000123456', '901F', 1, { diOrder: 'swapped' }))).toContain(
      '03 90 1F 01',
    );
    const d = decode(buildValveControl(0x10, '00000000123456', 'close', 1, { diOrder: 'swapped' }));
    expect(hex(encode(d, { diOrder: 'standard' }))).toContain('A0 17');
  });

  it('builds a broadcast read-address frame by default', () => {
    expect(decode(buildReadAddress())).toMatchObject({
      meterType: 0xaa,
      meterTypeName: 'any',
      address: 'AAAAAAAAAAAAAA',
      control: '03',
      di: '810A',
    });
  });

  it('builds write sync data with a unit', () => {
    expect(decode(buildWriteSyncData(0x10, '00000000000001', 2, 7.5, undefined, 'L')).data).toMatchObject({
      current_cumulative: 7.5,
      current_cumulative_unit: 'L',
      current_cumulative_m3: 0.0075,
    });
  });

  const bad: [string, unknown][] = [
    ['address with 13 digits', { meterType: 0x10, address: '0000000000001', control: '01', di: '901F' }],
    ['unknown control', { meterType: 0x10, address: '00000000000001', control: '02', di: '901F' }],
    ['bad DI', { meterType: 0x10, address: '00000000000001', control: '01', di: '90X' }],
    [
      'missing reply value',
      {
        meterType: 0x10,
        address: '00000000000001',
        control: '81',
        di: '901F',
        data: { current_cumulative: 1 },
      },
    ],
    [
      'value too large',
      {
        meterType: 0x10,
        address: '00000000000001',
        control: '04',
        di: 'A016',
        data: { current_cumulative: 1e7 },
      },
    ],
    [
      'negative value',
      {
        meterType: 0x10,
        address: '00000000000001',
        control: '04',
        di: 'A016',
        data: { current_cumulative: -1 },
      },
    ],
    [
      'unknown unit',
      {
        meterType: 0x10,
        address: '00000000000001',
        control: '04',
        di: 'A016',
        data: { current_cumulative: 1, current_cumulative_unit: 'gal' },
      },
    ],
    [
      'bad valve command',
      { meterType: 0x10, address: '00000000000001', control: '04', di: 'A017', data: { valve_cmd: 'shut' } },
    ],
    [
      'data on a DI without layout',
      { meterType: 0x10, address: '00000000000001', control: '81', di: '1234', data: { x: 1 } },
    ],
    ['not an object', null],
  ];
  for (const [name, input] of bad) {
    it(`rejects ${name} with ENCODE_INPUT_INVALID`, () => {
      expect(() => encode(input as never)).toThrow(expect.objectContaining({ code: 'ENCODE_INPUT_INVALID' }));
    });
  }

  it('exposes a FrameCodec', () => {
    expect(codec.name).toBe('cjt188');
    const b = buildValveControl(0x10, '00000000123456', 'open', 4);
    expect(codec.encode(codec.decode(b))).toEqual(b);
  });
});

describe('cjt188 extractor', () => {
  it('skips FE preambles and noise, joins split frames, keeps the tail', () => {
    const a = buildReadData(0x10, '00000000123456', '901F', 1);
    const b = hexToBytes(fixtures[2].hex);
    const x = extractor();
    const stream = new Uint8Array([
      0xfe,
      0xfe,
      0x00,
      0x68,
      0x33,
      ...a,
      0xfe,
      0xfe,
      0xfe,
      ...b.subarray(0, 10),
    ]);
    const r1 = x.push(stream);
    expect(r1.frames.map(hex)).toEqual([hex(a)]);
    expect(r1.discarded).toBe(8);
    expect(x.pending).toBe(10);
    const r2 = x.push(b.subarray(10));
    expect(r2.frames.map(hex)).toEqual([hex(b)]);
    expect(x.pending).toBe(0);
  });

  it('drops a frame with a bad checksum and finds the next one', () => {
    const good = buildReadData(0x10, '00000000123456', '901F', 1);
    const bad = Uint8Array.from(good);
    bad[bad.length - 2] ^= 0xff;
    const r = extractor().push(new Uint8Array([...bad, ...good]));
    expect(r.frames.map(hex)).toEqual([hex(good)]);
    expect(r.discarded).toBe(bad.length);
  });
});

/** A frame built by hand from the standard's rules (68 T A0..A6 C L DI0 DI1 SER data CS 16). */
function handFrame(t: number, addrLe: number[], c: number, body: number[]): Uint8Array {
  const head = [0x68, t, ...addrLe, c, body.length, ...body];
  return Uint8Array.from([...head, sum8(Uint8Array.from(head)), 0x16]);
}

describe('cjt188 accepts what real meters send', () => {
  const addr = [0x44, 0x33, 0x22, 0x11, 0x00, 0x33, 0x78];
  // 901F (sent 90 1F) SER 01: current 123.00 m3 (unit 2C)
  const head = [0x90, 0x1f, 0x01, 0x00, 0x23, 0x01, 0x00, 0x2c];
  const time = [0x30, 0x15, 0x10, 0x14, 0x03, 0x24, 0x20]; // 2024-03-14 10:15:30, ss first
  const st = [0x00, 0x00];

  it('FF-filled settlement volume and clock are null and listed as missing', () => {
    const ff = [0xff, 0xff, 0xff, 0xff];
    const bytes = handFrame(0x10, addr, 0x81, [...head, ...ff, 0x2c, ...Array(7).fill(0xff), ...st]);
    const d = decode(bytes);
    expect(d.data).toMatchObject({
      current_cumulative: 123,
      settlement_cumulative: null,
      settlement_cumulative_unit: 'm3',
      realtime: null,
      missing: ['settlement_cumulative', 'realtime'],
    });
    expect(encode(d)).toEqual(bytes);
  });

  it('a 901F reply with vendor bytes after ST decodes the known fields and keeps the rest as extra', () => {
    const bytes = handFrame(0x10, addr, 0x81, [
      ...head,
      0x00,
      0x01,
      0x00,
      0x00,
      0x2c,
      ...time,
      ...st,
      0xa5,
      0x5a,
    ]);
    const d = decode(bytes);
    expect(d.data).toMatchObject({
      current_cumulative: 123,
      settlement_cumulative: 1,
      realtime: '2024-03-14T10:15:30',
      extra: 'A55A',
    });
    expect(d.data.raw).toBeUndefined();
    expect(encode(d)).toEqual(bytes);
  });

  it('an unknown DI keeps its body raw and the header decodes', () => {
    const d = decode(handFrame(0x10, addr, 0x81, [0x90, 0x2f, 0x01, 0x12, 0x34, 0x56]));
    expect(d).toMatchObject({ address: '78330011223344', control: '81', ser: 1, data: { raw: '123456' } });
  });

  it('flags the all-AA broadcast address', () => {
    // real read-address request (PROTOCOLS.md §2): FE FE FE 68 10 AA…AA 03 03 81 0A 01 B0 16
    expect(decode(hexToBytes('FE FE FE 68 10 AA AA AA AA AA AA AA 03 03 81 0A 01 B0 16')).broadcast).toBe(
      true,
    );
    expect(decode(handFrame(0x10, addr, 0x01, [0x90, 0x1f, 0x01])).broadcast).toBeUndefined();
  });

  it('a start byte in the noise after the end byte does not hold back the next frame', () => {
    const frame = handFrame(0x10, addr, 0x01, [0x90, 0x1f, 0x01]);
    const x = extractor();
    expect(
      x.push(Uint8Array.from([0xfe, 0xfe, ...frame, 0x68, 0x10, 0x68, 0x68, 0x68, 0x68])).frames,
    ).toEqual([frame]);
    const next = x.push(Uint8Array.from([0x68, 0x68, 0x68, 0x01, 0xf0, 0x00, 0xfe, 0xfe, ...frame]));
    expect(next.frames).toEqual([frame]);
  });
});
