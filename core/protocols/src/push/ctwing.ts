import { hexToBytes } from '../common/bytes.ts';
import {
  base64ToBytes,
  bytesToBase64,
  hexOf,
  invalid,
  isoFromMs,
  type Json,
  jsonObjectOf,
  optNum,
  optObj,
  optStr,
  parseBody,
  reqId,
  reqObj,
  reqStr,
} from './json.ts';
import type { PushEvent } from './types.ts';

/**
 * China Telecom CTWing (AEP) HTTP subscription push. The body carries no signature: protect the
 * endpoint with a secret path or token and an IP allow-list.
 */
export const ctwingMessageTypes = [
  'dataReport',
  'deviceOnlineOfflineReport',
  'commandResponse',
  'eventReport',
] as const;
export type CtwingMessageType = (typeof ctwingMessageTypes)[number];

/** "" and "undefined" are what CTWing sends for an unknown IMEI/IMSI. */
function known(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === 'undefined' ? undefined : v;
}

function flag(v: unknown, path: string): number {
  const n = typeof v === 'string' && /^\d$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number') invalid(`${path} must be a number`);
  return n;
}

function dataReport(o: Json, ev: PushEvent): void {
  const payload = reqObj(o, 'payload', 'payload');
  for (const k of ['topic', 'protocol', 'serviceId', 'deviceType', 'assocAssetId'])
    ev.meta[k] = optStr(o, k, k);
  for (const k of ['upPacketSN', 'upDataSN']) ev.meta[k] = o[k] === '' ? undefined : optNum(o, k, k);
  ev.meta.imsi = known(optStr(o, 'IMSI', 'IMSI'));
  if (payload.APPdata !== undefined) {
    // transparent product: the device's own bytes, base64
    const bytes = base64ToBytes(payload.APPdata, 'payload.APPdata');
    ev.kind = 'uplink';
    ev.bytes = hexOf(bytes);
    const text = jsonObjectOf(bytes);
    if (text) ev.properties = text;
    return;
  }
  // thing-model product: the platform decoded the payload already
  ev.kind = 'properties';
  const serviceData = optObj(payload, 'serviceData', 'payload.serviceData');
  ev.properties = serviceData ?? payload;
  const serviceId = optStr(payload, 'serviceId', 'payload.serviceId');
  if (serviceId) ev.meta.serviceId = serviceId;
}

/** Parses one CTWing push body. */
export function parseCtwing(body: unknown): PushEvent {
  const o = parseBody(body);
  const messageType = reqStr(o, 'messageType', 'messageType');
  const ev: PushEvent = {
    platform: 'ctwing',
    kind: 'event',
    deviceId: reqId(o, 'deviceId', 'deviceId'),
    time: isoFromMs(o.timestamp, 'timestamp'),
    meta: {
      messageType,
      productId: reqId(o, 'productId', 'productId'),
      tenantId: optStr(o, 'tenantId', 'tenantId'),
    },
  };
  const imei = known(optStr(o, 'IMEI', 'IMEI'));
  if (imei) ev.imei = imei;
  switch (messageType) {
    case 'dataReport':
      dataReport(o, ev);
      break;
    case 'deviceOnlineOfflineReport': {
      const t = flag(o.eventType, 'eventType');
      if (t !== 0 && t !== 1) invalid('eventType must be 1 (online) or 0 (offline)');
      ev.kind = t === 1 ? 'online' : 'offline';
      break;
    }
    case 'commandResponse': {
      ev.kind = 'command-response';
      const result = reqObj(o, 'result', 'result');
      ev.meta.taskId = o.taskId === undefined ? undefined : reqId(o, 'taskId', 'taskId');
      ev.meta.resultCode = reqStr(result, 'resultCode', 'result.resultCode');
      ev.meta.resultDetail = result.resultDetail;
      break;
    }
    case 'eventReport': {
      ev.kind = 'event';
      ev.meta.eventType = flag(o.eventType, 'eventType');
      ev.meta.serviceId = optStr(o, 'serviceId', 'serviceId');
      ev.properties = optObj(o, 'eventContent', 'eventContent') ?? {};
      break;
    }
    default:
      invalid(`messageType "${messageType.slice(0, 40)}" is not handled`);
  }
  for (const k of Object.keys(ev.meta)) if (ev.meta[k] === undefined) delete ev.meta[k];
  return ev;
}

interface CtwingCommon {
  deviceId: string;
  productId: string;
  tenantId: string;
  imei?: string;
  /** ms since the epoch; now by default */
  timestamp?: number;
}

export type CtwingPushInput = CtwingCommon &
  (
    | { messageType: 'dataReport'; bytes: Uint8Array | string; protocol?: string }
    | { messageType: 'dataReport'; serviceId: string; serviceData: Record<string, unknown> }
    | { messageType: 'deviceOnlineOfflineReport'; online: boolean }
    | { messageType: 'commandResponse'; taskId: number; resultCode: string; resultDetail?: string }
    | {
        messageType: 'eventReport';
        eventType: 1 | 2 | 3;
        serviceId: string;
        eventContent: Record<string, unknown>;
      }
  );

/** A push body as CTWing sends it. */
export function buildCtwingPush(input: CtwingPushInput): Json {
  const body: Json = {
    timestamp: input.timestamp ?? Date.now(),
    tenantId: input.tenantId,
    productId: input.productId,
    deviceId: input.deviceId,
    messageType: input.messageType,
  };
  if ('bytes' in input) {
    const bytes = typeof input.bytes === 'string' ? hexToBytes(input.bytes) : input.bytes;
    Object.assign(body, {
      IMEI: input.imei ?? '',
      IMSI: 'undefined',
      protocol: input.protocol ?? 'lwm2m',
      topic: 'v1/up/ad',
      upPacketSN: -1,
      upDataSN: -1,
      serviceId: '',
      deviceType: '',
      assocAssetId: '',
      payload: { APPdata: bytesToBase64(bytes) },
    });
  } else if ('serviceData' in input) {
    Object.assign(body, {
      IMEI: input.imei ?? '',
      IMSI: 'undefined',
      protocol: 'lwm2m',
      topic: 'v1/up/ad19prof',
      upPacketSN: -1,
      upDataSN: -1,
      serviceId: '',
      payload: { serviceId: input.serviceId, serviceData: input.serviceData },
    });
  } else if ('online' in input) {
    Object.assign(body, { IMEI: input.imei ?? '', eventType: input.online ? 1 : 0 });
  } else if ('taskId' in input) {
    Object.assign(body, {
      protocol: 'lwm2m',
      taskId: input.taskId,
      result: { resultCode: input.resultCode, resultDetail: input.resultDetail ?? '' },
    });
  } else {
    Object.assign(body, {
      IMEI: input.imei ?? '',
      eventType: input.eventType,
      serviceId: input.serviceId,
      eventContent: input.eventContent,
    });
  }
  return body;
}
