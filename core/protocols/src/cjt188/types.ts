import type { Data } from './fields.ts';

export type { Data, Status } from './fields.ts';

/**
 * Byte order of the data identifier. `standard`: DI0 is the low byte (901F sent as `1F 90`);
 * `swapped`: high byte first (`90 1F`), which many meters and head-ends use.
 */
export type DiOrder = 'standard' | 'swapped';

/** Per-vendor transmit options. */
export interface Cjt188Profile {
  diOrder: DiOrder;
}

export const defaultProfile: Cjt188Profile = { diOrder: 'standard' };

export type Direction = 'master->slave' | 'slave->master';

/** What decode returns: plain JSON. */
export interface Cjt188Frame {
  protocol: 'cjt188';
  /** number of FE bytes before 68 */
  preamble: number;
  meterType: number;
  meterTypeName: string | null;
  /** 14 digits, most significant first (A6..A0); AA bytes give `AA` (wildcard) */
  address: string;
  /** set when the address is all AA (broadcast / any meter) */
  broadcast?: true;
  /** control byte as 2 hex digits */
  control: string;
  function: string;
  direction: Direction;
  /** abnormal reply (D6 set) */
  error: boolean;
  /** L: bytes from DI0 to the last data byte */
  length: number;
  /** data identifier as the standard prints it, e.g. 901F */
  di: string;
  diName: string | null;
  diOrder: DiOrder;
  ser: number;
  checksum: string;
  /**
   * fields named per DI; `raw` (hex) when the body has no known layout; `extra` (hex) for bytes a
   * meter sent after the known fields; `missing` lists the fields sent as FF (no data, value null)
   */
  data: Data;
}

/** What encode takes: the decode shape; fields it computes (length, checksum, names) are ignored. */
export interface Cjt188EncodeInput {
  preamble?: number;
  meterType: number | string;
  address: string;
  control: number | string;
  di: string;
  diOrder?: DiOrder;
  ser?: number;
  data?: Data;
}
