import type { Cjt188Frame } from '@quadmeter/protocols/cjt188/index.ts';
import * as cjt188 from '@quadmeter/protocols/cjt188/index.ts';
import { type FrameExchange, hasBadSum, TransportError, transact, withWake } from '@quadmeter/sdk/serial';
import { latencyOf, type MeterCall } from './reading.ts';

let ser = 0;
/** The frame serial number SER, one counter for the process. */
function nextSer(): number {
  ser = (ser + 1) & 0xff;
  return ser;
}

/** The reply's address is the one asked (AA bytes in the request match any byte). */
export function addressAnswers(requested: string, replied: string): boolean {
  if (requested.length !== replied.length) return false;
  for (let i = 0; i < requested.length; i += 2) {
    const r = requested.slice(i, i + 2).toUpperCase();
    if (r !== 'AA' && r !== replied.slice(i, i + 2).toUpperCase()) return false;
  }
  return true;
}

/** 68 T A0..A6 C L … CS 16, checksum from 68. */
export function cjtBadSum(bytes: Uint8Array): boolean {
  return hasBadSum(bytes, (b, i) =>
    b[i] === 0x68 && i + 10 < b.length ? { sumFrom: i, end: i + 13 + b[i + 10] } : null,
  );
}

function tryDecode(frame: Uint8Array): Cjt188Frame | undefined {
  try {
    return cjt188.decode(frame);
  } catch {
    return undefined;
  }
}

/** The status word ST1 | ST2 << 8 of decoded data, when it has one. */
export function statusWord(data: Record<string, unknown>): number | undefined {
  const raw = (data.status as { raw?: unknown } | undefined)?.raw;
  if (typeof raw !== 'string' || !/^[0-9A-F]{4}$/i.test(raw)) return undefined;
  return Number.parseInt(raw.slice(0, 2), 16) | (Number.parseInt(raw.slice(2), 16) << 8);
}

/**
 * One CJ/T 188 request (`build` gets the SER to use) and its reply from the address asked, for
 * the same identifier. An abnormal reply throws METER_ERROR carrying the status word.
 */
export async function cjtTransact(
  c: MeterCall,
  di: string,
  replyBytes: number,
  build: (ser: number) => Uint8Array,
): Promise<Cjt188Frame> {
  const address = c.target.ref.address;
  const request = build(nextSer());
  const ex: FrameExchange = {
    request: withWake(request, c.profile.wake),
    replyBytes: 4 + replyBytes,
    latencyMs: latencyOf(c),
    splitter: () => cjt188.extractor(),
    accepts: (frame) => {
      const f = tryDecode(frame);
      return !!f && f.direction === 'slave->master' && f.di === di && addressAnswers(address, f.address);
    },
    badChecksum: cjtBadSum,
  };
  const f = cjt188.decode(await transact(c.link, c.line, ex, c.signal, c.stats));
  if (f.error) {
    const word = statusWord(f.data) ?? 0;
    throw new TransportError(
      'METER_ERROR',
      `meter ${address} refused ${di}: status ${word.toString(16).padStart(4, '0').toUpperCase()}`,
      word,
    );
  }
  return f;
}

/** Request options of the meter's profile (meter type byte, DI order); `params.meterType` wins. */
export function wireOptions(c: MeterCall): { meterType: number; profile: cjt188.Cjt188Profile } {
  const t = c.target.params?.meterType;
  const meterType =
    typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 0xff ? t : c.profile.cjt188MeterType;
  return { meterType, profile: { diOrder: c.profile.cjt188DiOrder } };
}
