import { FrameExtractor } from '../common/extractor.ts';
import { encode } from './encode.ts';
import type { Data, Status } from './fields.ts';
import { probe } from './frame.ts';
import { type Cjt188Profile, defaultProfile } from './types.ts';

/** All-AA address: every meter on the line answers (use with one meter attached). */
export const BROADCAST_ADDRESS = 'AAAAAAAAAAAAAA';
/** T = AA: any meter type. */
export const ANY_METER_TYPE = 0xaa;

/** Builder for a frame with a fixed C and DI and no data field (L=03). */
function bareFrame(control: number, di: string) {
  return (
    meterType: number,
    address: string,
    ser: number,
    profile: Cjt188Profile = defaultProfile,
  ): Uint8Array => encode({ meterType, address, control, di, ser }, profile);
}

/** Builder for a reply with a fixed C and DI carrying the status word ST. */
function statusReply(control: number, di: string) {
  return (
    meterType: number,
    address: string,
    ser: number,
    status: Partial<Status>,
    profile: Cjt188Profile = defaultProfile,
  ): Uint8Array => encode({ meterType, address, control, di, ser, data: { status } }, profile);
}

/** Builder for a frame with a fixed C carrying `data` for the DI given. */
function dataFrame(control: number) {
  return (
    meterType: number,
    address: string,
    di: string,
    ser: number,
    data: Data,
    profile: Cjt188Profile = defaultProfile,
  ): Uint8Array => encode({ meterType, address, control, di, ser, data }, profile);
}

/** Read functions: 810A goes with C=03, 8106 with C=09, everything else with C=01. */
export function readControlFor(di: string): number {
  const d = di.toUpperCase();
  if (d === '810A') return 0x03;
  if (d === '8106') return 0x09;
  return 0x01;
}

/** Read request (C=01/03/09, L=03). */
export function buildReadData(
  meterType: number,
  address: string,
  di: string,
  ser: number,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode({ meterType, address, control: readControlFor(di), di, ser }, profile);
}

/** Normal reply to a read; `body` is the `data` object decode gives for that DI. */
export function buildReadDataReply(
  meterType: number,
  address: string,
  di: string,
  ser: number,
  body: Data,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode({ meterType, address, control: readControlFor(di) | 0x80, di, ser, data: body }, profile);
}

/** Valve control (C=04, DI A017): 55 open, 99 close. */
export function buildValveControl(
  meterType: number,
  address: string,
  action: 'open' | 'close',
  ser: number,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode({ meterType, address, control: 0x04, di: 'A017', ser, data: { valve_cmd: action } }, profile);
}

/** Reply to valve control (C=84, L=05): DI SER ST1 ST2. */
export const buildValveControlReply = statusReply(0x84, 'A017');

/** Read address (C=03, DI 810A); by default broadcast to any meter type. */
export function buildReadAddress(
  meterType: number = ANY_METER_TYPE,
  address: string = BROADCAST_ADDRESS,
  ser = 0,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode({ meterType, address, control: 0x03, di: '810A', ser }, profile);
}

/** Read-address reply (C=83): the meter's own type and address in the header. */
export const buildReadAddressReply = bareFrame(0x83, '810A');

/** Write address (C=15, DI A018, new address A0 first). */
export function buildWriteAddress(
  meterType: number,
  address: string,
  newAddress: string,
  ser: number,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode(
    { meterType, address, control: 0x15, di: 'A018', ser, data: { new_address: newAddress } },
    profile,
  );
}

/** Write-address reply (C=95, L=03), sent from the new address. */
export const buildWriteAddressReply = bareFrame(0x95, 'A018');

/** Write sync data (C=16, DI A016): set the electronic counter to the mechanical reading. */
export function buildWriteSyncData(
  meterType: number,
  address: string,
  ser: number,
  value: number,
  profile: Cjt188Profile = defaultProfile,
  unit = 'm3',
): Uint8Array {
  const data = { current_cumulative: value, current_cumulative_unit: unit };
  return encode({ meterType, address, control: 0x16, di: 'A016', ser, data }, profile);
}

/** Write-sync-data reply (C=96, L=05): DI SER ST. */
export const buildWriteSyncDataReply = statusReply(0x96, 'A016');

/** Write data (C=04) for A010..A019; `data` as decode gives it for that DI. */
export const buildWriteData = dataFrame(0x04);

/** Normal write-data reply (C=84). */
export const buildWriteDataReply = dataFrame(0x84);

/** Abnormal reply (D7 and D6 set, e.g. C1/C4) to `requestControl`, carrying ST. */
export function buildAbnormalReply(
  meterType: number,
  address: string,
  requestControl: number,
  di: string,
  ser: number,
  status: Partial<Status>,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode(
    { meterType, address, control: (requestControl & 0x3f) | 0xc0, di, ser, data: { status } },
    profile,
  );
}

/** Stream framer: skips FE preambles and noise, keeps partial frames across chunks. */
export function extractor(): FrameExtractor {
  return new FrameExtractor(probe);
}
