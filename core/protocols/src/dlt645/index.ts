import type { FrameCodec } from '../common/codec.ts';
import { decodeFrame } from './decode.ts';
import { type Dlt645EncodeInput, encodeFrame } from './encode.ts';
import { extractor } from './extractor.ts';
import type { Dlt645Frame } from './types.ts';

export { BROADCAST_ADDRESS, decodeAddress, encodeAddress, WILDCARD_ADDRESS } from './address.ts';
export type { ReadReplyOptions, RelayControlOptions, WriteOptions } from './builders.ts';
export {
  buildBroadcastTimeSync,
  buildErrorReply,
  buildFreeze,
  buildReadAddress,
  buildReadReply,
  buildReadRequest,
  buildRelayControl,
  buildWriteRequest,
  meterTime,
} from './builders.ts';
export { ERROR_BITS_1997, ERROR_BITS_2007, errorNames, errorWord, parseControl } from './control.ts';
export type { DecodeOptions } from './decode.ts';
export { decodeFrame } from './decode.ts';
export type { Dlt645EncodeInput } from './encode.ts';
export { encodeFrame } from './encode.ts';
export { extractor, probe } from './extractor.ts';
export { BAUD_BITS, RELAY_ACTIONS } from './fields.ts';
export {
  allItems,
  decodeItem,
  decodeItemBytes,
  describeItem,
  diToBytes,
  encodeItem,
  lookupItem,
} from './items.ts';
export { buildLink, parseLink } from './link.ts';
export type * from './types.ts';

/** The DL/T 645 codec as the frame tool, transports and simulators use it. */
export const codec: FrameCodec<Dlt645Frame, Dlt645EncodeInput | Dlt645Frame> = {
  name: 'dlt645',
  decode: (bytes) => decodeFrame(bytes),
  encode: (input) => encodeFrame(input),
  extractor,
};
