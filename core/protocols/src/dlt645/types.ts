/** Protocol edition: 2007 uses 4-byte data identifiers, 1997 uses 2-byte ones. */
export type Dlt645Version = '2007' | '1997';

export type Direction = 'master->slave' | 'slave->master';

/** Function names shared by both editions (the function code differs per edition). */
export type FunctionName =
  | 'broadcast-time'
  | 'read'
  | 'read-follow'
  | 're-read'
  | 'read-address'
  | 'write'
  | 'write-address'
  | 'freeze'
  | 'change-baud'
  | 'change-password'
  | 'clear-demand'
  | 'clear-meter'
  | 'clear-events'
  | 'relay-control'
  | 'security-auth';

/** Date/time layouts as printed in the standard, most significant field first. */
export type TimePattern =
  | 'YYMMDDhhmmss'
  | 'YYMMDDhhmm'
  | 'YYMMDDWW'
  | 'YYMMDD'
  | 'hhmmss'
  | 'MMDDhhmm'
  | 'DDhh';

/**
 * Wire format of one data item.
 * num: little-endian BCD, `d` decimals, `s` = sign in bit 7 of the most significant byte.
 * time: BCD date/time (value is a string, e.g. '2023-06-14 00:00'; YYMMDDWW gives { date, weekday }).
 * digits: BCD digit string (addresses, meter numbers). hex: raw bytes, most significant first.
 * rec: fields in wire order. block: the member repeated (total, T1..Tn / A, B, C / ...).
 */
export type Fmt =
  | { t: 'num'; n: number; d: number; s?: boolean }
  | { t: 'time'; p: TimePattern }
  | { t: 'digits'; n: number }
  | { t: 'hex'; n: number }
  | { t: 'rec'; f: readonly RecField[] }
  | { t: 'block'; of: Fmt; labels: readonly string[]; min: number };

export interface RecField {
  key: string;
  fmt: Fmt;
  unit?: string;
}

export interface ItemDef {
  di: string;
  version: Dlt645Version;
  name: string;
  nameZh: string;
  fmt: Fmt;
  unit: string;
}

/** Decoded value of one item: a number, a string, or an object/array for records and blocks. */
/** `null`: the meter sent the field filled with FF (no data); see `missing`. */
export type ItemValue = number | string | null | ItemRecord | ItemValue[];
export interface ItemRecord {
  [key: string]: ItemValue;
}

export interface DecodedItem {
  di: string;
  item?: string;
  itemZh?: string;
  unit?: string;
  value?: ItemValue;
  values?: ItemRecord;
  /** bytes after the item's fixed length (some meters append one), hex */
  extra?: string;
  /** why a known item's bytes could not be read */
  valueError?: string;
  /** value bytes as hex when there is no value (unknown identifier or unreadable bytes) */
  raw?: string;
  /** fields the meter filled with FF (no data), e.g. ['value'] or ['values.T3']; their value is null */
  missing?: string[];
}

export type RelayAction =
  | 'trip'
  | 'allow-close'
  | 'direct-close'
  | 'alarm'
  | 'alarm-clear'
  | 'keep-power'
  | 'keep-power-clear';

/** What decode returns; encode accepts the same shape (see encode.ts for what it needs). */
export interface Dlt645Frame extends Partial<DecodedItem> {
  protocol: 'dlt645';
  version: Dlt645Version;
  preamble: number;
  address: string;
  /** set when the address is the broadcast 999999999999 or the wildcard AAAAAAAAAAAA */
  broadcast?: true;
  /** the control byte, 2 hex digits */
  control: string;
  /** the function code (D4..D0) */
  controlCode: number;
  function: FunctionName;
  functionZh: string;
  direction: Direction;
  error: boolean;
  follow: boolean;
  length: number;
  checksum: string;
  checksumOk: true;
  /** data field after removing the +0x33 offset, wire order, hex */
  data: string;
  errorCode?: number;
  errors?: string[];
  seq?: number;
  password?: string;
  operator?: string;
  newPassword?: string;
  meterAddress?: string;
  newAddress?: string;
  time?: string;
  freeze?: { pattern: string; kind: 'monthly' | 'daily' | 'hourly' | 'instant' | 'timed' };
  baud?: number;
  baudCode?: number;
  blocks?: number;
  from?: string;
  action?: RelayAction | string;
  actionCode?: string;
  reserved?: string;
  validUntil?: string;
  eventDi?: string;
}
