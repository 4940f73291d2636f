import {
  cjt188Meter,
  decodeDeviceBytes,
  frameRegisters,
  type HeardMeter,
  parseChirpstack,
} from '@quadmeter/protocols/push/index.ts';
import type { RawReading } from '@quadmeter/sdk';
import type { LoraSettings } from './settings.ts';

/** The fPort the meters send their report on (see README: payload layout). */
export const REPORT_PORT = 10;

export type UplinkResult =
  | { ok: true; reading: RawReading; meter?: HeardMeter }
  | {
      ok: false;
      code: 'LORA_PAYLOAD_INVALID' | 'LORA_FRAME_UNREADABLE' | 'LORA_NOT_A_REPORT';
      detail: string;
    };

/**
 * One ChirpStack `up` event of a tenant's application as a reading: the meter's CJ/T 188 (or
 * DL/T 645) frame on fPort 10 decoded to registers, measured at the network server's time,
 * routed by DevEUI, keyed by ChirpStack's deduplication id (one per uplink, the same on every
 * gateway and redelivery).
 */
export async function uplinkReading(
  tenantId: string,
  s: LoraSettings,
  topic: string,
  payload: Uint8Array,
  receivedAt = new Date().toISOString(),
): Promise<UplinkResult> {
  if (!topic.startsWith(s.topicPrefix))
    return { ok: false, code: 'LORA_PAYLOAD_INVALID', detail: 'topic prefix' };
  let ev: ReturnType<typeof parseChirpstack>;
  try {
    ev = parseChirpstack(payload, topic.slice(s.topicPrefix.length));
  } catch (e) {
    return { ok: false, code: 'LORA_PAYLOAD_INVALID', detail: (e as Error).message.slice(0, 200) };
  }
  if (ev.meta.applicationId !== s.applicationId)
    return { ok: false, code: 'LORA_PAYLOAD_INVALID', detail: 'another application' };
  if (ev.kind !== 'uplink' || ev.meta.fPort !== REPORT_PORT || !ev.bytes)
    return {
      ok: false,
      code: 'LORA_NOT_A_REPORT',
      detail: `event ${String(ev.meta.event)} fPort ${String(ev.meta.fPort)}`,
    };
  const decoded = await decodeDeviceBytes(ev.bytes);
  const found = frameRegisters(decoded);
  if (!found) return { ok: false, code: 'LORA_FRAME_UNREADABLE', detail: ev.bytes.slice(0, 64) };
  const dedup = typeof ev.meta.deduplicationId === 'string' ? ev.meta.deduplicationId : undefined;
  const reading: RawReading = {
    route: { via: 'lora', devEui: ev.devEui ?? ev.deviceId },
    kind: 'realtime',
    measuredAt: ev.time,
    receivedAt,
    registers: found.registers,
    idempotencyKey: (dedup
      ? `chirpstack:${dedup}`
      : `chirpstack:${ev.deviceId}:${String(ev.meta.fCnt)}:${ev.time}`
    ).slice(0, 128),
    raw: ev.bytes,
    tenantId,
    ...(found.status && { status: found.status }),
  };
  return { ok: true, reading, meter: cjt188Meter(decoded) };
}
