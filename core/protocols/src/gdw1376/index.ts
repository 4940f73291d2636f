import type { FrameCodec } from '../common/codec.ts';
import { extractor } from './extractor.ts';
import { decodeFrame, encodeFrame } from './frame.ts';
import type { GdwFrame, GdwFrameInput } from './types.ts';

export { AFNS, type AfnDef, findAfn } from './afn.ts';
export type { ForwardContent, ForwardOptions, ReadItem, ReplyOptions } from './builders-data.ts';
export {
  buildControl,
  buildForward,
  buildForwardReply,
  buildMeterConfigDownload,
  buildMeterConfigQuery,
  buildRead,
  buildReadingParamsDownload,
  buildReadingParamsQuery,
  buildReadReply,
  decodeForward,
} from './builders-data.ts';
export type { AddressInput, ConfirmItem, ConfirmOptions } from './builders-link.ts';
export { buildConfirm, buildDeny, buildHeartbeat, buildLogin, buildLogout } from './builders-link.ts';
export { extractor, probe } from './extractor.ts';
export { MAX_F10_QUERY } from './fn-afn0a.ts';
export { METER_PROTOCOLS, type MeterConfig } from './fn-afn04.ts';
export { DLT645_SERIAL, type FrameTimeout, type SerialSettings } from './fn-afn10.ts';
export { CONTROL_BITS, type PortReadingParams, type ReadingSegment } from './fn-f33.ts';
export { ERR_NAMES } from './fn-link.ts';
export { typedFns } from './fn-registry.ts';
export type { Clock } from './formats.ts';
export { type Forwarded, loadDlt645 } from './forward-dlt645.ts';
export { decodeFrame, encodeFrame } from './frame.ts';
export { type AssembledFrame, assembleMultiFrame, encodeSplit } from './multi-frame.ts';
export { decodeDa, decodeDt, encodeDa, encodeDt } from './pn-fn.ts';
export type * from './types.ts';

export const decode = decodeFrame;
export const encode = encodeFrame;

/** The Q/GDW 1376.1 codec as the frame tool, transports and simulators use it. */
export const codec: FrameCodec<GdwFrame, GdwFrameInput | GdwFrame> = {
  name: 'gdw1376',
  decode: (bytes) => decodeFrame(bytes),
  encode: (input) => encodeFrame(input),
  extractor: () => extractor(),
};
