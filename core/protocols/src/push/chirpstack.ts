import { hexToBytes } from '../common/bytes.ts';
import {
  base64ToBytes,
  bytesToBase64,
  hexOf,
  invalid,
  isoFromText,
  isRecord,
  type Json,
  optArr,
  optBool,
  optNum,
  optObj,
  optStr,
  parseBody,
  reqObj,
  reqStr,
} from './json.ts';
import type { PushEvent, PushKind } from './types.ts';

/**
 * ChirpStack v4 MQTT integration, JSON encoding. Events arrive on
 * `application/<applicationId>/device/<devEui>/event/<event>`; downlinks are published to
 * `application/<applicationId>/device/<devEui>/command/down`.
 */
export const chirpstackEvents = [
  'up',
  'join',
  'ack',
  'txack',
  'status',
  'log',
  'location',
  'integration',
] as const;
export type ChirpstackEvent = (typeof chirpstackEvents)[number];

export interface ChirpstackTopic {
  applicationId: string;
  devEui: string;
  type: 'event' | 'command';
  /** event name, or the command (`down`) */
  name: string;
}

const kinds: Record<ChirpstackEvent, PushKind> = {
  up: 'uplink',
  join: 'join',
  ack: 'ack',
  txack: 'txack',
  status: 'status',
  log: 'event',
  location: 'event',
  integration: 'event',
};

export const EUI = /^[0-9a-fA-F]{16}$/;

/** Splits a topic; a `$share/<group>/` prefix (shared subscription) is accepted. */
export function parseChirpstackTopic(topic: string): ChirpstackTopic {
  if (typeof topic !== 'string') invalid('topic must be a string');
  const parts = topic.replace(/^\$share\/[^/]+\//, '').split('/');
  const [app, applicationId, dev, devEui, type, name] = parts;
  if (parts.length !== 6 || app !== 'application' || dev !== 'device' || !applicationId || !name) {
    invalid(`topic "${topic.slice(0, 120)}" is not application/<id>/device/<devEui>/<event|command>/<name>`);
  }
  if (!EUI.test(devEui)) invalid(`topic devEui "${devEui}" is not 16 hex digits`);
  if (type !== 'event' && type !== 'command') invalid(`topic type "${type}" is neither event nor command`);
  if (type === 'event' && !(chirpstackEvents as readonly string[]).includes(name))
    invalid(`topic event "${name}" is unknown`);
  return { applicationId, devEui: devEui.toLowerCase(), type, name };
}

export function chirpstackEventTopic(applicationId: string, devEui: string, event: ChirpstackEvent): string {
  return `application/${applicationId}/device/${devEui.toLowerCase()}/event/${event}`;
}

export function chirpstackDownlinkTopic(applicationId: string, devEui: string): string {
  return `application/${applicationId}/device/${devEui.toLowerCase()}/command/down`;
}

function radio(o: Json): Json {
  const meta: Json = {};
  const rx = optArr(o, 'rxInfo', 'rxInfo') ?? [];
  let best: Json | undefined;
  rx.forEach((g, i) => {
    if (!isRecord(g)) invalid(`rxInfo[${i}] must be an object`);
    const rssi = optNum(g, 'rssi', `rxInfo[${i}].rssi`) ?? 0;
    optNum(g, 'snr', `rxInfo[${i}].snr`);
    if (!best || rssi > ((best.rssi as number | undefined) ?? 0)) best = g;
  });
  if (best) {
    meta.gatewayId = optStr(best, 'gatewayId', 'rxInfo.gatewayId');
    meta.rssi = (best.rssi as number | undefined) ?? 0;
    meta.snr = (best.snr as number | undefined) ?? 0;
  }
  meta.gateways = rx.length;
  const tx = optObj(o, 'txInfo', 'txInfo');
  if (tx) {
    meta.frequency = optNum(tx, 'frequency', 'txInfo.frequency');
    const mod = optObj(tx, 'modulation', 'txInfo.modulation');
    const lora = mod && optObj(mod, 'lora', 'txInfo.modulation.lora');
    if (lora) {
      meta.spreadingFactor = optNum(lora, 'spreadingFactor', 'txInfo.modulation.lora.spreadingFactor');
      meta.bandwidth = optNum(lora, 'bandwidth', 'txInfo.modulation.lora.bandwidth');
    }
  }
  return meta;
}

function eventFields(event: ChirpstackEvent, o: Json, ev: PushEvent): void {
  const m = ev.meta;
  switch (event) {
    case 'up': {
      m.devAddr = optStr(o, 'devAddr', 'devAddr');
      m.fCnt = optNum(o, 'fCnt', 'fCnt') ?? 0;
      m.fPort = optNum(o, 'fPort', 'fPort') ?? 0;
      m.dr = optNum(o, 'dr', 'dr') ?? 0;
      m.adr = optBool(o, 'adr', 'adr') ?? false;
      m.confirmed = optBool(o, 'confirmed', 'confirmed') ?? false;
      // an empty FRMPayload is omitted by the protobuf JSON mapping
      if (o.data !== undefined && o.data !== null) ev.bytes = hexOf(base64ToBytes(o.data, 'data'));
      const object = optObj(o, 'object', 'object');
      if (object) ev.properties = object;
      Object.assign(m, radio(o));
      return;
    }
    case 'join':
      m.devAddr = reqStr(o, 'devAddr', 'devAddr');
      return;
    case 'ack':
      m.acknowledged = optBool(o, 'acknowledged', 'acknowledged') ?? false;
      m.fCntDown = optNum(o, 'fCntDown', 'fCntDown') ?? 0;
      m.queueItemId = optStr(o, 'queueItemId', 'queueItemId');
      return;
    case 'txack':
      m.fCntDown = optNum(o, 'fCntDown', 'fCntDown') ?? 0;
      m.queueItemId = optStr(o, 'queueItemId', 'queueItemId');
      m.downlinkId = optNum(o, 'downlinkId', 'downlinkId');
      m.gatewayId = optStr(o, 'gatewayId', 'gatewayId');
      return;
    case 'status':
      m.margin = optNum(o, 'margin', 'margin') ?? 0;
      m.externalPowerSource = optBool(o, 'externalPowerSource', 'externalPowerSource') ?? false;
      m.batteryLevelUnavailable = optBool(o, 'batteryLevelUnavailable', 'batteryLevelUnavailable') ?? false;
      m.batteryLevel = optNum(o, 'batteryLevel', 'batteryLevel') ?? 0;
      return;
    case 'log':
      m.level = optStr(o, 'level', 'level') ?? 'INFO';
      m.code = optStr(o, 'code', 'code');
      m.description = optStr(o, 'description', 'description');
      m.context = optObj(o, 'context', 'context');
      return;
    case 'location': {
      const loc = reqObj(o, 'location', 'location');
      ev.properties = { location: loc };
      return;
    }
    case 'integration':
      m.integrationName = optStr(o, 'integrationName', 'integrationName');
      m.eventType = optStr(o, 'eventType', 'eventType');
      ev.properties = optObj(o, 'object', 'object');
      return;
  }
}

/**
 * Parses one event body. `topicOrEvent` is the MQTT topic (its devEui and application id must
 * match the body) or, for the HTTP integration, the `event` query value.
 */
export function parseChirpstack(body: unknown, topicOrEvent: string): PushEvent {
  let event = topicOrEvent;
  let topic: ChirpstackTopic | undefined;
  if (typeof topicOrEvent === 'string' && topicOrEvent.includes('/')) {
    topic = parseChirpstackTopic(topicOrEvent);
    if (topic.type !== 'event') invalid('topic is a command topic, not an event');
    event = topic.name;
  }
  if (!(chirpstackEvents as readonly string[]).includes(event))
    invalid(`event "${String(event)}" is unknown`);
  const ev = event as ChirpstackEvent;
  const o = parseBody(body);
  const info = reqObj(o, 'deviceInfo', 'deviceInfo');
  const devEui = reqStr(info, 'devEui', 'deviceInfo.devEui');
  if (!EUI.test(devEui)) invalid('deviceInfo.devEui must be 16 hex digits');
  const applicationId = optStr(info, 'applicationId', 'deviceInfo.applicationId');
  if (topic && topic.devEui !== devEui.toLowerCase()) invalid('deviceInfo.devEui does not match the topic');
  if (topic && applicationId !== undefined && topic.applicationId !== applicationId) {
    invalid('deviceInfo.applicationId does not match the topic');
  }
  const out: PushEvent = {
    platform: 'chirpstack',
    kind: kinds[ev],
    deviceId: devEui.toLowerCase(),
    devEui: devEui.toLowerCase(),
    time: isoFromText(reqStr(o, 'time', 'time'), 'time'),
    meta: {
      event: ev,
      tenantId: optStr(info, 'tenantId', 'deviceInfo.tenantId'),
      applicationId: applicationId ?? topic?.applicationId,
      deviceName: optStr(info, 'deviceName', 'deviceInfo.deviceName'),
      deviceProfileName: optStr(info, 'deviceProfileName', 'deviceInfo.deviceProfileName'),
      tags: optObj(info, 'tags', 'deviceInfo.tags') ?? {},
      deduplicationId: optStr(o, 'deduplicationId', 'deduplicationId'),
    },
  };
  eventFields(ev, o, out);
  for (const k of Object.keys(out.meta)) if (out.meta[k] === undefined) delete out.meta[k];
  if (out.properties === undefined) delete out.properties;
  return out;
}

export interface ChirpstackUpInput {
  applicationId: string;
  devEui: string;
  fPort: number;
  fCnt: number;
  bytes: Uint8Array | string;
  time?: Date;
  deviceName?: string;
  tenantId?: string;
  deviceProfileName?: string;
  devAddr?: string;
  dr?: number;
  rssi?: number;
  snr?: number;
  frequency?: number;
  gatewayId?: string;
  object?: Record<string, unknown>;
  deduplicationId?: string;
}

/** An `up` event as ChirpStack v4.1+ publishes it (defaults emitted at top level). */
export function buildChirpstackUp(u: ChirpstackUpInput): { topic: string; payload: Json; json: string } {
  if (!EUI.test(u.devEui)) invalid('devEui must be 16 hex digits');
  const bytes = typeof u.bytes === 'string' ? hexToBytes(u.bytes) : u.bytes;
  const payload: Json = {
    deduplicationId: u.deduplicationId ?? crypto.randomUUID(),
    time: (u.time ?? new Date()).toISOString(),
    deviceInfo: {
      tenantId: u.tenantId ?? '00000000-0000-0000-0000-000000000000',
      applicationId: u.applicationId,
      deviceProfileName: u.deviceProfileName ?? 'meter',
      deviceName: u.deviceName ?? u.devEui.toLowerCase(),
      devEui: u.devEui.toLowerCase(),
      tags: {},
    },
    devAddr: u.devAddr ?? '00000000',
    adr: true,
    dr: u.dr ?? 0,
    fCnt: u.fCnt,
    fPort: u.fPort,
    confirmed: false,
    data: bytesToBase64(bytes),
    rxInfo: [{ gatewayId: u.gatewayId ?? '0000000000000000', rssi: u.rssi ?? -80, snr: u.snr ?? 7.5 }],
    txInfo: {
      frequency: u.frequency ?? 470300000,
      modulation: { lora: { bandwidth: 125000, spreadingFactor: 12 - (u.dr ?? 0), codeRate: 'CR_4_5' } },
    },
  };
  if (u.object) payload.object = u.object;
  return {
    topic: chirpstackEventTopic(u.applicationId, u.devEui, 'up'),
    payload,
    json: JSON.stringify(payload),
  };
}
