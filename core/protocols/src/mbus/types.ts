/** Shapes shared by the M-Bus decoder and encoder (EN 13757-2 link layer, EN 13757-3 application layer). */

export type FrameKind = 'ack' | 'short' | 'control' | 'long';

export type RecordFunction = 'instantaneous' | 'maximum' | 'minimum' | 'error';

/** Data field coding from DIF bits 0-3. */
export type DataCoding =
  | 'none'
  | 'int8'
  | 'int16'
  | 'int24'
  | 'int32'
  | 'real32'
  | 'int48'
  | 'int64'
  | 'selection'
  | 'bcd2'
  | 'bcd4'
  | 'bcd6'
  | 'bcd8'
  | 'lvar'
  | 'bcd12'
  | 'special';

/** One decoded data record. `value` is normalised (SI-ish unit in `unit`); `raw` is the data field as sent. */
export interface MbusRecord {
  /** DIF and DIFE bytes, hex */
  dif: string;
  /** VIF, plain-text unit bytes and VIFE bytes as sent, hex */
  vif: string;
  coding: DataCoding;
  storage: number;
  tariff: number;
  subunit: number;
  function: RecordFunction;
  quantity: string;
  unit: string;
  /** decimal exponent applied from the VIF (and correction VIFE) */
  exponent?: number;
  /** normalised value: number for numeric data, string for dates, text and non-decimal BCD */
  value: number | string | null;
  /** the same quantity in the unit billing uses: J to Wh, J/h to W */
  converted?: { value: number; unit: string };
  /** the number as coded, before the VIF scaling (real32: the shortest decimal that reads back as the same float) */
  rawValue?: number | string | null;
  /** data field bytes, hex (for LVAR including the length byte) */
  raw: string;
  /** text form: ISO date, plain text, or BCD digits */
  text?: string;
  /** date or time field flagged invalid by the meter */
  invalid?: boolean;
  /** plain-text unit from VIF 7C/FC */
  plainUnit?: string;
  /** names of the VIFE that follow the VIF */
  vife?: string[];
}

export interface StatusBits {
  applicationBusy: boolean;
  applicationError: boolean;
  powerLow: boolean;
  permanentError: boolean;
  temporaryError: boolean;
  manufacturer: number;
}

export interface MbusHeader {
  /** identification number, 8 digits (hex letters kept when the meter sends non-BCD nibbles) */
  id?: string;
  manufacturer?: string;
  version?: number;
  medium?: number;
  mediumName?: string;
  accessNo: number;
  status: number;
  statusBits: StatusBits;
  signature: number;
}

export interface FixedCounter {
  unitCode: number;
  quantity: string;
  unit: string;
  value: number | null;
  raw: string;
}

export interface MbusFixedData {
  id: string;
  accessNo: number;
  status: number;
  counterCoding: 'bcd' | 'binary';
  storedValues: boolean;
  medium: number;
  mediumName: string;
  counters: [FixedCounter, FixedCounter];
}

export interface MbusFrame {
  protocol: 'mbus';
  kind: FrameKind;
  c?: string;
  cName?: string;
  /** C-field flags: FCB/FCV for master frames, ACD/DFC for slave frames */
  fcb?: boolean;
  fcv?: boolean;
  acd?: boolean;
  dfc?: boolean;
  direction?: 'master' | 'slave';
  a?: number;
  addressType?:
    | 'primary'
    | 'network-layer'
    | 'broadcast-reply'
    | 'broadcast-no-reply'
    | 'unconfigured'
    | 'reserved';
  ci?: string;
  ciName?: string;
  header?: MbusHeader;
  records?: MbusRecord[];
  /** positions in `records` before which a 2F idle filler byte was sent */
  fillers?: number[];
  manufacturerData?: string;
  moreRecordsFollow?: boolean;
  fixed?: MbusFixedData;
  /** select slave (CI 52): the secondary address mask, F nibbles / FF bytes are wildcards */
  select?: { id: string; manufacturer: string | null; version: number | null; medium: number | null };
  /** DIF 7F global readout request: position in `records` */
  globalReadout?: number;
  /** set baud rate (CI B8..BF) */
  baud?: number;
  /** application data after the CI field, hex (long frames) */
  data?: string;
  /** set for the broadcast addresses 254 (with reply) and 255 (no reply) */
  broadcast?: true;
  /** records whose BCD data was all FF (no data, value null), e.g. ['records[2].value'] */
  missing?: string[];
}
