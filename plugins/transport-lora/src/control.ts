import { randomUUID } from 'node:crypto';
import type { HeardMeter } from '@quadmeter/protocols/push/index.ts';
import { buildChirpstackDownlink, parseChirpstack, valveFrame } from '@quadmeter/protocols/push/index.ts';
import type { ControlCommand, ControlResult, ControlUpdate } from '@quadmeter/sdk';
import type { LoraSettings } from './settings.ts';
import { REPORT_PORT } from './uplink.ts';

type Failed = Extract<ControlResult, { ok: false }>;
const fail = (c: ControlCommand, code: string, message: string, retryable: boolean): Failed => ({
  commandId: c.id,
  ok: false,
  error: { code, message, retryable },
});

/** Publishes one message on the tenant's broker connection (QoS 1); throws when it is down. */
export type Publish = (topic: string, json: string) => Promise<void>;

/**
 * A valve command as a ChirpStack v4 `DownlinkCommand`: a confirmed downlink on the report port
 * carrying the CJ/T 188 valve control frame (C=04, DI A017; meter type from `params.meterType`,
 * else the one the meter's uplinks carried, else cold water), `id` a fresh UUID kept as the
 * platform reference (ChirpStack uses it as the queue item id its `ack` event names), expiring
 * with the command. ChirpStack sends it in the RX window after the meter's next uplink (class A);
 * the `ack` event reports it delivered, the meter's next report the valve state.
 */
export async function loraControl(
  c: ControlCommand,
  s: LoraSettings | undefined,
  publish: Publish | undefined,
  now = Date.now(),
  heard?: HeardMeter,
): Promise<ControlResult> {
  const bytes = valveFrame(c, ['lora', 'lorawan'], heard, 'LORA');
  if (!(bytes instanceof Uint8Array)) return { commandId: c.id, ok: false, error: bytes };
  if (c.route?.via !== 'lora' || !/^[0-9A-Fa-f]{16}$/.test(c.route.devEui))
    return fail(c, 'LORA_ROUTE_MISSING', 'the meter has no LoRa route naming its DevEUI', false);
  const expiresAt = c.expiresAt === undefined ? undefined : Date.parse(c.expiresAt);
  if (expiresAt !== undefined && !(expiresAt > now))
    return fail(c, 'COMMAND_EXPIRED', 'the command expired before it was queued', false);
  if (!s?.brokerUrl || !s.applicationId)
    return fail(c, 'LORA_NOT_CONFIGURED', 'the tenant set no broker or application', false);
  if (!publish) return fail(c, 'LORA_BROKER_UNAVAILABLE', 'not connected to the broker', true);
  const id = randomUUID();
  const down = buildChirpstackDownlink({
    applicationId: s.applicationId,
    devEui: c.route.devEui.toLowerCase(),
    fPort: REPORT_PORT,
    confirmed: true,
    id,
    bytes,
    ...(expiresAt !== undefined && { expiresAt: new Date(expiresAt).toISOString() }),
  });
  try {
    await publish(`${s.topicPrefix}${down.topic}`, down.json);
  } catch (e) {
    return fail(
      c,
      'LORA_BROKER_UNAVAILABLE',
      `downlink not published: ${(e as Error).message}`.slice(0, 300),
      true,
    );
  }
  return {
    commandId: c.id,
    ok: true,
    status: 'queued',
    platformRef: id,
    detail: 'queued at ChirpStack for the next uplink',
  };
}

/**
 * What an `ack` event of the tenant's application says: `delivered` when the meter acknowledged
 * the confirmed downlink, `failed` (LORA_DOWNLINK_NOT_ACKED, retryable) when ChirpStack gave up.
 * `txack` (the gateway took it for transmission) proves nothing and is not reported.
 */
export function ackUpdate(
  s: LoraSettings,
  topic: string,
  payload: Uint8Array,
): (ControlUpdate & { key: string }) | undefined {
  let ev: ReturnType<typeof parseChirpstack>;
  try {
    ev = parseChirpstack(payload, topic.slice(s.topicPrefix.length));
  } catch {
    return undefined;
  }
  const ref = ev.meta.queueItemId;
  if (ev.kind !== 'ack' || ev.meta.applicationId !== s.applicationId || typeof ref !== 'string' || ref === '')
    return undefined;
  const key = `${ref}|${ev.meta.acknowledged === true}`;
  if (ev.meta.acknowledged === true)
    return {
      key,
      platformRef: ref,
      status: 'delivered',
      detail: `acknowledged by ${ev.devEui}`,
      at: ev.time,
    };
  const message = `${ev.devEui} did not acknowledge the downlink`;
  return {
    key,
    platformRef: ref,
    status: 'failed',
    error: { code: 'LORA_DOWNLINK_NOT_ACKED', message, retryable: true },
    detail: message,
    at: ev.time,
  };
}
