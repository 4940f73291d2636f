export {
  buildChirpstackUp,
  type ChirpstackEvent,
  type ChirpstackTopic,
  type ChirpstackUpInput,
  chirpstackDownlinkTopic,
  chirpstackEvents,
  chirpstackEventTopic,
  parseChirpstack,
  parseChirpstackTopic,
} from './chirpstack.ts';
export {
  buildChirpstackDownlink,
  type ChirpstackDownlink,
  parseChirpstackDownlink,
} from './chirpstack-downlink.ts';
export {
  buildCtwingPush,
  type CtwingMessageType,
  type CtwingPushInput,
  ctwingMessageTypes,
  parseCtwing,
} from './ctwing.ts';
export { ctwingSignature, verifyCtwingSignature } from './ctwing-sign.ts';
export { decodeDeviceBytes, type FrameGuess, sniffFrame } from './device-bytes.ts';
export { decimalOf, type FrameRegisters, frameRegisters } from './frame-registers.ts';
export { buildIotdaPush, type ContentEncoding, type IotdaPushInput, parseIotda } from './iotda.ts';
export { buildOneNetPush, buildOneNetUrlCheck, type OneNetPushOptions, parseOneNet } from './onenet.ts';
export {
  decryptOneNetMsg,
  encryptOneNetMsg,
  type OneNetEnvelope,
  oneNetSignature,
  verifyOneNetPush,
  verifyOneNetUrl,
} from './onenet-sign.ts';
export * from './types.ts';
export * from './valve-downlink.ts';
