import {
  cjt188Meter,
  decodeDeviceBytes,
  frameRegisters,
  type HeardMeter,
  type PushEvent,
} from '@quadmeter/protocols/push/index.ts';
import type { RawReading } from '@quadmeter/sdk';
import type { NbPlatform } from './settings.ts';

/** Why an uplink gave no reading: a stable code for the hook's answer. */
export type UplinkProblem = 'NBIOT_FRAME_UNREADABLE' | 'NBIOT_DEVICE_ID_MISSING';

/**
 * The platform's id of one message, stable across its redeliveries: IoTDA's request id, OneNET
 * Studio's push id; CTWing and classic OneNET carry none, so the device, the platform's timestamp
 * and the packet number (CTWing) or data stream (OneNET) stand for it.
 */
export function messageId(ev: PushEvent): string {
  const m = ev.meta;
  if (ev.platform === 'iotda' && typeof m.requestId === 'string') return `iotda:${m.requestId}`;
  if (ev.platform === 'onenet' && typeof m.pushId === 'string') return `onenet:${m.pushId}`;
  if (ev.platform === 'onenet') return `onenet:${ev.deviceId}:${String(m.ds_id ?? '')}:${ev.time}`;
  return `${ev.platform}:${ev.deviceId}:${ev.time}:${String(m.upPacketSN ?? '')}`;
}

/**
 * The reading an uplink carries: the meter's CJ/T 188 or DL/T 645 frame decoded to the meter
 * types' registers, measured at the platform's time (the meter clock has no zone and drifts),
 * routed by IMEI or platform device id, named for the tenant the push was authenticated as.
 */
export async function uplinkReading(
  ev: PushEvent,
  o: { tenantId: string; platform: NbPlatform; deviceIdFrom: 'imei' | 'platform'; receivedAt: string },
): Promise<{ reading: RawReading; meter?: HeardMeter } | { problem: UplinkProblem; detail: string }> {
  const deviceId =
    o.deviceIdFrom === 'imei' ? (ev.imei ?? (ev.meta.nodeId as string | undefined)) : ev.deviceId;
  if (!deviceId) return { problem: 'NBIOT_DEVICE_ID_MISSING', detail: 'the push names no IMEI' };
  if (!ev.bytes) return { problem: 'NBIOT_FRAME_UNREADABLE', detail: 'the uplink carries no device bytes' };
  const decoded = await decodeDeviceBytes(ev.bytes);
  const found = frameRegisters(decoded);
  if (!found) {
    const why = decoded.protocol === 'unknown' ? (decoded.reason ?? 'no meter frame') : 'not a meter report';
    return { problem: 'NBIOT_FRAME_UNREADABLE', detail: why };
  }
  const reading: RawReading = {
    route: { via: 'nbiot', deviceId: deviceId.slice(0, 64), platform: o.platform },
    kind: 'realtime',
    measuredAt: ev.time,
    receivedAt: o.receivedAt,
    registers: found.registers,
    idempotencyKey: messageId(ev).slice(0, 128),
    raw: ev.bytes,
    tenantId: o.tenantId,
    ...(found.status && { status: found.status }),
  };
  return { reading, meter: cjt188Meter(decoded) };
}
