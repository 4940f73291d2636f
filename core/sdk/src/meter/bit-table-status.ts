import type { StatusFieldDef, StatusFlags } from '../kinds/meter-type.ts';
import { type BitField, decodeBits, statusFieldsOf } from './status-bits.ts';

/** The status part of a meter type whose status word is described by a bit table. */
export interface BitTableStatus {
  statusFields: readonly StatusFieldDef[];
  decodeStatus(bits: number): StatusFlags;
}

/** Status-field declarations and decoder of a meter type, both taken from one table. */
export function bitTableStatus(table: readonly BitField[]): BitTableStatus {
  return {
    statusFields: statusFieldsOf(table),
    decodeStatus: (bits) => decodeBits(bits, table),
  };
}
