import { FrameExtractor } from '../common/extractor.ts';
import { encode } from './encode.ts';
import type { Data, Status } from './fields.ts';
import { probe } from './frame.ts';
import { type Cjt188Profile, defaultProfile } from './types.ts';

/** All-AA address: every meter on the line answers (use with one meter attached). */
export const BROADCAST_ADDRESS = 'AAAAAAAAAAAAAA';
/** T = AA: any meter type. */
export const ANY_METER_TYPE = 0xaa;

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
export function buildValveControlReply(
  meterType: number,
  address: string,
  ser: number,
  status: Partial<Status>,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode({ meterType, address, control: 0x84, di: 'A017', ser, data: { status } }, profile);
}

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
export function buildReadAddressReply(
  meterType: number,
  address: string,
  ser: number,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode({ meterType, address, control: 0x83, di: '810A', ser }, profile);
}

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
export function buildWriteAddressReply(
  meterType: number,
  address: string,
  ser: number,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode({ meterType, address, control: 0x95, di: 'A018', ser }, profile);
}

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
export function buildWriteSyncDataReply(
  meterType: number,
  address: string,
  ser: number,
  status: Partial<Status>,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode({ meterType, address, control: 0x96, di: 'A016', ser, data: { status } }, profile);
}

/** Write data (C=04) for A010..A019; `data` as decode gives it for that DI. */
export function buildWriteData(
  meterType: number,
  address: string,
  di: string,
  ser: number,
  data: Data,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode({ meterType, address, control: 0x04, di, ser, data }, profile);
}

/** Normal write-data reply (C=84). */
export function buildWriteDataReply(
  meterType: number,
  address: string,
  di: string,
  ser: number,
  data: Data,
  profile: Cjt188Profile = defaultProfile,
): Uint8Array {
  return encode({ meterType, address, control: 0x84, di, ser, data }, profile);
}

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
