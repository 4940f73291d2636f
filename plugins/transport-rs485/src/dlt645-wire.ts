import type { Dlt645Frame } from '@quadmeter/protocols/dlt645/index.ts';
import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import { type FrameExchange, hasBadSum, TransportError, transact, withWake } from '@quadmeter/sdk/serial';
import { latencyOf, type MeterCall } from './reading.ts';

function tryDecode(frame: Uint8Array, version: '1997' | '2007'): Dlt645Frame | undefined {
  try {
    return dlt645.decodeFrame(frame, { version });
  } catch {
    return undefined;
  }
}

/** 68 A0..A5 68 C L … CS 16, checksum from the first 68. */
export function dltBadSum(bytes: Uint8Array): boolean {
  return hasBadSum(bytes, (b, i) =>
    b[i] === 0x68 && b[i + 7] === 0x68 && i + 9 < b.length ? { sumFrom: i, end: i + 12 + b[i + 9] } : null,
  );
}

/**
 * One DL/T 645 request and its reply: the reply must come from the address asked, for the same
 * function (and identifier, for reads). An abnormal reply throws METER_ERROR with its error word.
 */
export async function dltTransact(
  c: MeterCall,
  request: Uint8Array,
  expect: { fn: string; di?: string; replyData: number; version: '1997' | '2007' },
): Promise<Dlt645Frame> {
  const address = c.target.ref.address;
  const ex: FrameExchange = {
    request: withWake(request, c.profile.wake),
    // a reply carries the meter's own wake-up bytes: allow four
    replyBytes: 4 + 12 + expect.replyData,
    latencyMs: latencyOf(c),
    splitter: () => dlt645.extractor(),
    accepts: (frame) => {
      const f = tryDecode(frame, expect.version);
      if (f?.direction !== 'slave->master' || f.address !== address || f.function !== expect.fn) return false;
      return f.error || expect.di === undefined || f.di === expect.di;
    },
    badChecksum: dltBadSum,
  };
  const frame = await transact(c.link, c.line, ex, c.signal, c.stats);
  const f = dlt645.decodeFrame(frame, { version: expect.version });
  if (f.error) {
    const word = typeof f.errorCode === 'number' ? f.errorCode : 0;
    const names = Array.isArray(f.errors) ? f.errors.join(', ') : '';
    throw new TransportError(
      'METER_ERROR',
      `meter ${address} refused ${expect.fn}${expect.di ? ` ${expect.di}` : ''}: error word ${word
        .toString(16)
        .padStart(2, '0')
        .toUpperCase()} (${names})`,
      word,
    );
  }
  return f;
}

/** Reads one data identifier; the decoded frame (value or values). */
export function dltRead(c: MeterCall, di: string, replyData: number): Promise<Dlt645Frame> {
  const version = di.length === 4 ? '1997' : '2007';
  return dltTransact(c, dlt645.buildReadRequest(c.target.ref.address, di), {
    fn: 'read',
    di,
    replyData: (version === '2007' ? 4 : 2) + replyData,
    version,
  });
}
