import type { Control } from './header.ts';

/** Shapes shared by the Q/GDW 1376.1 decoder, encoder and builders. */

export type Direction = 'up' | 'down';

/** Measuring point: 0 = the terminal itself (p0), 1..2040, or 'all' (DA1 = FF, DA2 = 00). */
export type Pn = number | 'all';

export interface GdwAddress {
  /** A1 administrative region code, 4 BCD digits as text ('3501'). */
  A1_region: string;
  /** A2 terminal address, binary 0..65535. */
  A2_terminal: number;
  /** A3 D1..D7: master station address (0 on terminal-initiated frames). */
  A3_master: number;
  /** A3 D0: A2 is a group address. */
  group: boolean;
}

export interface GdwSeq {
  tpv: boolean;
  fir: boolean;
  fin: boolean;
  con: boolean;
  /** PSEQ on initiating frames, RSEQ on responses, 0..15. */
  pseq: number;
}

/** One (pn, Fn) pair of a data unit with its data. */
export interface DataItem {
  pn: Pn;
  fn: number;
  name?: string | null;
  /** Index of the DA/DT data unit the item came from; items sharing it are sent in one unit. */
  unit?: number;
  /** Typed data, when the Fn is known for this AFN and direction. */
  data?: unknown;
  /** Data bytes kept as hex when the Fn is not known (or did not decode). */
  raw?: string;
  /** Why typed decoding failed, when it did. */
  error?: { code: string; message: string };
}

export interface EventCounters {
  /** EC1: important-event counter. */
  important: number;
  /** EC2: normal-event counter. */
  normal: number;
}

export interface TimeLabel {
  /** PFC: frame counter of the initiating station. */
  pfc: number;
  /** Send time, 'DD HH:MM:SS' (format A.16). */
  time: string;
  /** Allowed transmission delay in minutes (0 = no limit). */
  delayMinutes: number;
}

export interface GdwAux {
  /** PW: message authentication code (downlink 01/04/05/0F/10), hex. */
  pw?: string;
  /** EC: event counters (uplink with ACD = 1). */
  ec?: EventCounters;
  /** Tp: time label (TpV = 1). */
  tp?: TimeLabel;
}

/** A decoded frame; the control field C is given both as hex (`c`) and split into its bits (Control). */
export interface GdwFrame extends Control {
  protocol: 'gdw1376';
  /** User data length from L (C through AUX). */
  l: number;
  /** L D1..D0: 2 = Q/GDW 1376.1 (376.1), 1 = Q/GDW 130-2005. */
  protocolId: 1 | 2;
  c: string;
  address: GdwAddress;
  /** Application function code, two hex digits ('0C'). */
  afn: string;
  afnName: string;
  seq: GdwSeq;
  units: DataItem[];
  /** data area as hex when an unknown AFN's data does not split into DA/DT units */
  raw?: string;
  /** set when A2 = FFFF with the group flag (A3 D0): a broadcast to every terminal */
  broadcast?: true;
  aux?: GdwAux;
  cs: string;
}

/** What `encode` reads: the decoded shape, with the derived fields optional. */
export interface GdwFrameInput {
  protocolId?: 1 | 2;
  dir: Direction;
  prm: boolean;
  fcb?: boolean;
  acd?: boolean;
  fcv?: boolean;
  functionCode: number;
  address: GdwAddress;
  afn: string | number;
  seq: GdwSeq;
  units?: DataItem[];
  /** data area as hex (an unknown AFN's undivided data); wins over `units` */
  raw?: string;
  aux?: GdwAux;
}

/**
 * How one Fn's data is laid out in one direction. `size` says how many bytes the item takes from
 * `off` (data area ends at `end`; throws FRAME_TRUNCATED when it cannot fit), `decode` reads them,
 * `encode` writes typed data back.
 */
export interface FnLayout {
  size(b: Uint8Array, off: number, end: number): number;
  decode(b: Uint8Array, off: number, len: number): unknown;
  encode(data: unknown): Uint8Array;
}

export interface FnDef {
  fn: number;
  name: string;
  down?: FnLayout;
  up?: FnLayout;
}
