import { fail } from '../common/errors.ts';

/** Input checks for the encoders: wrong input becomes ENCODE_INPUT_INVALID, never a TypeError. */

export function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail('ENCODE_INPUT_INVALID', `${what} must be an object`);
  return v as Record<string, unknown>;
}

export function asArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) fail('ENCODE_INPUT_INVALID', `${what} must be an array`);
  return v;
}

export function asInt(v: unknown, min: number, max: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail('ENCODE_INPUT_INVALID', `${what} must be an integer ${min}..${max}, got ${String(v)}`);
  }
  return v;
}

export function asBool(v: unknown, what: string, fallback?: boolean): boolean {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'boolean') fail('ENCODE_INPUT_INVALID', `${what} must be true or false`);
  return v;
}

export function asString(v: unknown, what: string): string {
  if (typeof v !== 'string') fail('ENCODE_INPUT_INVALID', `${what} must be a string`);
  return v;
}

/** Hex text (spaces allowed) of exactly `len` bytes, or any length when `len` is undefined. */
export function asHex(v: unknown, what: string, len?: number): Uint8Array {
  const s = asString(v, what).replace(/\s+/g, '');
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) fail('ENCODE_INPUT_INVALID', `${what} must be hex`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(i * 2, i * 2 + 2), 16);
  if (len !== undefined && out.length !== len) fail('ENCODE_INPUT_INVALID', `${what} must be ${len} byte(s)`);
  return out;
}
