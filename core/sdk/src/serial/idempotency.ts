import { createHash } from 'node:crypto';
import type { ReadKind } from '../kinds/transport.ts';

/**
 * The idempotency key of a polled reading: stable per (protocol, line, address, kind, instant or
 * frozen date or month). A key longer than the reading schema allows becomes its SHA-256.
 */
export function idempotencyKey(
  protocol: string,
  line: string,
  address: string,
  kind: ReadKind,
  at: string,
): string {
  const key = `${protocol}|${line}|${address}|${kind}|${at}`;
  return key.length <= 128 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}
