import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, ProtocolError, sum8 } from '../common/index.ts';
import { fixtures } from './fixtures.ts';
import {
  buildAck,
  buildReqUd2,
  buildRspUd,
  buildSelectSecondary,
  buildSetBaudRate,
  buildSndNke,
  codec,
  decode,
  decodeManufacturer,
  decodeRecords,
  encode,
  encodeManufacturer,
  encodeRecord,
  extractor,
} from './index.ts';

const hex = (b: Uint8Array) => bytesToHex(b);
const bytes = (h: string) => hexToBytes(h);

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
  return 'NO_ERROR';
}

/** Long frame with a correct checksum around the given C, A, CI and data. */
function long(c: number, a: number, ci: number, data: string): Uint8Array {
  const body = Uint8Array.from([c, a, ci, ...(data ? bytes(data) : [])]);
  return Uint8Array.from([0x68, body.length, body.length, 0x68, ...body, sum8(body), 0x16]);
}

const HEADER = '78563412 9315 0A 07 2A 00 0000';

describe('fixtures', () => {
  it('has at least 20 frames', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });
  for (const f of fixtures) {
    it(`decodes: ${f.name}`, () => {
      expect(decode(bytes(f.hex))).toMatchObject(f.expect);
    });
    it(`re-encodes byte-exactly from the decoded structure: ${f.name}`, () => {
      const { data: _data, ...structured } = decode(bytes(f.hex));
      expect(hex(encode(JSON.parse(JSON.stringify(structured))))).toBe(hex(bytes(f.hex)));
    });
  }
});

describe('link layer', () => {
  it('builds the master frames of EN 13757-2', () => {
    expect(hex(buildAck())).toBe('E5');
    expect(hex(buildSndNke(5))).toBe('1040054516');
    expect(hex(buildReqUd2(1))).toBe('105B015C16');
    expect(hex(buildReqUd2(1, true))).toBe('107B017C16');
    expect(hex(buildSetBaudRate(1, 2400))).toBe('6803036853' + '01BB' + '0F16');
    expect(() => buildSndNke(251)).toThrow(ProtocolError);
  });
  it('selects by secondary address with wildcards', () => {
    const f = buildSelectSecondary({ id: '12FFFFFF', manufacturer: 'KAM' });
    expect(hex(f).slice(0, 14)).toBe('680B0B6853FD52');
    expect(decode(f).select).toEqual({ id: '12FFFFFF', manufacturer: 'KAM', version: null, medium: null });
    expect(codeOf(() => buildSelectSecondary({ id: '12A4' }))).toBe('ENCODE_INPUT_INVALID');
  });
  it('decodes C-field bits', () => {
    expect(decode(bytes('107B017C16'))).toMatchObject({ cName: 'REQ_UD2', fcb: true, fcv: true, a: 1 });
    const rsp = decode(long(0x28, 1, 0x78, '0413D2040000'));
    expect(rsp).toMatchObject({ cName: 'RSP_UD', acd: true, dfc: false, direction: 'slave' });
    expect(decode(bytes('1040FF3F16')).addressType).toBe('broadcast-no-reply');
    expect(decode(bytes('1040FD3D16')).addressType).toBe('network-layer');
  });
  it('rejects bad frames with stable codes', () => {
    expect(codeOf(() => decode(bytes('105B015D16')))).toBe('FRAME_CHECKSUM_INVALID');
    expect(codeOf(() => decode(bytes('105B015C17')))).toBe('FRAME_END_INVALID');
    expect(codeOf(() => decode(bytes('105B01')))).toBe('FRAME_TRUNCATED');
    expect(codeOf(() => decode(bytes('11')))).toBe('FRAME_START_INVALID');
    expect(codeOf(() => decode(bytes('6803046853015054')))).toBe('FRAME_LENGTH_INVALID');
    expect(codeOf(() => decode(bytes('68020268530155A916')))).toBe('FRAME_LENGTH_INVALID');
    expect(codeOf(() => decode(bytes('68030367')))).toBe('FRAME_START_INVALID');
    const good = long(0x08, 1, 0x72, `${HEADER} 0413D2040000`);
    expect(codeOf(() => decode(good.subarray(0, good.length - 1)))).toBe('FRAME_TRUNCATED');
    const badSum = good.slice();
    badSum[badSum.length - 2] ^= 1;
    expect(codeOf(() => decode(badSum))).toBe('FRAME_CHECKSUM_INVALID');
    expect(codeOf(() => decode(Uint8Array.from([...good, 0xe5])))).toBe('FRAME_TRAILING_BYTES');
  });
  it('reports the application error of CI 70 as a rejected frame', () => {
    const e = (() => {
      try {
        decode(long(0x08, 1, 0x70, '08'));
      } catch (x) {
        return x as ProtocolError;
      }
    })();
    expect(e?.code).toBe('PAYLOAD_INVALID');
    expect(e?.message).toContain('application busy');
  });
});

describe('application layer', () => {
  it('decodes the manufacturer code both ways', () => {
    expect(decodeManufacturer(0x2c2d)).toBe('KAM');
    expect(encodeManufacturer('ELS')).toBe(0x1593);
    expect(codeOf(() => encodeManufacturer('ab'))).toBe('ENCODE_INPUT_INVALID');
  });
  it('keeps non-decimal id nibbles as hex letters', () => {
    const f = decode(long(0x08, 1, 0x72, '3E020005 434C 12 02 13 00 0000'));
    expect(f.header).toMatchObject({ id: '0500023E', manufacturer: 'SBC', mediumName: 'Electricity' });
  });
  it('decodes status bits', () => {
    const f = decode(long(0x08, 1, 0x7a, '01 1D 0000'));
    expect(f.header?.statusBits).toEqual({
      applicationBusy: true,
      applicationError: false,
      powerLow: true,
      permanentError: true,
      temporaryError: true,
      manufacturer: 0,
    });
  });
  it('decodes every DIF data coding', () => {
    const r = decodeRecords(
      bytes(
        '0113FF 0213FEFF 03130100 80 0513 0000C03F 0613 010000000000 0713 0200000000000000 0913 99 0A13 3412 0E13 010000000000',
      ),
    ).records;
    expect(r.map((x) => [x.coding, x.value])).toEqual([
      ['int8', -0.001],
      ['int16', -0.002],
      ['int24', -8388.607],
      ['real32', 0.0015],
      ['int48', 0.001],
      ['int64', 0.002],
      ['bcd2', 0.099],
      ['bcd4', 1.234],
      ['bcd12', 0.001],
    ]);
  });
  it('decodes LVAR text (sent last character first), BCD and binary', () => {
    const r = decodeRecords(bytes('0DFD0C 03 434241 0D13 C2 3412 0D13 D1 05 0D13 E2 0001')).records;
    expect(r.map((x) => x.value)).toEqual(['ABC', 1.234, -0.005, 0.256]);
    expect(codeOf(() => decodeRecords(bytes('0D13F8')))).toBe('FRAME_FIELD_INVALID');
  });
  it('decodes dates G and F with invalid flags', () => {
    const r = decodeRecords(bytes('026C FF2C 046D 1E0A0F33 046D 9E0A0F33 026C 0000')).records;
    expect(r.map((x) => [x.value, x.invalid])).toEqual([
      ['2023-12-31', false],
      ['2024-03-15T10:30:00Z', false],
      ['2024-03-15T10:30:00Z', true],
      ['2000-00-00', true],
    ]);
  });
  it('reads DIFE storage, tariff and subunit bits across the chain', () => {
    const [r] = decodeRecords(bytes('C4 F5 03 06 01000000')).records;
    expect(r).toMatchObject({ storage: 1 + (5 << 1) + (3 << 5), tariff: 3, subunit: 1 });
  });
  it('applies combinable VIFE and keeps manufacturer VIFE raw', () => {
    const [a, b, c] = decodeRecords(bytes('04 86 7D 01000000 02 AC FF 01 EEFF 02 93 3A 0100')).records;
    expect(a).toMatchObject({ quantity: 'energy', unit: 'Wh', exponent: 6, value: 1e6 });
    expect(b).toMatchObject({
      quantity: 'power',
      value: -180,
      vife: ['manufacturer specific', 'manufacturer specific 01'],
    });
    expect(c.vife).toEqual(['uncorrected unit']);
  });
  it('converts energy in J to Wh', () => {
    const [r] = decodeRecords(bytes('0C0E 08230300')).records;
    expect(r).toMatchObject({ unit: 'J', value: 32308e6, converted: { unit: 'Wh' } });
    expect(r.converted?.value).toBeCloseTo(8974444.444, 2);
  });
  it('handles special functions', () => {
    const d = decodeRecords(bytes('2F 0413 01000000 2F 1F AABB'));
    expect(d.fillers).toEqual([0, 1]);
    expect(d.manufacturerData).toBe('AABB');
    expect(d.moreRecordsFollow).toBe(true);
    expect(codeOf(() => decodeRecords(bytes('3F')))).toBe('FRAME_FIELD_INVALID');
  });
  it('rejects malformed records', () => {
    const rec = (r: string) => codeOf(() => decode(long(0x08, 1, 0x72, `${HEADER} ${r}`)));
    expect(rec('0413D204')).toBe('FRAME_FIELD_INVALID');
    expect(rec(`8B${'8B'.repeat(10)}60 04 371802`)).toBe('FRAME_FIELD_INVALID');
    expect(rec(`0B 84${'84'.repeat(10)}04 371802`)).toBe('FRAME_FIELD_INVALID');
    expect(rec('02FC 13 485225')).toBe('FRAME_FIELD_INVALID');
    expect(codeOf(() => decode(long(0x08, 1, 0x72, '7856341224')))).toBe('FRAME_FIELD_INVALID');
  });
  it('decodes the fixed data structure', () => {
    const f = decode(long(0x08, 1, 0x73, '78563412 01 00 EC 6B 34120000 00600500'));
    expect(f.fixed).toMatchObject({ id: '12345678', medium: 7, counterCoding: 'bcd' });
    expect(f.fixed?.counters.map((c) => [c.quantity, c.unit, c.value])).toEqual([
      ['volume', 'm^3', 1234],
      ['volume', 'm^3', 5600],
    ]);
  });
});

describe('record encoding', () => {
  it('builds a record from quantity, unit and exponent', () => {
    const b = encodeRecord({
      quantity: 'volume',
      unit: 'm^3',
      exponent: -3,
      coding: 'bcd8',
      value: 12.345,
      storage: 1,
    });
    expect(hex(b)).toBe('4C1345230100');
    expect(
      hex(encodeRecord({ quantity: 'voltage', unit: 'V', exponent: -1, coding: 'int16', value: 230 })),
    ).toBe('02FD48FC08');
    expect(codeOf(() => encodeRecord({ quantity: 'volume', unit: 'l', value: 1 }))).toBe(
      'ENCODE_INPUT_INVALID',
    );
  });
  it('refuses values that do not fit', () => {
    expect(codeOf(() => encodeRecord({ vif: '13', coding: 'int8', value: 1 }))).toBe('ENCODE_INPUT_INVALID');
    expect(codeOf(() => encodeRecord({ vif: '13', coding: 'bcd2', value: -0.01 }))).toBe(
      'ENCODE_INPUT_INVALID',
    );
  });
  it('builds RSP_UD that decodes to the same records', () => {
    const f = buildRspUd({
      a: 3,
      header: { id: '00001234', manufacturer: 'KAM', version: 1, medium: 4, accessNo: 7 },
      records: [
        { vif: '06', value: 1_000_000 },
        { vif: '5B', coding: 'int16', value: 71 },
        { vif: '6C', storage: 1, value: '2024-02-29' },
      ],
    });
    const d = decode(f);
    expect(d.header).toMatchObject({
      id: '00001234',
      manufacturer: 'KAM',
      mediumName: 'Heat: Outlet',
      accessNo: 7,
    });
    expect(d.records?.map((r) => [r.quantity, r.unit, r.value, r.storage])).toEqual([
      ['energy', 'Wh', 1_000_000, 0],
      ['flow temperature', '°C', 71, 0],
      ['date', '', '2024-02-29', 1],
    ]);
  });
  it('encodes through the codec interface', () => {
    expect(codec.name).toBe('mbus');
    expect(hex(codec.encode({ kind: 'short', c: '40', a: 1 }))).toBe('1040014116');
    expect(codeOf(() => codec.encode({ kind: 'long', c: '08', a: 1, ci: '72' }))).toBe(
      'ENCODE_INPUT_INVALID',
    );
  });
});

describe('extractor', () => {
  it('splits frames out of a noisy stream across chunks', () => {
    const rsp = long(0x08, 1, 0x72, `${HEADER} 0413D2040000`);
    const stream = Uint8Array.from([
      0x00,
      0x68,
      0x99,
      ...bytes('E5'),
      ...bytes('105B015C16'),
      0xff,
      ...rsp,
      0x10,
    ]);
    const x = extractor();
    const got: string[] = [];
    let discarded = 0;
    for (let i = 0; i < stream.length; i += 7) {
      const r = x.push(stream.subarray(i, i + 7));
      got.push(...r.frames.map(hex));
      discarded += r.discarded;
    }
    expect(got).toEqual(['E5', '105B015C16', hex(rsp)]);
    expect(discarded).toBe(4);
    expect(x.pending).toBe(1);
  });
});

describe('accepts what real meters send', () => {
  it('a BCD register sent as all FF is null and listed as missing, and re-encodes', () => {
    // volume 12345678 l (0C 13 BCD8) and a storage-1 volume the meter has no value for (4C 13 FF…)
    const frame = long(0x08, 5, 0x72, `${HEADER} 0C13 78563412 4C13 FFFFFFFF`);
    const d = decode(frame);
    expect(d.records?.[0]).toMatchObject({ value: 12345.678, storage: 0 });
    expect(d.records?.[1]).toMatchObject({ value: null, rawValue: null, storage: 1, raw: 'FFFFFFFF' });
    expect(d.missing).toEqual(['records[1].value']);
    expect(hex(encode(d))).toBe(hex(frame));
  });

  it('flags the broadcast addresses 254 and 255, not a primary address', () => {
    expect(decode(bytes('10 5B FE 59 16'))).toMatchObject({
      addressType: 'broadcast-reply',
      broadcast: true,
    });
    expect(decode(bytes('10 40 FF 3F 16'))).toMatchObject({
      addressType: 'broadcast-no-reply',
      broadcast: true,
    });
    expect(decode(bytes('10 5B 05 60 16')).broadcast).toBeUndefined();
  });

  it('a start byte in the noise after the stop byte does not hold back the next frame', () => {
    const frame = long(0x08, 5, 0x72, `${HEADER} 0C13 78563412`);
    const x = extractor();
    expect(x.push(Uint8Array.from([0xfe, 0xfe, ...frame, 0x68, 0x40, 0x40, 0x68])).frames).toEqual([frame]);
    expect(x.push(Uint8Array.from([0xfe, ...frame])).frames).toEqual([frame]);
  });
});
