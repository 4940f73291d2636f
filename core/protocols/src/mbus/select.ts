import { concat, fail, need, readUintLE, writeUintLE } from '../common/index.ts';
import { decodeId, decodeManufacturer, encodeId, encodeManufacturer } from './header.ts';

/**
 * Secondary address mask of a select slave frame (CI 52, EN 13757-3): identification (4 BCD bytes,
 * each F nibble a wildcard digit), manufacturer (FFFF = any), version (FF = any), medium (FF = any).
 */
export interface SecondaryAddress {
  /** 8 digits, F for a wildcard digit */
  id: string;
  /** three letters, or null for any */
  manufacturer: string | null;
  /** null for any */
  version: number | null;
  /** null for any */
  medium: number | null;
}

export const SELECT_LENGTH = 8;

export function decodeSelect(b: Uint8Array, offset: number): SecondaryAddress {
  need(b, offset, SELECT_LENGTH, 'secondary address');
  const man = readUintLE(b, offset + 4, 2);
  const version = b[offset + 6];
  const medium = b[offset + 7];
  return {
    id: decodeId(b, offset),
    manufacturer: man === 0xffff ? null : decodeManufacturer(man),
    version: version === 0xff ? null : version,
    medium: medium === 0xff ? null : medium,
  };
}

function optionalByte(v: number | null | undefined, what: string): number {
  if (v === null || v === undefined) return 0xff;
  if (!Number.isInteger(v) || v < 0 || v > 254) fail('ENCODE_INPUT_INVALID', `${what} ${v} is not 0..254`);
  return v;
}

export interface SelectInput {
  id: string;
  manufacturer?: string | null;
  version?: number | null;
  medium?: number | null;
}

export function encodeSelect(s: SelectInput): Uint8Array {
  if (!s || typeof s !== 'object') fail('ENCODE_INPUT_INVALID', 'select needs an object with id');
  const id = String(s.id ?? '').toUpperCase();
  if (!/^[0-9F]{8}$/.test(id))
    fail('ENCODE_INPUT_INVALID', `secondary id "${s.id}" must be 8 digits or F wildcards`);
  const man =
    s.manufacturer === null || s.manufacturer === undefined ? 0xffff : encodeManufacturer(s.manufacturer);
  return concat([
    encodeId(id),
    writeUintLE(man, 2),
    Uint8Array.of(optionalByte(s.version, 'version'), optionalByte(s.medium, 'medium')),
  ]);
}
