import { bytesToHex } from '../common/bytes.ts';
import { parseControl } from './control.ts';
import { parseLink } from './link.ts';
import { decodePayload } from './payloads.ts';
import type { Dlt645Frame, Dlt645Version } from './types.ts';

export interface DecodeOptions {
  /** edition to report for function 08 (broadcast time sync), which both editions share */
  version?: Dlt645Version;
}

/**
 * Decodes one frame (leading FE wake-up bytes allowed) to a plain JSON object. Throws only
 * ProtocolError: FRAME_* for framing faults, FRAME_CONTROL_UNKNOWN for a control byte that is
 * not DL/T 645, FRAME_LENGTH_INVALID / FRAME_FIELD_INVALID for a payload too short for its
 * command or with non-BCD time fields. Item values that cannot be read do not throw: the item
 * carries `valueError` and `raw` instead.
 */
export function decodeFrame(bytes: Uint8Array, opts: DecodeOptions = {}): Dlt645Frame {
  const link = parseLink(bytes);
  const c = parseControl(link.control, opts.version);
  const fields = decodePayload(link.data, {
    version: c.version,
    fn: c.name,
    reply: c.direction === 'slave->master',
    error: c.error,
  });
  return {
    protocol: 'dlt645',
    version: c.version,
    preamble: link.preamble,
    address: link.address,
    control: bytesToHex(Uint8Array.of(link.control)),
    controlCode: c.code,
    function: c.name,
    functionZh: c.nameZh,
    direction: c.direction,
    error: c.error,
    follow: c.follow,
    length: link.data.length,
    checksum: bytesToHex(Uint8Array.of(link.checksum)),
    checksumOk: true,
    data: bytesToHex(link.data),
    ...fields,
  };
}
