import { bytesToHex } from '@quadmeter/protocols/common/bytes.ts';
import { ctwingSignature } from '@quadmeter/protocols/push/index.ts';
import type { NbiotSettings, NbPlatform } from '../settings.ts';
import { type ApiAnswer, callApi, failure } from './http.ts';

/** The LwM2M object/instance/resource transparent NB meters use (datastream 3200_0_5750). */
export const ONENET_OBJECT = { obj: 3200, inst: 0, res: 5750 } as const;
/** CTWing CreateCommand API version (header `version`). */
export const CTWING_CREATE_VERSION = '20190712225145';
/** The longest a platform caches a command: CTWing ttl ≤ 864000 s, IoTDA expire_time ≤ 2 days. */
const MAX_TTL_S = { ctwing: 864_000, iotda: 172_800 } as const;
/** Cache time when the command has no expiry: the platforms' own defaults (CTWing 2 h, IoTDA 24 h). */
const DEFAULT_TTL_S = { onenet: 86_400, ctwing: 7_200, iotda: 86_400 } as const;

export interface Downlink {
  /** the device id the platform's API names the device by */
  deviceId: string;
  bytes: Uint8Array;
  /** ms since the epoch */
  expiresAt?: number;
  now: number;
}

export type Queued = { ok: true; platformRef: string } | Extract<ApiAnswer, { ok: false }>;

const trimSlash = (u: string) => u.replace(/\/+$/, '');

/** Seconds from now until the expiry (at least 1), capped by the platform's maximum. */
function ttlSeconds(d: Downlink, p: NbPlatform): number {
  if (d.expiresAt === undefined) return DEFAULT_TTL_S[p];
  const s = Math.max(1, Math.ceil((d.expiresAt - d.now) / 1000));
  return p === 'onenet' ? s : Math.min(s, MAX_TTL_S[p]);
}

/** OneNET's `expired_time`: local time in China (UTC+8) without a zone, `2016-08-06T08:00:00`. */
export function oneNetTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19);
}

/** OneNET cached write (`POST /nbiot/offline`): the device gets it on its next update/notify. */
async function onenet(s: NbiotSettings, d: Downlink, signal?: AbortSignal): Promise<Queued> {
  const q = new URLSearchParams({
    imei: d.deviceId,
    obj_id: String(ONENET_OBJECT.obj),
    obj_inst_id: String(ONENET_OBJECT.inst),
    mode: '1',
    expired_time: oneNetTime(d.now + ttlSeconds(d, 'onenet') * 1000),
  });
  const r = await callApi(
    `${trimSlash(s.onenetApiUrl)}/nbiot/offline?${q}`,
    {
      method: 'POST',
      headers: { 'api-key': s.onenetApiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ data: [{ res_id: ONENET_OBJECT.res, type: 1, val: bytesToHex(d.bytes) }] }),
    },
    signal,
  );
  if (!r.ok) return r;
  const errno = r.json.errno;
  const uuid = (r.json.data as { uuid?: unknown } | undefined)?.uuid;
  if (errno !== 0)
    return failure(
      'NBIOT_PLATFORM_REFUSED',
      `OneNET errno ${String(errno)}: ${String(r.json.error ?? '')}`,
      false,
    );
  if (typeof uuid !== 'string' || uuid === '')
    return failure('NBIOT_PLATFORM_ANSWER_INVALID', 'OneNET gave no command uuid', false);
  return { ok: true, platformRef: uuid };
}

/** CTWing CreateCommand (`POST /aep_device_command/command`), cached for `ttl` seconds. */
async function ctwing(s: NbiotSettings, d: Downlink, signal?: AbortSignal): Promise<Queued> {
  const body = JSON.stringify({
    productId: Number(s.ctwingProductId),
    deviceId: d.deviceId,
    operator: 'quadmeter',
    ttl: ttlSeconds(d, 'ctwing'),
    level: 1,
    content: { dataType: 2, payload: bytesToHex(d.bytes) },
  });
  const timestamp = String(d.now);
  const signature = ctwingSignature({
    appKey: s.ctwingAppKey,
    appSecret: s.ctwingAppSecret,
    timestamp,
    params: { MasterKey: s.ctwingMasterKey },
    body,
  });
  const r = await callApi(
    `${trimSlash(s.ctwingApiUrl)}/aep_device_command/command`,
    {
      method: 'POST',
      headers: {
        application: s.ctwingAppKey,
        timestamp,
        signature,
        version: CTWING_CREATE_VERSION,
        MasterKey: s.ctwingMasterKey,
        'content-type': 'application/json; charset=UTF-8',
      },
      body,
    },
    signal,
  );
  if (!r.ok) return r;
  const id = (r.json.result as { commandId?: unknown } | undefined)?.commandId;
  if (r.json.code !== 0)
    return failure(
      'NBIOT_PLATFORM_REFUSED',
      `CTWing code ${String(r.json.code)}: ${String(r.json.msg ?? '')}`,
      false,
    );
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '')
    return failure('NBIOT_PLATFORM_ANSWER_INVALID', 'CTWing gave no commandId', false);
  return { ok: true, platformRef: String(id) };
}

/** IoTDA CreateAsyncCommand with `send_strategy: delay` (cached until the device reports). */
async function iotda(s: NbiotSettings, d: Downlink, signal?: AbortSignal): Promise<Queued> {
  const path = `/v5/iot/${encodeURIComponent(s.iotdaProjectId)}/devices/${encodeURIComponent(d.deviceId)}/async-commands`;
  const r = await callApi(
    `${trimSlash(s.iotdaApiUrl)}${path}`,
    {
      method: 'POST',
      headers: { 'X-Auth-Token': s.iotdaAuthToken, 'content-type': 'application/json' },
      body: JSON.stringify({
        paras: { payload: bytesToHex(d.bytes) },
        send_strategy: 'delay',
        expire_time: ttlSeconds(d, 'iotda'),
      }),
    },
    signal,
  );
  if (!r.ok) return r;
  const id = r.json.command_id;
  if (typeof id !== 'string' || id === '')
    return failure('NBIOT_PLATFORM_ANSWER_INVALID', 'IoTDA gave no command_id', false);
  return { ok: true, platformRef: id };
}

/** Whether the tenant set what the platform's command API needs. */
export function apiConfigured(s: NbiotSettings, p: NbPlatform): boolean {
  if (p === 'onenet') return s.onenetApiKey !== '';
  if (p === 'ctwing')
    return (
      s.ctwingAppKey !== '' &&
      s.ctwingAppSecret !== '' &&
      s.ctwingMasterKey !== '' &&
      /^\d+$/.test(s.ctwingProductId)
    );
  return s.iotdaProjectId !== '' && s.iotdaAuthToken !== '';
}

export const sendDownlink: Record<
  NbPlatform,
  (s: NbiotSettings, d: Downlink, signal?: AbortSignal) => Promise<Queued>
> = {
  onenet,
  ctwing,
  iotda,
};
