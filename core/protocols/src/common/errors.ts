/**
 * The one error type every codec throws. `code` is stable and documented; `offset` points at the
 * byte where decoding gave up, when that is known.
 */
export type ProtocolErrorCode =
  | 'FRAME_EMPTY'
  | 'FRAME_HEX_INVALID'
  | 'FRAME_TRUNCATED'
  | 'FRAME_START_INVALID'
  | 'FRAME_END_INVALID'
  | 'FRAME_LENGTH_INVALID'
  | 'FRAME_CHECKSUM_INVALID'
  | 'FRAME_CONTROL_UNKNOWN'
  | 'FRAME_FUNCTION_UNKNOWN'
  | 'FRAME_FIELD_INVALID'
  | 'FRAME_TRAILING_BYTES'
  | 'ENCODE_INPUT_INVALID'
  | 'PAYLOAD_INVALID'
  | 'PAYLOAD_SIGNATURE_INVALID';

export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  readonly offset: number | undefined;
  constructor(code: ProtocolErrorCode, message: string, offset?: number) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.offset = offset;
  }
  toJSON(): { code: ProtocolErrorCode; message: string; offset?: number } {
    return this.offset === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, offset: this.offset };
  }
}

export function fail(code: ProtocolErrorCode, message: string, offset?: number): never {
  throw new ProtocolError(code, message, offset);
}

/** Throws FRAME_TRUNCATED unless `bytes` holds at least `need` bytes from `from`. */
export function need(bytes: Uint8Array, from: number, need: number, what: string): void {
  if (from + need > bytes.length) {
    fail(
      'FRAME_TRUNCATED',
      `${what}: need ${need} byte(s) at offset ${from}, frame has ${bytes.length}`,
      from,
    );
  }
}
