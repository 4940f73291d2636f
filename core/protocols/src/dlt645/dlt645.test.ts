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
    const item = decodeItem('00010000', 'FFFFFFFF');
    expect(item.value).toBeUndefined();
    expect(item.valueError).toMatch(/not BCD/);
    expect(item.raw).toBe('FFFFFFFF');
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
