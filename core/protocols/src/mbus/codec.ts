import type { FrameCodec } from '../common/index.ts';
import { decode } from './decode.ts';
import { encode, type FrameInput } from './encode.ts';
import { extractor } from './extractor.ts';
import type { MbusFrame } from './types.ts';

export const codec: FrameCodec<MbusFrame, FrameInput> = {
  name: 'mbus',
  decode,
  encode,
  extractor,
};
