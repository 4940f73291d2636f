import { fail } from '../common/errors.ts';
import { TABLE } from './di-table.ts';
import type { Direction, Dlt645Version, FunctionName } from './types.ts';

interface FunctionDef {
  code: number;
  name: FunctionName;
  nameZh: string;
  /** false for broadcast time sync, which meters never answer */
  replies: boolean;
}

/** DL/T 645-2007 function codes (control D4..D0). */
const FUNCTIONS_2007: readonly FunctionDef[] = [
  { code: 0x08, name: 'broadcast-time', nameZh: '广播校时', replies: false },
  { code: 0x11, name: 'read', nameZh: '读数据', replies: true },
  { code: 0x12, name: 'read-follow', nameZh: '读后续数据', replies: true },
  { code: 0x13, name: 'read-address', nameZh: '读通信地址', replies: true },
  { code: 0x14, name: 'write', nameZh: '写数据', replies: true },
  { code: 0x15, name: 'write-address', nameZh: '写通信地址', replies: true },
  { code: 0x16, name: 'freeze', nameZh: '冻结命令', replies: true },
  { code: 0x17, name: 'change-baud', nameZh: '更改通信速率', replies: true },
  { code: 0x18, name: 'change-password', nameZh: '修改密码', replies: true },
  { code: 0x19, name: 'clear-demand', nameZh: '最大需量清零', replies: true },
  { code: 0x1a, name: 'clear-meter', nameZh: '电表清零', replies: true },
  { code: 0x1b, name: 'clear-events', nameZh: '事件清零', replies: true },
  { code: 0x1c, name: 'relay-control', nameZh: '跳合闸、报警、保电', replies: true },
  { code: 0x03, name: 'security-auth', nameZh: '安全认证', replies: true },
];

/** DL/T 645-1997 function codes. */
const FUNCTIONS_1997: readonly FunctionDef[] = [
  { code: 0x01, name: 'read', nameZh: '读数据', replies: true },
  { code: 0x02, name: 'read-follow', nameZh: '读后续数据', replies: true },
  { code: 0x03, name: 're-read', nameZh: '重读数据', replies: true },
  { code: 0x04, name: 'write', nameZh: '写数据', replies: true },
  { code: 0x08, name: 'broadcast-time', nameZh: '广播校时', replies: false },
  { code: 0x0a, name: 'write-address', nameZh: '写设备地址', replies: true },
  { code: 0x0c, name: 'change-baud', nameZh: '更改通信速率', replies: true },
  { code: 0x0f, name: 'change-password', nameZh: '修改密码', replies: true },
  { code: 0x10, name: 'clear-demand', nameZh: '最大需量清零', replies: true },
];

const TABLES: Record<Dlt645Version, readonly FunctionDef[]> = {
  '2007': FUNCTIONS_2007,
  '1997': FUNCTIONS_1997,
};

/** Error word of an abnormal 2007 reply (C | 0xC0), bit 0 first. */
export const ERROR_BITS_2007: readonly (string | null)[] = [
  'other error',
  'no data requested',
  'wrong password or unauthorised',
  'baud rate cannot change',
  'annual zone count exceeded',
  'daily period count exceeded',
  'tariff count exceeded',
  null,
];

/** Error byte of an abnormal 1997 reply, bit 0 first (bit 3 and bit 7 reserved). */
export const ERROR_BITS_1997: readonly (string | null)[] = [
  'illegal data',
  'data identifier error',
  'wrong password',
  null,
  'annual zone count exceeded',
  'daily period count exceeded',
  'tariff count exceeded',
  null,
];

export interface ControlInfo {
  version: Dlt645Version;
  code: number;
  name: FunctionName;
  nameZh: string;
  direction: Direction;
  error: boolean;
  follow: boolean;
}

function find(version: Dlt645Version, code: number): FunctionDef | undefined {
  return TABLES[version].find((f) => f.code === code);
}

/**
 * Splits a control byte. The edition follows from the function code: 01-04, 0A, 0C, 0F, 10 are
 * 1997 only, 11-1C are 2007 only; 08 exists in both with the same payload and is reported as
 * `prefer` (2007 unless told otherwise).
 */
export function parseControl(c: number, prefer: Dlt645Version = '2007'): ControlInfo {
  const code = c & 0x1f;
  const direction: Direction = c & 0x80 ? 'slave->master' : 'master->slave';
  const error = (c & 0x40) !== 0;
  const follow = (c & 0x20) !== 0;
  const other: Dlt645Version = prefer === '2007' ? '1997' : '2007';
  const preferred = find(prefer, code);
  const version = preferred ? prefer : other;
  const def = preferred ?? find(other, code);
  const hex = c.toString(16).padStart(2, '0').toUpperCase();
  if (!def) fail('FRAME_CONTROL_UNKNOWN', `control ${hex}: function ${code.toString(16)} is not DL/T 645`);
  if (error && direction === 'master->slave')
    fail('FRAME_CONTROL_UNKNOWN', `control ${hex}: abnormal flag on a request`);
  if (!def.replies && direction === 'slave->master')
    fail('FRAME_CONTROL_UNKNOWN', `control ${hex}: ${def.name} has no reply`);
  return { version, code, name: def.name, nameZh: def.nameZh, direction, error, follow };
}

/**
 * Function 03 is the 1997 re-read and the 2007 security authentication (03 / 83 / C3). The frame
 * tells them apart: a 1997 re-read request has no data and its abnormal reply one error byte, while
 * a security request carries a DI, its abnormal reply a 2-byte SERR word, and its normal reply
 * starts with a 07xxxxxx DI (07 in the fourth data byte) where a 1997 reply has a known 2-byte DI.
 * `data` is the data field with +0x33 removed.
 */
export function editionOfFunction03(control: number, data: Uint8Array): Dlt645Version {
  if ((control & 0x80) === 0) return data.length > 0 ? '2007' : '1997';
  if (control & 0x40) return data.length === 2 ? '2007' : '1997';
  if (data.length < 4 || data[3] !== 0x07) return '1997';
  const di1997 = ((data[1] << 8) | data[0]).toString(16).toUpperCase().padStart(4, '0');
  return TABLE.has(di1997) ? '1997' : '2007';
}

/** Function code for a name in an edition; throws ENCODE_INPUT_INVALID when it has none. */
export function functionCode(name: string, version: Dlt645Version): number {
  const def = TABLES[version].find((f) => f.name === name);
  if (!def) fail('ENCODE_INPUT_INVALID', `DL/T 645-${version} has no "${name}" function`);
  return def.code;
}

export function hasFunction(name: string, version: Dlt645Version): boolean {
  return TABLES[version].some((f) => f.name === name);
}

export function composeControl(code: number, reply: boolean, error: boolean, follow: boolean): number {
  return code | (reply ? 0x80 : 0) | (error ? 0x40 : 0) | (follow ? 0x20 : 0);
}

/** SERR word of an abnormal security-authentication reply (2 bytes): bits named by number. */
export function securityErrorNames(word: number): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 16; bit++) if (word & (1 << bit)) out.push(`security error bit ${bit}`);
  return out;
}

export function errorNames(word: number, version: Dlt645Version): string[] {
  const table = version === '2007' ? ERROR_BITS_2007 : ERROR_BITS_1997;
  const out: string[] = [];
  for (let bit = 0; bit < 8; bit++) {
    if (word & (1 << bit)) out.push(table[bit] ?? `reserved bit ${bit}`);
  }
  return out;
}

/** Error names (or bit numbers) back to the error word. */
export function errorWord(errors: readonly (string | number)[], version: Dlt645Version): number {
  const table = version === '2007' ? ERROR_BITS_2007 : ERROR_BITS_1997;
  let word = 0;
  for (const e of errors) {
    const bit = typeof e === 'number' ? e : table.indexOf(e);
    const reserved = typeof e === 'string' ? /^reserved bit ([0-7])$/.exec(e) : null;
    const b = reserved ? Number(reserved[1]) : bit;
    if (!Number.isInteger(b) || b < 0 || b > 7) fail('ENCODE_INPUT_INVALID', `unknown error "${e}"`);
    word |= 1 << b;
  }
  return word;
}
