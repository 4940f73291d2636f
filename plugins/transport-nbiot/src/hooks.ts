import { timingSafeEqual } from 'node:crypto';
import {
  type PushEvent,
  parseCtwing,
  parseIotda,
  parseOneNet,
  rememberMeter,
  verifyOneNetUrl,
} from '@quadmeter/protocols/push/index.ts';
import type { HookRouter, PluginContext, PluginRequest, PluginResponse, RawReading } from '@quadmeter/sdk';
import { batcherOf } from './batcher.ts';
import { reportResult } from './command/results.ts';
import { type NbiotSettings, type NbPlatform, platformSettings } from './settings.ts';
import { tenantSettingsOf } from './tenant-cache.ts';
import { uplinkReading } from './uplink.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A JSON answer with a stable code; platforms only look at the status. */
function answer(status: number, code: string, extra: Record<string, unknown> = {}): PluginResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, ...extra }),
  };
}

const denied = () => answer(401, 'NBIOT_AUTH_FAILED', { message: 'unknown tenant or wrong token/signature' });

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!expected || !given) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The tenant's settings when the path names a tenant that enabled the plugin, else undefined. */
async function settingsOf(req: PluginRequest, ctx: PluginContext): Promise<NbiotSettings | undefined> {
  const tenantId = req.params.tenantId ?? '';
  if (!UUID.test(tenantId)) return undefined;
  return tenantSettingsOf(ctx, tenantId.toLowerCase());
}

/** ProtocolError from a parser: a bad signature is 401, anything else a malformed body (400). */
function parseFailure(e: unknown): PluginResponse {
  const code = (e as { code?: unknown })?.code;
  if (code === 'PAYLOAD_SIGNATURE_INVALID') return denied();
  if (code === 'PAYLOAD_INVALID')
    return answer(400, 'NBIOT_PAYLOAD_INVALID', { message: (e as Error).message.slice(0, 200) });
  throw e;
}

/** Authenticates and parses one push for its platform; events or a ready answer. */
function parse(platform: NbPlatform, req: PluginRequest, s: NbiotSettings): PushEvent[] | PluginResponse {
  try {
    if (platform === 'onenet') {
      if (!s.onenetToken) return denied();
      return parseOneNet(req.body, s.onenetToken, s.onenetAesKey ? { aesKey: s.onenetAesKey } : {});
    }
    if (!sameSecret(req.query.token, platformSettings(s, platform).token)) return denied();
    if (platform === 'ctwing') return [parseCtwing(req.body)];
    const enc = s.iotdaContentEncoding;
    return [parseIotda(req.body, enc === 'auto' ? {} : { contentEncoding: enc })];
  } catch (e) {
    return parseFailure(e);
  }
}

/** One platform's push: authenticate as the tenant in the path, decode uplinks, ingest. */
export function pushHandler(platform: NbPlatform) {
  return async (req: PluginRequest, ctx: PluginContext): Promise<PluginResponse> => {
    const s = await settingsOf(req, ctx);
    if (!s) return denied();
    const events = parse(platform, req, s);
    if (!Array.isArray(events)) return events;
    const tenantId = (req.params.tenantId ?? '').toLowerCase();
    const receivedAt = new Date().toISOString();
    const readings: RawReading[] = [];
    let ignored = 0;
    const results = { reported: 0, duplicate: 0 };
    for (const ev of events) {
      if (ev.kind === 'command-response') {
        const r = await reportResult(ctx, tenantId, ev);
        if (r === 'ignored') ignored++;
        else results[r]++;
        continue;
      }
      if (ev.kind !== 'uplink' && !(ev.platform === 'onenet' && ev.kind === 'properties')) {
        ignored++;
        continue;
      }
      // a classic OneNET data point carries the frame hex as its value
      if (!ev.bytes && ev.properties) {
        const v = Object.values(ev.properties)[0];
        if (typeof v === 'string' && /^(?:[0-9A-Fa-f]{2})+$/.test(v)) ev.bytes = v.toUpperCase();
      }
      const r = await uplinkReading(ev, {
        tenantId,
        platform,
        deviceIdFrom: platformSettings(s, platform).deviceIdFrom,
        receivedAt,
      });
      if ('problem' in r) {
        ctx.logger.warn(
          { platform, deviceId: ev.deviceId, code: r.problem, detail: r.detail },
          'uplink not read',
        );
        return answer(400, r.problem, { message: r.detail });
      }
      readings.push(r.reading);
      if (r.reading.route.via === 'nbiot') rememberMeter(ctx, tenantId, r.reading.route.deviceId, r.meter);
    }
    if (readings.length === 0)
      return results.reported + results.duplicate > 0
        ? answer(200, 'OK', { commandResults: results.reported, duplicate: results.duplicate, ignored })
        : answer(200, 'IGNORED', { ignored });
    const outcomes = await batcherOf(ctx).ingest(readings);
    const count = (s: string) => outcomes.filter((o) => o.status === s).length;
    return answer(200, 'OK', {
      stored: count('stored'),
      duplicate: count('duplicate'),
      rejected: count('rejected'),
      unmatched: count('unmatched'),
      ignored,
      ...(results.reported + results.duplicate > 0 && { commandResults: results.reported }),
    });
  };
}

/**
 * OneNET's URL verification: a GET with msg, nonce and signature when a push target is saved;
 * the answer is the msg, verbatim, when the signature matches the tenant's token.
 */
export async function oneNetCheck(req: PluginRequest, ctx: PluginContext): Promise<PluginResponse> {
  const s = await settingsOf(req, ctx);
  if (!s?.onenetToken) return denied();
  try {
    const msg = verifyOneNetUrl(req.query, s.onenetToken);
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: msg };
  } catch (e) {
    return parseFailure(e);
  }
}

/** `/hooks/transport-nbiot/<platform>/<tenant id>` for each platform, plus OneNET's GET check. */
export function mountHooks(router: HookRouter): void {
  router.route('POST', '/ctwing/{tenantId}', pushHandler('ctwing'));
  router.route('POST', '/onenet/{tenantId}', pushHandler('onenet'));
  router.route('GET', '/onenet/{tenantId}', oneNetCheck);
  router.route('POST', '/iotda/{tenantId}', pushHandler('iotda'));
}
