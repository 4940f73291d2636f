import { randomUUID } from 'node:crypto';
import { hexToBytes } from '../../../protocols/src/common/bytes.ts';
import { verifyCtwingSignature } from '../../../protocols/src/push/ctwing-sign.ts';
import type { NbDevice, NbPlatform } from './nbiot-pusher.ts';

/** A command the platform holds for a sleeping device. */
export interface CachedCommand {
  id: string;
  platform: NbPlatform;
  device: NbDevice;
  bytes: Uint8Array;
  createdAt: number;
  expiresAt: number;
  status: 'pending' | 'delivered' | 'failed' | 'expired';
  /** the meter's reply frame, once delivered */
  reply?: string;
}

export interface PlatformCredentials {
  onenet?: { apiKey: string };
  ctwing?: { appKey: string; appSecret: string; masterKey: string; productId: string };
  iotda?: { projectId: string; authToken: string };
}

export interface ApiRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** What the API answers: a new cached command, or an error answer. */
export type ApiOutcome =
  | { command: CachedCommand; answer: (c: CachedCommand) => unknown }
  | { status: number; body: unknown };

const HEX = /^(?:[0-9A-Fa-f]{2})+$/;
const header = (r: ApiRequest, name: string) => {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

function json(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** OneNET `expired_time` is China local time (UTC+8) without a zone. */
function oneNetInstant(s: string | null): number {
  if (!s || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(s)) return Number.NaN;
  return Date.parse(`${s}+08:00`);
}

let ctwingSeq = 100_000;

/**
 * The command APIs of the three platforms, as far as PROTOCOLS-CONTROL.md §4 describes them:
 * OneNET cached write (`POST /nbiot/offline`, header api-key), CTWing CreateCommand (`POST
 * /aep_device_command/command`, HMAC-SHA1 signature, ttl) and IoTDA CreateAsyncCommand (`POST
 * /v5/iot/{project}/devices/{device}/async-commands`, X-Auth-Token, send_strategy delay).
 */
export function handleApi(
  r: ApiRequest,
  creds: PlatformCredentials,
  find: (platform: NbPlatform, id: string) => NbDevice | undefined,
  now: number,
): ApiOutcome {
  const path = r.url.pathname;
  if (r.method === 'POST' && path === '/nbiot/offline' && creds.onenet) {
    if (header(r, 'api-key') !== creds.onenet.apiKey)
      return { status: 403, body: { errno: 2, error: 'auth failed' } };
    const q = r.url.searchParams;
    const device = find('onenet', q.get('imei') ?? '');
    if (!device) return { status: 200, body: { errno: 10, error: 'device not exist' } };
    const expiresAt = oneNetInstant(q.get('expired_time'));
    const body = json(r.text);
    const item = Array.isArray(body?.data)
      ? (body.data[0] as Record<string, unknown> | undefined)
      : undefined;
    if (q.get('obj_id') !== '3200' || q.get('obj_inst_id') !== '0' || !(expiresAt > now) || item?.type !== 1)
      return { status: 200, body: { errno: 6, error: 'invalid parameters' } };
    if (item.res_id !== 5750 || typeof item.val !== 'string' || !HEX.test(item.val))
      return { status: 200, body: { errno: 6, error: 'invalid data' } };
    const command = cached('onenet', device, hexToBytes(item.val), now, expiresAt);
    return { command, answer: (c) => ({ errno: 0, error: 'succ', data: { uuid: c.id } }) };
  }
  if (r.method === 'POST' && path === '/aep_device_command/command' && creds.ctwing) {
    const c = creds.ctwing;
    const signed = verifyCtwingSignature(header(r, 'signature'), {
      appKey: header(r, 'application') ?? '',
      appSecret: c.appSecret,
      timestamp: header(r, 'timestamp') ?? '',
      params: { MasterKey: header(r, 'MasterKey') ?? '' },
      body: r.text,
    });
    if (!signed || header(r, 'application') !== c.appKey || header(r, 'MasterKey') !== c.masterKey)
      return { status: 403, body: { code: 403, msg: 'signature or key invalid' } };
    if (header(r, 'version') !== '20190712225145')
      return { status: 400, body: { code: 400, msg: 'unknown version' } };
    const b = json(r.text);
    const content = b?.content as { dataType?: unknown; payload?: unknown } | undefined;
    const ttl = b?.ttl ?? 7200;
    if (String(b?.productId) !== c.productId || typeof ttl !== 'number' || !(ttl >= 0 && ttl <= 864_000))
      return { status: 200, body: { code: 400, msg: 'invalid productId or ttl' } };
    const device = find('ctwing', String(b?.deviceId ?? ''));
    if (!device) return { status: 200, body: { code: 404, msg: 'device not found' } };
    if (content?.dataType !== 2 || typeof content.payload !== 'string' || !HEX.test(content.payload))
      return { status: 200, body: { code: 400, msg: 'content must be {dataType: 2, payload: hex}' } };
    const command = cached(
      'ctwing',
      device,
      hexToBytes(content.payload),
      now,
      now + ttl * 1000,
      String(ctwingSeq++),
    );
    return {
      command,
      answer: (x) => ({
        code: 0,
        msg: 'ok',
        result: {
          commandId: x.id,
          command: content.payload,
          commandStatus: '指令已保存',
          deviceId: b?.deviceId,
          productId: Number(c.productId),
          createBy: String(b?.operator ?? ''),
          createTime: now,
        },
      }),
    };
  }
  const m = /^\/v5\/iot\/([^/]+)\/devices\/([^/]+)\/async-commands$/.exec(path);
  if (r.method === 'POST' && m && creds.iotda) {
    if (
      decodeURIComponent(m[1]) !== creds.iotda.projectId ||
      header(r, 'X-Auth-Token') !== creds.iotda.authToken
    )
      return { status: 401, body: { error_code: 'IOTDA.000002', error_msg: 'authentication failed' } };
    const device = find('iotda', decodeURIComponent(m[2]));
    if (!device) return { status: 404, body: { error_code: 'IOTDA.014000', error_msg: 'device not found' } };
    const b = json(r.text);
    const payload = (b?.paras as { payload?: unknown } | undefined)?.payload;
    const ttl = b?.expire_time ?? 86_400;
    if (b?.send_strategy !== 'delay' || typeof ttl !== 'number' || !(ttl > 0 && ttl <= 172_800))
      return {
        status: 400,
        body: { error_code: 'IOTDA.000006', error_msg: 'send_strategy delay and expire_time expected' },
      };
    if (typeof payload !== 'string' || !HEX.test(payload))
      return { status: 400, body: { error_code: 'IOTDA.000006', error_msg: 'paras.payload must be hex' } };
    const command = cached('iotda', device, hexToBytes(payload), now, now + ttl * 1000);
    return {
      command,
      answer: (x) => ({
        device_id: device.deviceId,
        command_id: x.id,
        paras: b?.paras,
        expire_time: ttl,
        status: 'PENDING',
        created_time: new Date(now)
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d{3}/, ''),
        send_strategy: 'delay',
      }),
    };
  }
  return { status: 404, body: { error: 'no such API' } };
}

function cached(
  platform: NbPlatform,
  device: NbDevice,
  bytes: Uint8Array,
  now: number,
  expiresAt: number,
  id: string = randomUUID(),
): CachedCommand {
  return { id, platform, device, bytes, createdAt: now, expiresAt, status: 'pending' };
}
