import { heardMeter, valveFrame } from '@quadmeter/protocols/push/index.ts';
import type { ControlCommand, ControlResult, PluginContext } from '@quadmeter/sdk';
import type { NbiotSettings, NbPlatform } from '../settings.ts';
import { tenantSettingsOf } from '../tenant-cache.ts';
import { failure } from './http.ts';
import { apiConfigured, sendDownlink } from './platforms.ts';

const PLATFORMS: readonly string[] = ['onenet', 'ctwing', 'iotda'];

type Failed = Extract<ControlResult, { ok: false }>;
const fail = (c: ControlCommand, code: string, message: string, retryable: boolean): Failed => ({
  commandId: c.id,
  ...failure(code, message, retryable),
});

/**
 * The id the platform's command API names the device by. OneNET caches by IMEI; CTWing names an
 * NB device `<productId><IMEI>` when it was registered by IMEI; IoTDA needs its own device id.
 */
function apiDeviceId(s: NbiotSettings, p: NbPlatform, routeId: string): string | undefined {
  if (p === 'onenet') return s.onenetDeviceId === 'imei' ? routeId : undefined;
  if (p === 'ctwing') return s.ctwingDeviceId === 'platform' ? routeId : `${s.ctwingProductId}${routeId}`;
  return s.iotdaDeviceId === 'platform' ? routeId : undefined;
}

/**
 * Queues a valve command at the meter's platform, cached until the sleeping meter next reports
 * (no later than the command's expiry). Answers `queued` with the platform's command id; the
 * platform's result push reports `delivered`/`failed`, the meter's next uplink the valve state.
 */
export async function nbiotControl(
  c: ControlCommand,
  ctx: PluginContext,
  now = Date.now(),
): Promise<ControlResult> {
  const routeId = c.route?.via === 'nbiot' ? c.route.deviceId : '';
  const bytes = valveFrame(c, ['nbiot'], heardMeter(ctx, c.tenantId, routeId), 'NBIOT');
  if (!(bytes instanceof Uint8Array)) return { commandId: c.id, ok: false, error: bytes };
  const route = c.route;
  if (route?.via !== 'nbiot' || !route.platform || !PLATFORMS.includes(route.platform))
    return fail(c, 'NBIOT_ROUTE_MISSING', 'the meter has no NB-IoT route naming its platform', false);
  const expiresAt = c.expiresAt === undefined ? undefined : Date.parse(c.expiresAt);
  if (expiresAt !== undefined && !(expiresAt > now))
    return fail(c, 'COMMAND_EXPIRED', 'the command expired before it was queued', false);
  const s = await tenantSettingsOf(ctx, c.tenantId);
  if (!s || !apiConfigured(s, route.platform))
    return fail(
      c,
      'NBIOT_PLATFORM_NOT_CONFIGURED',
      `the tenant set no ${route.platform} command API credentials`,
      false,
    );
  const deviceId = apiDeviceId(s, route.platform, route.deviceId);
  if (!deviceId)
    return fail(
      c,
      'NBIOT_DEVICE_ID_UNUSABLE',
      `${route.platform} commands need the device id the route does not name`,
      false,
    );
  const r = await sendDownlink[route.platform](s, { deviceId, bytes, expiresAt, now }, ctx.signal);
  if (!r.ok) return { commandId: c.id, ok: false, error: r.error };
  ctx.logger.info(
    { commandId: c.id, platform: route.platform, platformRef: r.platformRef },
    'NB-IoT command queued',
  );
  return {
    commandId: c.id,
    ok: true,
    status: 'queued',
    platformRef: r.platformRef,
    detail: `queued at ${route.platform} until the meter's next uplink`,
  };
}
