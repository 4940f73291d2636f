import type { TransportFailure } from '../kinds/transport.ts';

/**
 * Stable failure codes of the serial transports:
 * - TIMEOUT: bytes came but no whole reply within the frame time (retryable);
 * - CHECKSUM: a reply came with a wrong checksum on every try (retryable);
 * - NO_REPLY: nothing at all came back (retryable: the meter may be asleep or unpowered);
 * - METER_ERROR: the meter answered with an error reply, its error word in the message (not retryable);
 * - LINE_UNAVAILABLE: the port or the serial server cannot be opened (retryable);
 * - LINE_PARAMS_INVALID, ADDRESS_INVALID, PROTOCOL_UNSUPPORTED, KIND_UNSUPPORTED,
 *   ACTION_UNSUPPORTED, FROZEN_NOT_FOUND, DECODE_FAILED: not retryable;
 * - STATE_MISMATCH (control): the meter acknowledged but reports the other state (retryable);
 * - ABORTED: the caller aborted before the meter was read (retryable).
 */
export type SerialFailureCode =
  | 'TIMEOUT'
  | 'CHECKSUM'
  | 'NO_REPLY'
  | 'METER_ERROR'
  | 'LINE_UNAVAILABLE'
  | 'LINE_PARAMS_INVALID'
  | 'ADDRESS_INVALID'
  | 'PROTOCOL_UNSUPPORTED'
  | 'KIND_UNSUPPORTED'
  | 'ACTION_UNSUPPORTED'
  | 'FROZEN_NOT_FOUND'
  | 'DECODE_FAILED'
  | 'STATE_MISMATCH'
  | 'ABORTED';

const RETRYABLE: ReadonlySet<SerialFailureCode> = new Set([
  'TIMEOUT',
  'CHECKSUM',
  'NO_REPLY',
  'LINE_UNAVAILABLE',
  'STATE_MISMATCH',
  'ABORTED',
]);

export class TransportError extends Error {
  readonly code: SerialFailureCode;
  readonly retryable: boolean;
  /** METER_ERROR: the meter's error word */
  readonly errorWord?: number;
  constructor(code: SerialFailureCode, message: string, errorWord?: number) {
    super(message);
    this.name = 'TransportError';
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    this.errorWord = errorWord;
  }
}

/** Any thrown value as a TransportFailure (unknown errors: DECODE_FAILED, not retryable). */
export function toFailure(e: unknown): TransportFailure {
  if (e instanceof TransportError) return { code: e.code, message: e.message, retryable: e.retryable };
  const code = (e as { code?: unknown })?.code;
  if (code === 'LINE_PARAMS_INVALID')
    return { code: 'LINE_PARAMS_INVALID', message: (e as Error).message, retryable: false };
  return {
    code: 'DECODE_FAILED',
    message: e instanceof Error ? e.message : String(e),
    retryable: false,
  };
}
