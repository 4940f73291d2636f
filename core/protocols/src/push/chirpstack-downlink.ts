import { hexToBytes } from '../common/bytes.ts';
import { chirpstackDownlinkTopic, EUI, parseChirpstackTopic } from './chirpstack.ts';
import {
  base64ToBytes,
  bytesToBase64,
  hexOf,
  invalid,
  isoFromText,
  type Json,
  optBool,
  optNum,
  optObj,
  optStr,
  parseBody,
  reqStr,
} from './json.ts';

/** ChirpStack v4 downlink enqueue: publish to `application/<id>/device/<devEui>/command/down`. */
export interface ChirpstackDownlink {
  applicationId: string;
  devEui: string;
  fPort: number;
  confirmed?: boolean;
  /** device bytes (or hex); alternatively `object` for a device-profile codec */
  bytes?: Uint8Array | string;
  object?: Record<string, unknown>;
  id?: string;
  expiresAt?: string;
}

function checkDownlink(d: ChirpstackDownlink): void {
  if (!EUI.test(d.devEui)) invalid('devEui must be 16 hex digits');
  if (!d.applicationId || d.applicationId.includes('/')) invalid('applicationId must be a topic segment');
  if (!Number.isInteger(d.fPort) || d.fPort < 1 || d.fPort > 223) invalid('fPort must be 1..223');
  if ((d.bytes === undefined) === (d.object === undefined)) invalid('give exactly one of bytes and object');
}

/** Downlink enqueue message: topic and JSON `{ devEui, confirmed, fPort, data | object }`. */
export function buildChirpstackDownlink(d: ChirpstackDownlink): {
  topic: string;
  payload: Json;
  json: string;
} {
  checkDownlink(d);
  const payload: Json = { devEui: d.devEui.toLowerCase(), confirmed: d.confirmed ?? false, fPort: d.fPort };
  if (d.bytes !== undefined)
    payload.data = bytesToBase64(typeof d.bytes === 'string' ? hexToBytes(d.bytes) : d.bytes);
  else payload.object = d.object;
  if (d.id !== undefined) payload.id = d.id;
  if (d.expiresAt !== undefined) payload.expiresAt = d.expiresAt;
  return {
    topic: chirpstackDownlinkTopic(d.applicationId, d.devEui),
    payload,
    json: JSON.stringify(payload),
  };
}

/** Reads a downlink command back (what ChirpStack checks before enqueueing it). */
export function parseChirpstackDownlink(
  topic: string,
  body: unknown,
): ChirpstackDownlink & { bytes?: string } {
  const t = parseChirpstackTopic(topic);
  if (t.type !== 'command' || t.name !== 'down') invalid('topic is not a command/down topic');
  const o = parseBody(body);
  const devEui = reqStr(o, 'devEui', 'devEui');
  if (devEui.toLowerCase() !== t.devEui) invalid('devEui does not match the topic');
  const fPort = optNum(o, 'fPort', 'fPort') ?? 0;
  const object = optObj(o, 'object', 'object');
  const data = optStr(o, 'data', 'data');
  const d: ChirpstackDownlink & { bytes?: string } = {
    applicationId: t.applicationId,
    devEui: t.devEui,
    fPort,
    confirmed: optBool(o, 'confirmed', 'confirmed') ?? false,
  };
  if (data !== undefined) d.bytes = hexOf(base64ToBytes(data, 'data'));
  if (object !== undefined) d.object = object;
  const id = optStr(o, 'id', 'id');
  if (id !== undefined) d.id = id;
  const expiresAt = optStr(o, 'expiresAt', 'expiresAt');
  if (expiresAt !== undefined) d.expiresAt = isoFromText(expiresAt, 'expiresAt');
  checkDownlink(d);
  return d;
}
