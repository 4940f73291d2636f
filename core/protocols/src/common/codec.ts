import type { FrameExtractor } from './extractor.ts';

/**
 * What every serial frame codec exports as `codec`, so the frame tool, the transports and the
 * simulators can treat them alike. `decode` returns a plain JSON-serialisable object (numbers,
 * strings, booleans, arrays, objects; byte fields as upper-case hex strings) and throws only
 * ProtocolError. `encode` takes the same shape `decode` returns (extra fields ignored).
 */
export interface FrameCodec<Frame = unknown, EncodeInput = Frame> {
  readonly name: 'dlt645' | 'cjt188' | 'mbus' | 'gdw1376';
  decode(bytes: Uint8Array): Frame;
  encode(input: EncodeInput): Uint8Array;
  extractor(): FrameExtractor;
}
