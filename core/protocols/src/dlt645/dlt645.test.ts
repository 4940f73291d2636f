import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, sum8 } from '../common/bytes.ts';
import { ProtocolError } from '../common/errors.ts';
import { fixtures } from './fixtures.ts';
import {
  buildBroadcastTimeSync,
  buildErrorReply,
  buildFreeze,
  buildReadAddress,
  buildReadReply,
  buildReadRequest,
  buildRelayControl,
  codec,
  decodeFrame,
  decodeItem,
  encodeFrame,
  encodeItem,
} from './index.ts';

/** Frame built by hand from the standard's rules, independent of the encoder. */
function handFrame(addressLe: number[], control: number, data: number[]): string {
  const body = [0x68, ...addressLe, 0x68, control, data.length, ...data.map((b) => (b + 0x33) & 0xff)];
  return bytesToHex(Uint8Array.from([...body, sum8(Uint8Array.from(body)), 0x16]));
}

describe('dlt645 fixtures', () => {
  it('has at least 25 frames across both editions', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
    const versions = new Set(fixtures.map((f) => codec.decode(hexToBytes(f.hex)).version));
    expect([...versions].sort()).toEqual(['1997', '2007']);
  });

  for (const f of fixtures) {
    it(`decodes: ${f.name}`, () => {
      const frame = codec.decode(hexToBytes(f.hex));
      expect(frame).toMatchObject(f.expect);
      expect(frame.checksumOk).toBe(true);
    });
    it(`re-encodes byte-exactly: ${f.name}`, () => {
      const bytes = hexToBytes(f.hex);
      const frame = codec.decode(bytes);
      expect(bytesToHex(codec.encode(frame))).toBe(bytesToHex(bytes));
      // the semantic fields alone (no raw data field) rebuild the same frame
      const { data: _data, ...semantic } = frame;
      expect(bytesToHex(codec.encode(semantic))).toBe(bytesToHex(bytes));
    });
  }

  it('matches frames assembled by hand from the +0x33 and checksum rules', () => {
    // read request DI 00010000 to 210987654321 (address LSB first)
    const addr = [0x21, 0x43, 0x65, 0x87, 0x09, 0x21];
    expect(bytesToHex(buildReadRequest('210987654321', '00010000'))).toBe(
      handFrame(addr, 0x11, [0x00, 0x00, 0x01, 0x00]),
    );
    // reply 1234.56 kWh = BCD 56 34 12 00
    expect(bytesToHex(buildReadReply('210987654321', '00010000', 1234.56))).toBe(
      handFrame(addr, 0x91, [0x00, 0x00, 0x01, 0x00, 0x56, 0x34, 0x12, 0x00]),
    );
    // 1997 current phase C 5.12 A = 12 05
    expect(bytesToHex(buildReadReply('210987654321', 'B623', 5.12))).toBe(
      handFrame(addr, 0x81, [0x23, 0xb6, 0x12, 0x05]),
    );
  });
});

describe('dlt645 decode details', () => {
  it('reads a signed current with the sign bit in the top byte', () => {
    expect(decodeItem('02020100', '341280').value).toBe(-1.234);
  });
  it('keeps unknown identifiers as raw bytes without a value', () => {
    const item = decodeItem('0F0F0F0F', '0102');
    expect(item).toEqual({ di: '0F0F0F0F', raw: '0102' });
  });
  it('reports a non-BCD value without throwing', () => {
    const item = decodeItem('00010000', 'FF1A0000');
    expect(item.value).toBeUndefined();
    expect(item.valueError).toMatch(/not BCD/);
    expect(item.raw).toBe('FF1A0000');
  });
  it('tolerates a byte appended after the value and gives it back on encode', () => {
    const bytes = hexToBytes(handFrame([1, 0, 0, 0, 0, 0], 0x91, [0, 0, 1, 0, 0x12, 0, 0, 0, 0x77]));
    const frame = decodeFrame(bytes);
    expect(frame.value).toBe(0.12);
    expect(frame.extra).toBe('77');
    const { data: _d, ...semantic } = frame;
    expect(bytesToHex(encodeFrame(semantic))).toBe(bytesToHex(bytes));
  });
  it('shows wildcard and broadcast addresses as they are', () => {
    expect(decodeFrame(buildReadAddress()).address).toBe('AAAAAAAAAAAA');
    expect(decodeFrame(buildBroadcastTimeSync('2024-01-02 03:04:05')).address).toBe('999999999999');
  });
  it('decodes every 2007 error bit to a name', () => {
    const f = decodeFrame(buildErrorReply('1', 'read', 0x7f));
    expect(f.errors).toEqual([
      'other error',
      'no data requested',
      'wrong password or unauthorised',
      'baud rate cannot change',
      'annual zone count exceeded',
      'daily period count exceeded',
      'tariff count exceeded',
    ]);
    expect(decodeFrame(buildErrorReply('1', 'read', ['wrong password'], '1997')).errors).toEqual([
      'wrong password',
    ]);
  });
  it('encodes block values given as an array in wire order', () => {
    expect(bytesToHex(encodeItem('0201FF00', [220, 221, 222]))).toBe('002210222022');
  });
});

describe('dlt645 builders', () => {
  it('builds the relay trip command with its validity time', () => {
    const f = decodeFrame(
      buildRelayControl('000000000001', {
        action: 'trip',
        validUntil: '2025-01-31 18:00:00',
        password: '02112233',
      }),
    );
    expect(f).toMatchObject({
      control: '1C',
      length: 16,
      action: 'trip',
      actionCode: '1A',
      password: '02112233',
      validUntil: '2025-01-31 18:00:00',
    });
    expect(f.data).toBe('023322110000000 01A00000018310125'.replace(' ', ''));
  });
  it('builds freeze patterns', () => {
    expect(decodeFrame(buildFreeze('999999999999', '99999999')).freeze).toEqual({
      pattern: '99999999',
      kind: 'instant',
    });
    expect(decodeFrame(buildFreeze('000000000001', '99011230')).freeze).toEqual({
      pattern: '99011230',
      kind: 'monthly',
    });
  });
  it('builds a broadcast time sync from a Date in wall-clock time', () => {
    const f = decodeFrame(buildBroadcastTimeSync(new Date(2024, 1, 29, 23, 59, 58)));
    expect(f.time).toBe('2024-02-29 23:59:58');
    expect(f.data).toBe('585923290224');
  });
  it('picks the edition that has the function when none is given', () => {
    expect(decodeFrame(encodeFrame({ address: '1', function: 're-read' }))).toMatchObject({
      version: '1997',
      control: '03',
    });
  });
  it('builds follow-up replies', () => {
    const f = decodeFrame(buildReadReply('1', '00010000', 1, { seq: 3 }));
    expect(f).toMatchObject({ control: '92', seq: 3, value: 1 });
  });
});

describe('dlt645 errors', () => {
  const good = hexToBytes(fixtures[1].hex);
  const code = (bytes: Uint8Array): string => {
    try {
      codec.decode(bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(ProtocolError);
      return (e as ProtocolError).code;
    }
    return 'none';
  };
  const mutate = (i: number, v: number): Uint8Array => {
    const b = good.slice();
    b[i] = v;
    return b;
  };
  it('rejects bad checksum, start, end, truncation, length and trailing bytes', () => {
    const n = good.length;
    expect(code(mutate(n - 2, good[n - 2] ^ 1))).toBe('FRAME_CHECKSUM_INVALID');
    expect(code(mutate(4, 0x69))).toBe('FRAME_START_INVALID');
    expect(code(mutate(11, 0x00))).toBe('FRAME_START_INVALID');
    expect(code(mutate(n - 1, 0x17))).toBe('FRAME_END_INVALID');
    expect(code(good.subarray(0, n - 3))).toBe('FRAME_TRUNCATED');
    expect(code(good.subarray(0, 4))).toBe('FRAME_TRUNCATED');
    expect(code(mutate(13, 0xc9))).toBe('FRAME_LENGTH_INVALID');
    expect(code(Uint8Array.from([...good, 0x00]))).toBe('FRAME_TRAILING_BYTES');
    expect(code(new Uint8Array(0))).toBe('FRAME_EMPTY');
  });
  it('reports a wrong L as a length error when the frame visibly ends elsewhere', () => {
    const bytes = hexToBytes(handFrame([1, 0, 0, 0, 0, 0], 0x91, [0, 0, 1, 0, 1, 0, 0, 0]));
    bytes[9] = 9;
    expect(code(bytes)).toBe('FRAME_LENGTH_INVALID');
    bytes[9] = 7;
    expect(code(bytes)).toBe('FRAME_LENGTH_INVALID');
  });
  it('rejects unknown control codes', () => {
    expect(code(hexToBytes(handFrame([1, 0, 0, 0, 0, 0], 0x1f, [])))).toBe('FRAME_CONTROL_UNKNOWN');
    expect(code(hexToBytes(handFrame([1, 0, 0, 0, 0, 0], 0x51, [0])))).toBe('FRAME_CONTROL_UNKNOWN');
    expect(code(hexToBytes(handFrame([1, 0, 0, 0, 0, 0], 0x88, [])))).toBe('FRAME_CONTROL_UNKNOWN');
  });
  it('rejects a command payload too short for its fixed fields', () => {
    expect(code(hexToBytes(handFrame([1, 0, 0, 0, 0, 0], 0x1c, [0, 0, 0])))).toBe('FRAME_LENGTH_INVALID');
  });
  it('rejects bad encode input with ENCODE_INPUT_INVALID', () => {
    const bad = (input: unknown): string => {
      try {
        codec.encode(input as never);
      } catch (e) {
        return (e as ProtocolError).code;
      }
      return 'none';
    };
    expect(bad({ address: 'xyz', function: 'read', di: '00010000' })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ address: '1', function: 'freeze', version: '1997', freeze: '99999999' })).toBe(
      'ENCODE_INPUT_INVALID',
    );
    expect(bad({ address: '1', function: 'read', di: '00010000', value: 1e9 })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ address: '1', function: 'read', di: '00010000', value: -1 })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ address: '1', control: '1F', data: '' })).toBe('ENCODE_INPUT_INVALID');
    expect(
      bad({ address: '1', function: 'relay-control', action: 'explode', validUntil: '2024-01-01 00:00:00' }),
    ).toBe('ENCODE_INPUT_INVALID');
  });
});

describe('dlt645 accepts what real meters send', () => {
  const addr = [0x61, 0x01, 0, 0, 0, 0];

  it('an FF-filled value is null and listed as missing, not an error', () => {
    // 00010000 answered with FF FF FF FF: the meter has no value for it
    const frame = decodeFrame(hexToBytes(handFrame(addr, 0x91, [0, 0, 1, 0, 0xff, 0xff, 0xff, 0xff])));
    expect(frame).toMatchObject({ di: '00010000', value: null, missing: ['value'] });
    expect(frame.valueError).toBeUndefined();
    expect(frame.raw).toBeUndefined();
  });

  it('FF-filled tariffs of an energy block are null, the others keep their values', () => {
    // 0001FF00 from a two-tariff meter: total 1.29, T1 0.62, T2 0.67, T3 and T4 filled with FF
    const hex = handFrame(
      addr,
      0x91,
      [
        0x00, 0xff, 0x01, 0x00, 0x29, 0x01, 0, 0, 0x62, 0, 0, 0, 0x67, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff,
      ],
    );
    const frame = decodeFrame(hexToBytes(hex));
    expect(frame.values).toEqual({ total: 1.29, T1: 0.62, T2: 0.67, T3: null, T4: null });
    expect(frame.missing).toEqual(['values.T3', 'values.T4']);
    expect(
      bytesToHex(
        encodeFrame({ address: '000000000161', function: 'read', di: '0001FF00', values: frame.values! }),
      ),
    ).toBe(hex);
  });

  it('an unknown DI keeps its bytes as raw and the header decodes', () => {
    const frame = decodeFrame(hexToBytes(handFrame(addr, 0x91, [0x01, 0x02, 0x80, 0x0f, 0x12, 0x34])));
    expect(frame).toMatchObject({ address: '000000000161', function: 'read', di: '0F800201', raw: '1234' });
  });

  it('flags the broadcast and wildcard addresses', () => {
    // real broadcast time sync capture (PROTOCOLS.md §1.1) and a read-address request to AA…AA
    expect(decodeFrame(hexToBytes('68 99 99 99 99 99 99 68 08 06 84 55 43 38 39 4A 4B 16')).broadcast).toBe(
      true,
    );
    expect(decodeFrame(hexToBytes('68 AA AA AA AA AA AA 68 13 00 DF 16')).broadcast).toBe(true);
    expect(decodeFrame(hexToBytes(handFrame(addr, 0x11, [0, 0, 1, 0]))).broadcast).toBeUndefined();
  });

  it('a 2007 security-authentication reply (83) is not read as a 1997 re-read', () => {
    // 070000FF identity authentication: random number 2 (4 bytes) and ESAM serial number (8 bytes)
    const data = [0xff, 0, 0, 0x07, 0x12, 0x34, 0x56, 0x78, 1, 2, 3, 4, 5, 6, 7, 8];
    const hex = handFrame(addr, 0x83, data);
    const frame = decodeFrame(hexToBytes(hex));
    expect(frame).toMatchObject({
      version: '2007',
      function: 'security-auth',
      di: '070000FF',
      raw: '123456780102030405060708',
    });
    expect(bytesToHex(encodeFrame(frame))).toBe(hex);
  });

  it('a 2007 security-authentication request (03) and abnormal reply (C3, SERR word) are 2007', () => {
    const request = [0xff, 0, 0, 0x07, 0, 0, 0, 0, ...Array.from({ length: 24 }, (_, i) => i)];
    expect(decodeFrame(hexToBytes(handFrame(addr, 0x03, request)))).toMatchObject({
      version: '2007',
      function: 'security-auth',
      di: '070000FF',
    });
    const abnormal = decodeFrame(hexToBytes(handFrame(addr, 0xc3, [0x08, 0x00])));
    expect(abnormal).toMatchObject({
      version: '2007',
      function: 'security-auth',
      error: true,
      errorCode: 8,
      errors: ['security error bit 3'],
    });
    expect(bytesToHex(encodeFrame(abnormal))).toBe(handFrame(addr, 0xc3, [0x08, 0x00]));
  });

  it('1997 re-read frames stay 1997', () => {
    expect(decodeFrame(hexToBytes(handFrame(addr, 0x03, [])))).toMatchObject({
      version: '1997',
      function: 're-read',
    });
    // 9010 = 7.00 kWh: the fourth data byte is 07 but 9010 is a known 1997 DI
    expect(
      decodeFrame(hexToBytes(handFrame(addr, 0x83, [0x10, 0x90, 0x00, 0x07, 0x00, 0x00]))),
    ).toMatchObject({
      version: '1997',
      function: 're-read',
      di: '9010',
      value: 7,
    });
    expect(decodeFrame(hexToBytes(handFrame(addr, 0xc3, [0x02])))).toMatchObject({
      version: '1997',
      errors: ['data identifier error'],
    });
  });
});
