import { hexToBytes } from '../common/bytes.ts';
import {
  base64ToBytes,
  bytesFromText,
  bytesToBase64,
  hexOf,
  invalid,
  isoFromText,
  isRecord,
  type Json,
  jsonObjectOf,
  optArr,
  optObj,
  optStr,
  parseBody,
  reqObj,
  reqStr,
} from './json.ts';
import type { PushEvent } from './types.ts';

/**
 * Huawei IoTDA data forwarding (HTTP push): `{resource, event, event_time, notify_data: {header,
 * body}}`. Also reads the legacy OceanConnect `deviceDataChanged` notification still seen on old
 * NB-IoT deployments.
 */
const IMEI = /^\d{15}$/;

function eventTime(o: Json): string {
  if (o.event_time_ms !== undefined) return isoFromText(o.event_time_ms, 'event_time_ms');
  if (o.event_time !== undefined) return isoFromText(o.event_time, 'event_time');
  return invalid('event_time is missing');
}

function properties(body: Json, ev: PushEvent): void {
  const services = optArr(body, 'services', 'notify_data.body.services');
  if (!services) invalid('notify_data.body.services must be an array');
  const merged: Json = {};
  const list: Json[] = [];
  services.forEach((s, i) => {
    const path = `notify_data.body.services[${i}]`;
    if (!isRecord(s)) invalid(`${path} must be an object`);
    const props = reqObj(s, 'properties', `${path}.properties`);
    const serviceId = reqStr(s, 'service_id', `${path}.service_id`);
    const at = s.event_time === undefined ? undefined : isoFromText(s.event_time, `${path}.event_time`);
    Object.assign(merged, props);
    list.push({ serviceId, properties: props, eventTime: at });
  });
  ev.kind = 'properties';
  ev.properties = merged;
  ev.meta.services = list;
}

export type ContentEncoding = 'auto' | 'hex' | 'base64';

function contentBytes(content: string, enc: ContentEncoding): Uint8Array | undefined {
  if (enc === 'hex')
    return /^([0-9A-Fa-f]{2})+$/.test(content)
      ? hexToBytes(content)
      : invalid('notify_data.body.content is not hex');
  if (enc === 'base64') return base64ToBytes(content, 'notify_data.body.content');
  return bytesFromText(content);
}

function message(body: Json, ev: PushEvent, enc: ContentEncoding): void {
  ev.kind = 'uplink';
  ev.meta.topic = optStr(body, 'topic', 'notify_data.body.topic');
  const content = body.content;
  if (isRecord(content)) {
    ev.properties = content;
    return;
  }
  if (typeof content !== 'string') invalid('notify_data.body.content must be a string or an object');
  const bytes = contentBytes(content, enc);
  if (bytes) {
    ev.bytes = hexOf(bytes);
    const json = jsonObjectOf(bytes);
    if (json) ev.properties = json;
    return;
  }
  const json = jsonObjectOf(new TextEncoder().encode(content));
  if (json) ev.properties = json;
  else ev.meta.content = content;
}

function status(body: Json, ev: PushEvent): void {
  const s = reqStr(body, 'status', 'notify_data.body.status');
  ev.kind = s === 'ONLINE' ? 'online' : s === 'OFFLINE' ? 'offline' : 'status';
  ev.meta.status = s;
  for (const k of ['last_online_time', 'status_update_time']) if (body[k] !== undefined) ev.meta[k] = body[k];
}

function legacy(o: Json): PushEvent {
  const notifyType = reqStr(o, 'notifyType', 'notifyType');
  if (notifyType !== 'deviceDataChanged') invalid(`notifyType "${notifyType.slice(0, 40)}" is not handled`);
  const service = reqObj(o, 'service', 'service');
  return {
    platform: 'iotda',
    kind: 'properties',
    deviceId: reqStr(o, 'deviceId', 'deviceId'),
    time: isoFromText(reqStr(service, 'eventTime', 'service.eventTime'), 'service.eventTime'),
    properties: reqObj(service, 'data', 'service.data'),
    meta: {
      notifyType,
      gatewayId: optStr(o, 'gatewayId', 'gatewayId'),
      requestId: optStr(o, 'requestId', 'requestId'),
      serviceId: optStr(service, 'serviceId', 'service.serviceId'),
      serviceType: optStr(service, 'serviceType', 'service.serviceType'),
    },
  };
}

/**
 * Parses one IoTDA push body. Raw message content is read as hex when it is even-length hex and
 * as base64 otherwise; set `contentEncoding` when the product always uses one.
 */
export function parseIotda(body: unknown, opts: { contentEncoding?: ContentEncoding } = {}): PushEvent {
  const o = parseBody(body);
  if (o.notifyType !== undefined && o.resource === undefined) return legacy(o);
  const resource = reqStr(o, 'resource', 'resource');
  const event = reqStr(o, 'event', 'event');
  const notify = reqObj(o, 'notify_data', 'notify_data');
  const header = reqObj(notify, 'header', 'notify_data.header');
  const b = optObj(notify, 'body', 'notify_data.body') ?? {};
  const nodeId = optStr(header, 'node_id', 'notify_data.header.node_id');
  const ev: PushEvent = {
    platform: 'iotda',
    kind: 'event',
    deviceId: reqStr(header, 'device_id', 'notify_data.header.device_id'),
    time: eventTime(o),
    meta: {
      resource,
      event,
      requestId: optStr(o, 'request_id', 'request_id'),
      productId: optStr(header, 'product_id', 'notify_data.header.product_id'),
      appId: optStr(header, 'app_id', 'notify_data.header.app_id'),
      gatewayId: optStr(header, 'gateway_id', 'notify_data.header.gateway_id'),
      nodeId,
      tags: header.tags,
    },
  };
  if (nodeId && IMEI.test(nodeId)) ev.imei = nodeId;
  if (resource === 'device.property') properties(b, ev);
  else if (resource === 'device.message') message(b, ev, opts.contentEncoding ?? 'auto');
  else if (resource === 'device.status') status(b, ev);
  else if (
    resource === 'device.command' ||
    resource === 'device.command.status' ||
    resource === 'device.message.status'
  ) {
    ev.kind = 'command-response';
    Object.assign(ev.meta, b);
  } else invalid(`resource "${resource.slice(0, 40)}" is not handled`);
  for (const k of Object.keys(ev.meta)) if (ev.meta[k] === undefined) delete ev.meta[k];
  return ev;
}

interface IotdaCommon {
  deviceId: string;
  productId: string;
  /** node id; for NB-IoT meters usually the IMEI */
  nodeId: string;
  appId?: string;
  time?: Date;
}

export type IotdaPushInput = IotdaCommon &
  (
    | { resource: 'device.property'; services: { serviceId: string; properties: Record<string, unknown> }[] }
    | { resource: 'device.message'; bytes: Uint8Array | string; encoding?: 'base64' | 'hex' }
    | { resource: 'device.status'; status: 'ONLINE' | 'OFFLINE' }
  );

function compactTime(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** A push body as IoTDA forwards it. */
export function buildIotdaPush(input: IotdaPushInput): Json {
  const at = input.time ?? new Date();
  let body: Json;
  let event = 'report';
  if (input.resource === 'device.property') {
    body = {
      services: input.services.map((s) => ({
        service_id: s.serviceId,
        properties: s.properties,
        event_time: compactTime(at),
      })),
    };
  } else if (input.resource === 'device.message') {
    const bytes = typeof input.bytes === 'string' ? hexToBytes(input.bytes) : input.bytes;
    body = {
      topic: `$oc/devices/${input.deviceId}/sys/messages/up`,
      content: input.encoding === 'hex' ? hexOf(bytes) : bytesToBase64(bytes),
    };
  } else {
    event = 'update';
    body = { status: input.status, last_online_time: compactTime(at) };
  }
  return {
    resource: input.resource,
    event,
    event_time: compactTime(at),
    event_time_ms: at.toISOString(),
    request_id: crypto.randomUUID(),
    notify_data: {
      header: {
        app_id: input.appId ?? '',
        device_id: input.deviceId,
        node_id: input.nodeId,
        product_id: input.productId,
        gateway_id: input.deviceId,
      },
      body,
    },
  };
}
