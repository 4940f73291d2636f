import type { MeterTarget, RawReading, ReadKind } from '@quadmeter/sdk';
import { type ByteLink, type SerialLineParams, TransportError } from '@quadmeter/sdk/serial';
import { readCjt188 } from './cjt188-read.ts';
import type { Rs485Config } from './config.ts';
import { read1997, read2007 } from './dlt645-read.ts';
import { profileFor } from './profiles.ts';
import type { MeterCall } from './reading.ts';

/** `MeterRef.protocol` values this transport speaks, and the address each takes. */
export const PROTOCOLS = ['dlt645-2007', 'dlt645-1997', 'dlt645', 'cjt188'] as const;

const ADDRESS: Record<string, RegExp> = {
  'dlt645-2007': /^\d{12}$/,
  'dlt645-1997': /^\d{12}$/,
  dlt645: /^\d{12}$/,
  cjt188: /^[0-9A-Fa-f]{14}$/,
};

/** Checks the meter's protocol and address before anything goes on the wire. */
export function checkTarget(target: MeterTarget): void {
  const re = ADDRESS[target.ref.protocol];
  if (!re)
    throw new TransportError(
      'PROTOCOL_UNSUPPORTED',
      `protocol ${target.ref.protocol} is not RS-485 DL/T 645 / CJ/T 188`,
    );
  if (!re.test(target.ref.address))
    throw new TransportError(
      'ADDRESS_INVALID',
      `address ${target.ref.address} is not a ${target.ref.protocol} address`,
    );
}

/** Checks a frozen request names a date or month of the right form. */
export function checkKind(kind: ReadKind, frozenFor: string | undefined): void {
  const ok =
    kind === 'realtime'
      ? frozenFor === undefined
      : kind === 'daily'
        ? /^\d{4}-\d{2}-\d{2}$/.test(frozenFor ?? '')
        : /^\d{4}-\d{2}$/.test(frozenFor ?? '');
  if (!ok)
    throw new TransportError('KIND_UNSUPPORTED', `kind ${kind} with frozenFor ${frozenFor ?? '(none)'}`);
}

export interface ReadOptions {
  config: Rs485Config;
  kind: ReadKind;
  frozenFor?: string;
}

/** Reads one meter on a line the caller holds. */
export function readMeter(
  link: ByteLink,
  line: SerialLineParams,
  target: MeterTarget,
  signal: AbortSignal,
  o: ReadOptions,
): Promise<RawReading> {
  checkTarget(target);
  checkKind(o.kind, o.frozenFor);
  const c: MeterCall = {
    link,
    line,
    target,
    signal,
    config: o.config,
    profile: profileFor(target.params, line.profile),
    kind: o.kind,
    frozenFor: o.frozenFor,
    now: Date.now(),
  };
  if (target.ref.protocol === 'cjt188') return readCjt188(c);
  if (target.ref.protocol === 'dlt645-1997') return read1997(c);
  return read2007(c);
}
