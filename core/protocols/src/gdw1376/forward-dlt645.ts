import { bytesToHex } from '../common/bytes.ts';
import { ProtocolError } from '../common/errors.ts';

/**
 * AFN 10 carries DL/T 645 frames to and from meters. They are decoded by the DL/T 645 codec, loaded
 * on demand: while it cannot be loaded the forwarded bytes stay as hex with `decoded: null`.
 */
export interface Forwarded {
  hex: string;
  /** the DL/T 645 decoder's result, or null (not loaded, or the bytes are not a DL/T 645 frame) */
  decoded: unknown;
  error?: { code: string; message: string };
}

type DecodeFn = (bytes: Uint8Array) => unknown;

let loaded: DecodeFn | null = null;

function pickDecode(m: Record<string, unknown>): DecodeFn | null {
  if (typeof m.decode === 'function') return m.decode as DecodeFn;
  const codec = m.codec as { decode?: unknown } | undefined;
  if (codec && typeof codec.decode === 'function') return codec.decode as DecodeFn;
  return null;
}

/** Loads the DL/T 645 decoder (again, if an earlier try failed); resolves to null when unavailable. */
export async function loadDlt645(): Promise<DecodeFn | null> {
  if (loaded) return loaded;
  try {
    loaded = pickDecode((await import('../dlt645/index.ts')) as unknown as Record<string, unknown>);
  } catch {
    loaded = null;
  }
  return loaded;
}

// One attempt when this module is first imported, so the synchronous decoder can use it.
await loadDlt645();

/** Wraps forwarded bytes, decoding them when the DL/T 645 decoder is available. */
export function forwarded(bytes: Uint8Array): Forwarded {
  const hex = bytesToHex(bytes);
  if (!loaded || bytes.length === 0) return { hex, decoded: null };
  try {
    return { hex, decoded: loaded(bytes) };
  } catch (e) {
    const error =
      e instanceof ProtocolError
        ? { code: e.code, message: e.message }
        : { code: 'DLT645_DECODE_FAILED', message: e instanceof Error ? e.message : String(e) };
    return { hex, decoded: null, error };
  }
}
