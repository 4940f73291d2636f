import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../common/bytes.ts';
import {
  buildMeterConfigDownload,
  buildMeterConfigQuery,
  buildReadingParamsDownload,
  buildReadingParamsQuery,
  buildReadReply,
  decode,
  encode,
  type MeterConfig,
  type PortReadingParams,
} from './index.ts';
import { addr, codeOf } from './test-helpers.ts';

const terminal = { A1_region: '4403', A2_terminal: 4, A3_master: 1 }; // MSA 1

/** The F33 worked bytes of PROTOCOLS-CONTROL.md §1.3 (a literal in a public master-station encoder). */
const F33_WORKED = '01 01 0000 03000000 0707 05 010101 01 0707 0808';
const F33_WORKED_DATA: PortReadingParams = {
  port: 1,
  control: 0,
  days: [1, 2],
  time: '07:07',
  intervalMinutes: 5,
  broadcast: { day: 1, time: '01:01' },
  segments: [{ start: '07:07', end: '08:08' }],
};

const meter = (serial: number, pn: number, address: string, port = 2): MeterConfig => ({
  serial,
  pn,
  baud: 2400,
  port,
  protocol: 30,
  protocolName: 'DL/T 645-2007',
  address,
  password: '000000000000',
  tariffCount: 4,
  integerDigits: 6,
  decimalDigits: 2,
  collector: '000000000000',
  userClass: 0,
  userSubClass: 0,
});

/** The data bytes of the first unit: after 0x68 L L L L 0x68 C A(5) AFN SEQ DA(2) DT(2). */
const dataHex = (frame: Uint8Array, pwBytes = 0): string =>
  bytesToHex(frame.subarray(18, frame.length - 2 - pwBytes));

describe('AFN 0A F10 meter configuration query', () => {
  it('encodes the constructed vector of PROTOCOLS-CONTROL.md §1.4 byte for byte', () => {
    const f = buildMeterConfigQuery(terminal, [1, 2], 1);
    expect(bytesToHex(f, ' ')).toBe(
      '68 4A 00 4A 00 68 4B 03 44 04 00 02 0A 61 00 00 02 01 02 00 01 00 02 00 0B 16',
    );
    const d = decode(f);
    expect(d.afn).toBe('0A');
    expect(d.functionCode).toBe(11);
    expect(d.aux?.pw).toBeUndefined();
    expect(d.units[0]).toMatchObject({ pn: 0, fn: 10, data: { serials: [1, 2] } });
  });

  it('decodes a reply in the AFN 04 F10 layout and round-trips it', () => {
    const meters = [meter(1, 1, '000000000101'), meter(7, 9, '123456789012', 31)];
    const [reply] = buildReadReply(addr, '0A', [{ pn: 0, fn: 10, data: { meters } }], 3);
    const d = decode(reply);
    expect(d.dir).toBe('up');
    expect(d.units[0].data).toEqual({ count: 2, meters });
    expect(bytesToHex(encode(d))).toBe(bytesToHex(reply));
    // the same 27-byte records the download carries
    const down = buildMeterConfigDownload(addr, meters, 3);
    expect(dataHex(down, 16)).toBe(dataHex(reply));
  });

  it('answers an empty table with n = 0', () => {
    const [reply] = buildReadReply(addr, '0A', [{ pn: 0, fn: 10, data: { meters: [] } }], 0);
    expect(decode(reply).units[0].data).toEqual({ count: 0, meters: [] });
  });

  it('rejects serial numbers outside 1..2040 and truncated requests', () => {
    expect(codeOf(() => buildMeterConfigQuery(addr, [0], 0))).toBe('ENCODE_INPUT_INVALID');
    expect(codeOf(() => buildMeterConfigQuery(addr, [2041], 0))).toBe('ENCODE_INPUT_INVALID');
    expect(codeOf(() => buildMeterConfigQuery(addr, [1.5], 0))).toBe('ENCODE_INPUT_INVALID');
    const f = buildMeterConfigQuery(terminal, [1, 2], 1);
    // claim three serials while carrying two: the unit no longer fits
    const bad = hexToBytes(bytesToHex(f).replace('0201020001000200', '0201030001000200'));
    const d = decode(fixChecksum(bad));
    expect(d.units[0].error?.code ?? d.units[0].raw).toBeDefined();
    expect(d.units[0].data).toBeUndefined();
  });
});

describe('AFN 04 F33 / AFN 0A F33 reading parameters', () => {
  it('encodes the worked bytes of PROTOCOLS-CONTROL.md §1.3 and decodes them back', () => {
    const f = buildReadingParamsDownload(terminal, [F33_WORKED_DATA], 5);
    expect(dataHex(f, 16)).toBe(F33_WORKED.replaceAll(' ', ''));
    const d = decode(f);
    expect(d.afn).toBe('04');
    expect(d.seq.con).toBe(true);
    expect(d.aux?.pw).toBe('00000000000000000000000000000000');
    expect(d.units[0]).toMatchObject({ pn: 0, fn: 33, data: { ports: [F33_WORKED_DATA] } });
  });

  it('queries ports and decodes the reply (same layout as the download)', () => {
    const q = decode(buildReadingParamsQuery(terminal, [1, 31], 2));
    expect(q.units[0]).toMatchObject({ fn: 33, data: { ports: [1, 31] } });
    expect(dataHex(buildReadingParamsQuery(terminal, [1, 31], 2))).toBe('02011F');
    const carrier: PortReadingParams = {
      port: 31,
      control: 0x28,
      days: [1, 15, 31],
      time: '00:30',
      intervalMinutes: 60,
      broadcast: { day: 0, time: '23:59' },
      segments: [
        { start: '00:00', end: '06:00' },
        { start: '22:00', end: '24:00' },
      ],
    };
    const [reply] = buildReadReply(
      terminal,
      '0A',
      [{ pn: 0, fn: 33, data: { ports: [F33_WORKED_DATA, carrier] } }],
      2,
    );
    const d = decode(reply);
    expect(d.units[0].data).toEqual({ ports: [F33_WORKED_DATA, carrier] });
    expect(bytesToHex(encode(d))).toBe(bytesToHex(reply));
  });

  it('rejects impossible times, days, intervals and ports', () => {
    const bad = (p: Partial<PortReadingParams>) =>
      codeOf(() => buildReadingParamsDownload(terminal, [{ ...F33_WORKED_DATA, ...p }], 0));
    expect(bad({ time: '25:00' })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ time: '24:01' })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ time: '7:07' })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ days: [0] })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ days: [32] })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ intervalMinutes: 0 })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ intervalMinutes: 61 })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ port: 0 })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ port: 32 })).toBe('ENCODE_INPUT_INVALID');
    expect(bad({ broadcast: { day: 32, time: '01:00' } })).toBe('ENCODE_INPUT_INVALID');
    const many = Array.from({ length: 25 }, () => ({ start: '00:00', end: '01:00' }));
    expect(bad({ segments: many })).toBe('ENCODE_INPUT_INVALID');
    expect(codeOf(() => buildReadingParamsQuery(terminal, [0], 0))).toBe('ENCODE_INPUT_INVALID');
  });

  it('keeps a reply whose time is not BCD as an error, not a wrong value', () => {
    const [reply] = buildReadReply(
      terminal,
      '0A',
      [{ pn: 0, fn: 33, data: { ports: [F33_WORKED_DATA] } }],
      2,
    );
    const hex = bytesToHex(reply).replace('030000000707', '03000000070A');
    const d = decode(fixChecksum(hexToBytes(hex)));
    expect(d.units[0].data).toBeUndefined();
    expect(d.units[0].error?.code).toBe('FRAME_FIELD_INVALID');
  });
});

/** Recomputes CS after an edit inside the user data. */
function fixChecksum(f: Uint8Array): Uint8Array {
  const out = f.slice();
  let cs = 0;
  for (let i = 6; i < out.length - 2; i++) cs = (cs + out[i]) & 0xff;
  out[out.length - 2] = cs;
  return out;
}
