import { bytesToHex } from '../common/bytes.ts';
import { fail } from '../common/errors.ts';

/**
 * Typed access to untrusted JSON. Every miss throws ProtocolError('PAYLOAD_INVALID') naming the
 * field by its path, so a bad push never surfaces as a TypeError.
 */
export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function invalid(message: string): never {
  return fail('PAYLOAD_INVALID', message);
}

/** Parses a body given as JSON text, UTF-8 bytes or an already parsed object. */
export function parseBody(body: unknown, what = 'body'): Json {
  let v = body;
  if (body instanceof Uint8Array) {
    try {
      v = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      invalid(`${what} is not UTF-8`);
    }
  }
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      invalid(`${what} is not valid JSON`);
    }
  }
  if (!isRecord(v)) invalid(`${what} must be a JSON object`);
  return v;
}

export function reqObj(o: Json, key: string, path: string): Json {
  const v = o[key];
  if (!isRecord(v)) invalid(`${path} must be an object`);
  return v;
}

export function optObj(o: Json, key: string, path: string): Json | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) invalid(`${path} must be an object`);
  return v;
}

export function reqStr(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') invalid(`${path} must be a non-empty string`);
  return v;
}

export function optStr(o: Json, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') invalid(`${path} must be a string`);
  return v;
}

export function optNum(o: Json, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) invalid(`${path} must be a number`);
  return v;
}

export function optBool(o: Json, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') invalid(`${path} must be true or false`);
  return v;
}

export function optArr(o: Json, key: string, path: string): unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) invalid(`${path} must be an array`);
  return v;
}

/** Id fields some platforms send as numbers and others as strings. */
export function reqId(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return reqStr(o, key, path);
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isBase64(s: string): boolean {
  return B64.test(s);
}

/** Strict standard base64 (RFC 4648 §4, padded) to bytes. */
export function base64ToBytes(s: unknown, path: string): Uint8Array {
  if (typeof s !== 'string' || !B64.test(s)) invalid(`${path} must be base64`);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

export function bytesToBase64(b: Uint8Array): string {
  return Buffer.from(b).toString('base64');
}

export function hexOf(b: Uint8Array): string {
  return bytesToHex(b);
}

/** Milliseconds since the epoch (number or digit string) to ISO. */
export function isoFromMs(v: unknown, path: string): string {
  const ms = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : v;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) invalid(`${path} must be a time in milliseconds`);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) invalid(`${path} is out of range`);
  return d.toISOString();
}

/** RFC 3339 (any fraction length) or the compact yyyyMMdd'T'HHmmss'Z' form to ISO. */
export function isoFromText(v: unknown, path: string): string {
  if (typeof v !== 'string') invalid(`${path} must be a time string`);
  const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  const text = compact
    ? `${compact[1]}-${compact[2]}-${compact[3]}T${compact[4]}:${compact[5]}:${compact[6]}Z`
    : v.replace(/(\.\d{3})\d+/, '$1');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    invalid(`${path} "${v.slice(0, 40)}" is not an RFC 3339 time`);
  }
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) invalid(`${path} "${v.slice(0, 40)}" is not a valid time`);
  return d.toISOString();
}

/** Text of device bytes that is hex (even length) or else base64; undefined if neither. */
export function bytesFromText(s: string): Uint8Array | undefined {
  if (s.length > 0 && s.length % 2 === 0 && /^[0-9A-Fa-f]+$/.test(s)) {
    return Uint8Array.from(s.match(/../g)!.map((h) => Number.parseInt(h, 16)));
  }
  if (s.length > 0 && B64.test(s)) return new Uint8Array(Buffer.from(s, 'base64'));
  return undefined;
}

/** Bytes that are UTF-8 JSON object text, parsed; otherwise undefined. */
export function jsonObjectOf(b: Uint8Array): Json | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(b);
    if (!text.trimStart().startsWith('{')) return undefined;
    const v = JSON.parse(text);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
