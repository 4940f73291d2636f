import type { DeviceDecode } from '@quadmeter/protocols/push/index.ts';
import type { PluginContext } from '@quadmeter/sdk';

/** What a device's uplinks said about the CJ/T 188 meter behind it. */
export interface HeardMeter {
  /** meter type byte T (water 1x, heat 2x, gas 3x) */
  type: number;
  /** the meter's own 14-digit address */
  address: string;
}

const byCtx = new WeakMap<PluginContext, Map<string, HeardMeter>>();
const MAX = 100_000;

/** The CJ/T 188 meter type and address of a decoded uplink frame, when it is one. */
export function cjt188Meter(decoded: DeviceDecode): HeardMeter | undefined {
  if (decoded.protocol !== 'cjt188') return undefined;
  const f = decoded.frame as { meterType?: unknown; address?: unknown };
  return typeof f.meterType === 'number' && typeof f.address === 'string'
    ? { type: f.meterType, address: f.address }
    : undefined;
}

/**
 * The meter each device's uplinks carried, remembered by tenant and route id, so a valve command
 * names the type and address the meter answers to (an archive NB-IoT or LoRa meter is addressed by
 * its IMEI or DevEUI; its CJ/T 188 address is only in its frames). A process that has not heard
 * the meter yet knows nothing (see `control`).
 */
export function rememberMeter(
  ctx: PluginContext,
  tenantId: string,
  deviceId: string,
  m: HeardMeter | undefined,
): void {
  if (m === undefined) return;
  const map = byCtx.get(ctx) ?? new Map<string, HeardMeter>();
  byCtx.set(ctx, map);
  if (map.size >= MAX) map.clear();
  map.set(`${tenantId}|${deviceId}`, m);
}

export function heardMeter(ctx: PluginContext, tenantId: string, deviceId: string): HeardMeter | undefined {
  return byCtx.get(ctx)?.get(`${tenantId}|${deviceId}`);
}
