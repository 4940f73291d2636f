import { bytesToHex, fail, ProtocolError } from '../common/index.ts';
import { applicationErrorName, BAUD_RATES, ciName } from './ci.ts';
import { decodeFixed } from './fixed.ts';
import { decodeLongHeader, decodeShortHeader, LONG_HEADER_LENGTH, SHORT_HEADER_LENGTH } from './header.ts';
import { addressType, decodeCField, hex2, parseLink } from './link.ts';
import { decodeRecords } from './records.ts';
import { decodeSelect, SELECT_LENGTH } from './select.ts';
import type { MbusFrame, MbusRecord } from './types.ts';

/** Records inside a frame whose checksum is right: running past the end is a malformed record. */
function records(data: Uint8Array, offset: number, frame: MbusFrame): void {
  try {
    const r = decodeRecords(data, offset);
    frame.records = r.records;
    if (r.fillers.length) frame.fillers = r.fillers;
    if (r.manufacturerData !== undefined) frame.manufacturerData = r.manufacturerData;
    if (r.moreRecordsFollow) frame.moreRecordsFollow = true;
    if (r.globalReadout !== undefined) frame.globalReadout = r.globalReadout;
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'FRAME_TRUNCATED') {
      fail('FRAME_FIELD_INVALID', `record runs past the end of the user data: ${e.message}`, e.offset);
    }
    throw e;
  }
}

function application(ci: number, data: Uint8Array, frame: MbusFrame): void {
  switch (ci) {
    case 0x72:
    case 0x76:
      if (data.length < LONG_HEADER_LENGTH)
        fail('FRAME_FIELD_INVALID', `long header needs 12 bytes, got ${data.length}`, 7);
      frame.header = decodeLongHeader(data, 0, ci === 0x76);
      records(data, LONG_HEADER_LENGTH, frame);
      return;
    case 0x7a:
      if (data.length < SHORT_HEADER_LENGTH)
        fail('FRAME_FIELD_INVALID', `short header needs 4 bytes, got ${data.length}`, 7);
      frame.header = decodeShortHeader(data, 0);
      records(data, SHORT_HEADER_LENGTH, frame);
      return;
    case 0x78:
    case 0x51:
      records(data, 0, frame);
      return;
    case 0x73:
    case 0x77:
      if (data.length < 16)
        fail('FRAME_FIELD_INVALID', `fixed data structure needs 16 bytes, got ${data.length}`, 7);
      frame.fixed = decodeFixed(data, 0, ci === 0x77);
      if (data.length > 16) frame.manufacturerData = bytesToHex(data.subarray(16));
      return;
    case 0x52:
      if (data.length !== SELECT_LENGTH)
        fail('FRAME_FIELD_INVALID', `select slave needs 8 bytes, got ${data.length}`, 7);
      frame.select = decodeSelect(data, 0);
      return;
    case 0x70:
      // The slave answers with an application error instead of data (EN 13757-3, CI 70).
      fail('PAYLOAD_INVALID', `slave reports application error: ${applicationErrorName(data[0])}`, 7);
      break;
    default:
      if (ci >= 0xb8 && ci <= 0xbf) frame.baud = BAUD_RATES[ci - 0xb8];
  }
}

/** Paths of the BCD records sent as all FF (no data): their value is null. */
function noDataRecords(records: MbusRecord[] | undefined): string[] {
  const out: string[] = [];
  for (const [i, r] of (records ?? []).entries()) {
    if (r.value === null && r.coding.startsWith('bcd') && /^(FF)+$/i.test(r.raw))
      out.push(`records[${i}].value`);
  }
  return out;
}

/** Decodes one whole M-Bus frame (E5, short, control or long) into a plain JSON object. */
export function decode(bytes: Uint8Array): MbusFrame {
  const link = parseLink(bytes);
  if (link.kind === 'ack') return { protocol: 'mbus', kind: 'ack' };
  const c = decodeCField(link.c!);
  const frame: MbusFrame = {
    protocol: 'mbus',
    kind: link.kind,
    c: hex2(c.c),
    cName: c.cName,
    direction: c.direction,
  };
  if (c.fcb !== undefined) {
    frame.fcb = c.fcb;
    frame.fcv = c.fcv;
  } else {
    frame.acd = c.acd;
    frame.dfc = c.dfc;
  }
  frame.a = link.a!;
  frame.addressType = addressType(link.a!);
  if (link.a === 254 || link.a === 255) frame.broadcast = true;
  if (link.kind === 'short') return frame;
  const ci = link.ci!;
  frame.ci = hex2(ci);
  frame.ciName = ciName(ci);
  const data = link.data!;
  if (data.length) frame.data = bytesToHex(data);
  application(ci, data, frame);
  const missing = noDataRecords(frame.records);
  if (missing.length > 0) frame.missing = missing;
  return frame;
}
