import type { FrameCodec } from '../common/codec.ts';
import { extractor } from './builders.ts';
import { decode } from './decode.ts';
import { encode } from './encode.ts';
import type { Cjt188EncodeInput, Cjt188Frame } from './types.ts';

export * from './builders.ts';
export { decode, detectDi } from './decode.ts';
export { encode } from './encode.ts';
export { decodeStatus, encodeStatus } from './fields.ts';
export { probe } from './frame.ts';
export { diNames, functionNames, meterFamily, meterTypeNames, unitCode, unitName, units } from './tables.ts';
export * from './types.ts';

export const codec: FrameCodec<Cjt188Frame, Cjt188EncodeInput> = {
  name: 'cjt188',
  decode,
  encode: (input) => encode(input),
  extractor,
};
