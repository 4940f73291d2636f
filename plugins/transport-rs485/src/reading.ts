import type { MeterTarget, RawReading, ReadKind, StatusWord } from '@quadmeter/sdk';
import {
  type ByteLink,
  type ExchangeStats,
  idempotencyKey,
  type SerialLineParams,
} from '@quadmeter/sdk/serial';
import type { Rs485Config } from './config.ts';
import type { VendorProfile } from './profiles.ts';

/** Everything one meter's read needs. */
export interface MeterCall {
  link: ByteLink;
  line: SerialLineParams;
  target: MeterTarget;
  signal: AbortSignal;
  config: Rs485Config;
  profile: VendorProfile;
  kind: ReadKind;
  frozenFor?: string;
  stats?: ExchangeStats;
  /** now, ms (the host clock) */
  now: number;
}

export function latencyOf(c: Pick<MeterCall, 'line' | 'profile'>): number {
  return c.profile.latencyMs ?? c.line.latencyMs;
}

export interface ReadingParts {
  protocol: string;
  measuredAt: string;
  registers: Record<string, string | null>;
  status?: StatusWord;
}

/** The RawReading of one meter: route by line key and address, kind and date from the call. */
export function makeReading(c: MeterCall, p: ReadingParts): RawReading {
  const address = c.target.ref.address;
  const frozen = c.kind === 'realtime' ? undefined : c.frozenFor;
  const wanted = c.target.registers;
  const registers = wanted
    ? Object.fromEntries(Object.entries(p.registers).filter(([k]) => wanted.includes(k)))
    : p.registers;
  return {
    route: { via: 'serial', line: c.line.key, address },
    kind: c.kind,
    measuredAt: p.measuredAt,
    receivedAt: new Date().toISOString(),
    ...(frozen ? { frozenFor: frozen } : {}),
    registers,
    ...(p.status ? { status: p.status } : {}),
    idempotencyKey: idempotencyKey(p.protocol, c.line.key, address, c.kind, frozen ?? p.measuredAt),
  };
}

/** True when the caller wants any of `keys` (all registers when it named none). */
export function wants(target: MeterTarget, keys: readonly string[]): boolean {
  return !target.registers || keys.some((k) => target.registers?.includes(k));
}
