import {
  invalid,
  isoFromMs,
  isoFromText,
  isRecord,
  type Json,
  optNum,
  optStr,
  parseBody,
  reqId,
  reqObj,
  reqStr,
} from './json.ts';
import {
  decryptOneNetMsg,
  encryptOneNetMsg,
  type OneNetEnvelope,
  oneNetSignature,
  randomNonce,
  verifyOneNetPush,
} from './onenet-sign.ts';
import type { PushEvent } from './types.ts';

/**
 * China Mobile OneNET HTTP push. Classic (multi-protocol / NB-IoT suite) messages carry `type`
 * 1 data point, 2 online/offline, 7 cached-command result; OneNET Studio messages carry
 * `messageType` (notify property/event, lifeCycle).
 */
function classicItem(m: Json, path: string): PushEvent {
  const type = optNum(m, 'type', `${path}.type`);
  const ev: PushEvent = {
    platform: 'onenet',
    kind: 'event',
    deviceId: reqId(m, 'dev_id', `${path}.dev_id`),
    time: type === 7 && m.at === undefined ? resultTime(m, path) : isoFromMs(m.at, `${path}.at`),
    meta: { type },
  };
  const imei = optStr(m, 'imei', `${path}.imei`);
  if (imei) ev.imei = imei;
  const loginType = optNum(m, 'login_type', `${path}.login_type`);
  if (loginType !== undefined) ev.meta.login_type = loginType;
  if (type === 1) {
    const ds = reqStr(m, 'ds_id', `${path}.ds_id`);
    if (!('value' in m)) invalid(`${path}.value is missing`);
    ev.kind = 'properties';
    ev.properties = { [ds]: m.value };
    ev.meta.ds_id = ds;
  } else if (type === 2) {
    const status = optNum(m, 'status', `${path}.status`);
    if (status !== 0 && status !== 1) invalid(`${path}.status must be 1 (online) or 0 (offline)`);
    ev.kind = status === 1 ? 'online' : 'offline';
  } else if (type === 7) {
    ev.kind = 'command-response';
    for (const k of [
      'cmd_id',
      'cmd_type',
      'send_time',
      'send_status',
      'confirm_time',
      'confirm_status',
      'confirm_body',
    ]) {
      if (m[k] !== undefined) ev.meta[k] = m[k];
    }
  } else invalid(`${path}.type ${String(type)} is not 1, 2 or 7`);
  return ev;
}

/**
 * A type-7 result names no `at` (PROTOCOLS-CONTROL.md §4.2 lists cmd_id, send_time, send_status,
 * confirm_time, confirm_status): its time is the confirmation's, else the sending's (ms or text),
 * else now.
 */
function resultTime(m: Json, path: string): string {
  for (const k of ['confirm_time', 'send_time']) {
    const v = m[k];
    try {
      if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)))
        return isoFromMs(v, `${path}.${k}`);
      // OneNET writes local (China) time without a zone, e.g. 2016-08-06 08:00:00
      if (typeof v === 'string' && /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d$/.test(v))
        return isoFromText(`${v.replace(' ', 'T')}+08:00`, `${path}.${k}`);
      if (typeof v === 'string' && v !== '') return isoFromText(v, `${path}.${k}`);
    } catch {
      // an unreadable time of a result is no reason to refuse it
    }
  }
  return new Date().toISOString();
}

/** `{flow: {value, time}}` → `{flow: value}`, plus the latest time seen. */
function flattenParams(params: Json): { values: Json; latest?: number } {
  const values: Json = {};
  let latest: number | undefined;
  for (const [k, v] of Object.entries(params)) {
    if (isRecord(v) && 'value' in v) {
      values[k] = v.value;
      if (typeof v.time === 'number' && Number.isFinite(v.time) && (latest === undefined || v.time > latest))
        latest = v.time;
    } else values[k] = v;
  }
  return { values, latest };
}

function studioItem(m: Json, env: OneNetEnvelope): PushEvent {
  const messageType = reqStr(m, 'messageType', 'msg.messageType');
  const data = reqObj(m, 'data', 'msg.data');
  const ev: PushEvent = {
    platform: 'onenet',
    kind: 'event',
    deviceId: reqStr(m, 'deviceName', 'msg.deviceName'),
    time: '',
    meta: { messageType, productId: optStr(m, 'productId', 'msg.productId'), pushId: env.id },
  };
  let at: unknown = env.time;
  if (messageType === 'notify') {
    const notifyType = reqStr(m, 'notifyType', 'msg.notifyType');
    if (notifyType !== 'property' && notifyType !== 'event')
      invalid(`msg.notifyType "${notifyType.slice(0, 40)}" is not handled`);
    const { values, latest } = flattenParams(reqObj(data, 'params', 'msg.data.params'));
    ev.kind = notifyType === 'property' ? 'properties' : 'event';
    ev.properties = values;
    ev.meta.notifyType = notifyType;
    if (latest !== undefined) at = latest;
  } else if (messageType === 'lifeCycle') {
    const status = data.status;
    if (status !== 'online' && status !== 'offline' && status !== 1 && status !== 0) {
      invalid('msg.data.status must be online or offline');
    }
    ev.kind = status === 'online' || status === 1 ? 'online' : 'offline';
    if (data.time !== undefined) at = data.time;
  } else invalid(`msg.messageType "${messageType.slice(0, 40)}" is not handled`);
  ev.time = isoFromMs(at, 'time');
  if (ev.meta.productId === undefined) delete ev.meta.productId;
  if (ev.meta.pushId === undefined) delete ev.meta.pushId;
  return ev;
}

/**
 * Verifies and parses a data push. Returns a list: a classic push may batch several messages.
 * `aesKey` is needed only for secure-mode (`enc_msg`) pushes.
 */
export function parseOneNet(body: unknown, token: string, opts: { aesKey?: string } = {}): PushEvent[] {
  const env = verifyOneNetPush(body, token);
  let msg = env.msg;
  if (env.encrypted) {
    if (!opts.aesKey) invalid('enc_msg needs the aesKey of the push instance');
    msg = parseBodyOrArray(decryptOneNetMsg(env.msgText, opts.aesKey));
  }
  const items = Array.isArray(msg) ? msg : [msg];
  if (items.length === 0) invalid('msg is an empty list');
  return items.map((m, i) => {
    const path = Array.isArray(msg) ? `msg[${i}]` : 'msg';
    if (!isRecord(m)) invalid(`${path} must be an object`);
    return m.messageType !== undefined ? studioItem(m, env) : classicItem(m, path);
  });
}

function parseBodyOrArray(text: string): unknown {
  const t = text.trimStart();
  if (t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      return invalid('decrypted msg is not valid JSON');
    }
  }
  return parseBody(text, 'decrypted msg');
}

export interface OneNetPushOptions {
  form?: 'studio' | 'classic';
  nonce?: string;
  /** studio envelope time (ms) */
  time?: number;
  id?: string;
  /** classic secure mode: send `enc_msg` encrypted with this key */
  aesKey?: string;
}

/** A signed push body as OneNET sends it (studio form by default). */
export function buildOneNetPush(msg: unknown, token: string, opts: OneNetPushOptions = {}): Json {
  const nonce = opts.nonce ?? randomNonce();
  if (opts.form === 'classic') {
    const text = typeof msg === 'string' ? msg : JSON.stringify(msg);
    if (opts.aesKey) {
      const enc = encryptOneNetMsg(text, opts.aesKey);
      return { enc_msg: enc, msg_signature: oneNetSignature(token, nonce, enc), nonce };
    }
    return { msg, msg_signature: oneNetSignature(token, nonce, text), nonce };
  }
  const text = typeof msg === 'string' ? msg : JSON.stringify(msg);
  return {
    msg: text,
    nonce,
    signature: oneNetSignature(token, nonce, text),
    time: opts.time ?? Date.now(),
    id: opts.id ?? randomNonce() + randomNonce(),
  };
}

/** Query of the URL-verification GET the platform sends when a push target is saved. */
export function buildOneNetUrlCheck(token: string, msg: string, nonce: string = randomNonce()) {
  return { msg, nonce, signature: oneNetSignature(token, nonce, msg) };
}
