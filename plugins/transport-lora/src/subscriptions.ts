import { rememberMeter } from '@quadmeter/protocols/push/index.ts';
import type { PluginContext, RawReading } from '@quadmeter/sdk';
import mqtt, { type MqttClient } from 'mqtt';
import { ackUpdate, type Publish } from './control.ts';
import { eventTopic, type LoraSettings, tenantSettings, upTopic } from './settings.ts';
import { uplinkReading } from './uplink.ts';

interface Sub {
  key: string;
  client: MqttClient;
  settings: LoraSettings;
}

const MAX_SEEN_ACKS = 10_000;

export interface LoraStats {
  received: number;
  ingested: number;
  /** malformed events, other fPorts, unreadable frames */
  skipped: number;
  failed: number;
}

/**
 * One MQTT connection per tenant with a broker and an application configured, subscribed to the
 * application's `up` events at QoS 1. A message is acknowledged only after its reading was
 * handed to ingest (mqtt.js sends PUBACK when `handleMessage` calls back); when ingest fails the
 * connection is dropped unacknowledged so the broker delivers the message again, and the next
 * `sync` reconnects. Ingest is idempotent by ChirpStack's deduplication id.
 */
export class LoraSubscriptions {
  readonly stats: LoraStats = { received: 0, ingested: 0, skipped: 0, failed: 0 };
  private readonly subs = new Map<string, Sub>();
  private readonly ctx: PluginContext;
  /** acks already reported (a redelivered ack event is not reported twice) */
  private readonly seenAcks = new Set<string>();

  constructor(ctx: PluginContext) {
    this.ctx = ctx;
  }

  /** Connects tenants newly configured, drops the ones unconfigured or changed. */
  async sync(): Promise<void> {
    const want = new Map<string, LoraSettings>();
    for (const tenantId of await this.ctx.core.enabledTenants()) {
      const parsed = tenantSettings.safeParse(await this.ctx.core.tenantSettings(tenantId));
      if (parsed.success && parsed.data.brokerUrl && parsed.data.applicationId)
        want.set(tenantId, parsed.data);
    }
    for (const [tenantId, sub] of this.subs) {
      const s = want.get(tenantId);
      if (!s || keyOf(s) !== sub.key) await this.drop(tenantId);
    }
    for (const [tenantId, s] of want)
      if (!this.subs.has(tenantId)) this.subs.set(tenantId, this.connect(tenantId, s));
  }

  /** Tenants whose connection is up. */
  connected(): string[] {
    return [...this.subs].filter(([, s]) => s.client.connected).map(([t]) => t);
  }

  /** Resolves once every configured tenant is connected and subscribed (tests, health). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (
      [...this.subs.values()].some((s) => !(s.client as MqttClient & { subscribed?: boolean }).subscribed)
    ) {
      if (Date.now() > until) throw new Error('LoRa subscriptions not ready');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private connect(tenantId: string, s: LoraSettings): Sub {
    const client = mqtt.connect(s.brokerUrl, {
      // a stable id and a kept session: QoS 1 uplinks published while the server was away, or not
      // acknowledged because ingest failed, are delivered when it connects again
      clientId: `quadmeter-lora-${tenantId}`,
      clean: false,
      username: s.username || undefined,
      password: s.password || undefined,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
    });
    const log = this.ctx.logger.child({ tenantId, broker: s.brokerUrl.replace(/\/\/[^@/]*@/, '//') });
    client.on('connect', () => {
      const topics = [upTopic(s), eventTopic(s, 'ack'), eventTopic(s, 'txack')];
      client.subscribe(topics, { qos: 1 }, (err) => {
        if (err) log.error({ err }, 'LoRa subscription refused');
        else (client as MqttClient & { subscribed?: boolean }).subscribed = true;
      });
    });
    client.on('error', (err) => log.warn({ err: err.message }, 'LoRa broker connection'));
    client.handleMessage = (packet, done) => {
      this.stats.received++;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      // an ack not reported is only logged: the meter's next report confirms the command anyway,
      // and dropping the connection would hold back every uplink of the tenant behind it
      const work = packet.topic.endsWith('/event/ack')
        ? this.onAck(tenantId, s, packet.topic, payload).catch((err) =>
            log.error({ err }, 'LoRa ack not reported'),
          )
        : packet.topic.endsWith('/event/txack')
          ? Promise.resolve(log.debug({ topic: packet.topic }, 'LoRa downlink handed to a gateway'))
          : this.onUplink(tenantId, s, packet.topic, payload);
      void work.then(
        () => done(),
        (err) => {
          this.stats.failed++;
          log.error({ err }, 'LoRa uplink not ingested; dropping the connection to get it again');
          void this.drop(tenantId);
        },
      );
    };
    return { key: keyOf(s), client, settings: s };
  }

  /** One message of a tenant's subscription: read, and ingest when it is a meter report. */
  async onUplink(tenantId: string, s: LoraSettings, topic: string, payload: Uint8Array): Promise<void> {
    const r = await uplinkReading(tenantId, s, topic, payload);
    if (!r.ok) {
      this.stats.skipped++;
      if (r.code !== 'LORA_NOT_A_REPORT')
        this.ctx.logger.warn({ tenantId, topic, code: r.code, detail: r.detail }, 'LoRa uplink not read');
      return;
    }
    if (r.reading.route.via === 'lora') rememberMeter(this.ctx, tenantId, r.reading.route.devEui, r.meter);
    await this.ingest(r.reading);
  }

  /** An `ack` event: the command it names is delivered (or failed), reported once. */
  async onAck(tenantId: string, s: LoraSettings, topic: string, payload: Uint8Array): Promise<void> {
    const u = ackUpdate(s, topic, payload);
    if (!u) return;
    const key = `${tenantId}|${u.key}`;
    if (this.seenAcks.has(key)) return;
    const { key: _, ...update } = u;
    const r = await this.ctx.core.controlUpdate(tenantId, update);
    if (this.seenAcks.size >= MAX_SEEN_ACKS) this.seenAcks.clear();
    this.seenAcks.add(key);
    if (!r.matched)
      this.ctx.logger.debug({ tenantId, platformRef: u.platformRef }, 'LoRa ack for no command');
  }

  /** Publishing on the tenant's connection, while it is up. */
  publisher(tenantId: string): Publish | undefined {
    const sub = this.subs.get(tenantId);
    if (!sub?.client.connected) return undefined;
    return async (topic, json) => {
      await sub.client.publishAsync(topic, json, { qos: 1 });
    };
  }

  /** The settings a tenant's connection was made with. */
  settingsOf(tenantId: string): LoraSettings | undefined {
    return this.subs.get(tenantId)?.settings;
  }

  private async ingest(reading: RawReading): Promise<void> {
    await this.ctx.core.ingestReadings([reading]);
    this.stats.ingested++;
  }

  private async drop(tenantId: string): Promise<void> {
    const sub = this.subs.get(tenantId);
    this.subs.delete(tenantId);
    await sub?.client.endAsync(true);
  }

  async close(): Promise<void> {
    for (const tenantId of [...this.subs.keys()]) await this.drop(tenantId);
  }
}

function keyOf(s: LoraSettings): string {
  return JSON.stringify([s.brokerUrl, s.applicationId, s.username, s.password, s.topicPrefix]);
}
