import type { StatusFieldDef, StatusFlags } from '../kinds/meter-type.ts';
import { type BitField, decodeBits, statusFieldsOf } from './status-bits.ts';

/** The status part of a meter type whose status words are described by bit tables. */
export interface BitTableStatus {
  statusFields: readonly StatusFieldDef[];
  /** the protocols whose status word the meter type decodes; the first is the default */
  statusProtocols: readonly string[];
  decodeStatus(bits: number, protocol?: string): StatusFlags;
}

/** The union of the tables' fields: a state field named in several tables lists every value. */
function mergedFields(tables: readonly (readonly BitField[])[]): StatusFieldDef[] {
  const out = new Map<string, StatusFieldDef>();
  for (const f of tables.flatMap((t) => statusFieldsOf(t))) {
    const seen = out.get(f.key);
    if (!seen) out.set(f.key, f);
    else if (seen.values || f.values)
      out.set(f.key, { ...seen, values: [...new Set([...(seen.values ?? []), ...(f.values ?? [])])] });
  }
  return [...out.values()];
}

/**
 * Status decoding per protocol: the same meter type reports its status as a CJ/T 188 ST word
 * over RS-485 and as an EN 13757-3 status byte over M-Bus, with different bits. A word from a
 * protocol the meter type has no table for decodes to no fields; no protocol means the first.
 */
export function protocolStatus(tables: Readonly<Record<string, readonly BitField[]>>): BitTableStatus {
  const protocols = Object.keys(tables);
  if (protocols.length === 0) throw new Error('protocolStatus needs at least one table');
  return {
    statusFields: mergedFields(Object.values(tables)),
    statusProtocols: protocols,
    decodeStatus: (bits, protocol) => {
      const table = tables[protocol ?? protocols[0]];
      return table ? decodeBits(bits, table) : {};
    },
  };
}

/** Status-field declarations and decoder of a meter type with one protocol's table. */
export function bitTableStatus(table: readonly BitField[], protocol: string): BitTableStatus {
  return protocolStatus({ [protocol]: table });
}
