export {
  buildAck,
  buildApplicationReset,
  buildReqUd1,
  buildReqUd2,
  buildRspUd,
  buildSelectSecondary,
  buildSetBaudRate,
  buildSetPrimaryAddress,
  buildSndNke,
  buildSndUd,
  type RspUdInput,
} from './builders.ts';
export { applicationErrorName, ciName } from './ci.ts';
export { codec } from './codec.ts';
export { decode } from './decode.ts';
export { encode, type FrameInput } from './encode.ts';
export { extractor, probe } from './extractor.ts';
export { decodeManufacturer, decodeStatus, encodeManufacturer, type HeaderInput } from './header.ts';
export { addressType, decodeCField } from './link.ts';
export { mediumName } from './medium.ts';
export {
  encodeRecord,
  encodeRecords,
  findVif,
  type RecordInput,
  type RecordsInput,
} from './record-encode.ts';
export { type DecodedRecords, decodeRecord, decodeRecords } from './records.ts';
export type { SecondaryAddress, SelectInput } from './select.ts';
export type * from './types.ts';
