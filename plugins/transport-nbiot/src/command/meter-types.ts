import type { DeviceDecode } from '@quadmeter/protocols/push/index.ts';
import type { PluginContext } from '@quadmeter/sdk';

const byCtx = new WeakMap<PluginContext, Map<string, number>>();
const MAX = 100_000;

/** The CJ/T 188 meter type byte (T) of a decoded uplink frame, when it is one. */
export function cjt188Type(decoded: DeviceDecode): number | undefined {
  if (decoded.protocol !== 'cjt188') return undefined;
  const t = (decoded.frame as { meterType?: unknown }).meterType;
  return typeof t === 'number' ? t : undefined;
}

/**
 * The meter type byte each device's uplinks carried (water 1x, heat 2x, gas 3x), remembered by
 * tenant and route id so a valve command names the type the meter answers to. A process that has
 * not heard the meter yet knows none (the command's `params.meterType` or cold water then).
 */
export function rememberType(
  ctx: PluginContext,
  tenantId: string,
  deviceId: string,
  t: number | undefined,
): void {
  if (t === undefined) return;
  const m = byCtx.get(ctx) ?? new Map<string, number>();
  byCtx.set(ctx, m);
  if (m.size >= MAX) m.clear();
  m.set(`${tenantId}|${deviceId}`, t);
}

export function learnedType(ctx: PluginContext, tenantId: string, deviceId: string): number | undefined {
  return byCtx.get(ctx)?.get(`${tenantId}|${deviceId}`);
}
