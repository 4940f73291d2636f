import { bytesToHex } from '../common/bytes.ts';
import { BROADCAST_ADDRESS, WILDCARD_ADDRESS } from './address.ts';
import { editionOfFunction03, parseControl } from './control.ts';
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
  // function 03: 1997 re-read or 2007 security authentication, told apart by the frame itself
  const prefer =
    opts.version ??
    ((link.control & 0x1f) === 0x03 ? editionOfFunction03(link.control, link.data) : undefined);
  const c = parseControl(link.control, prefer);
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
    ...(link.address === BROADCAST_ADDRESS || link.address === WILDCARD_ADDRESS ? { broadcast: true } : {}),
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
