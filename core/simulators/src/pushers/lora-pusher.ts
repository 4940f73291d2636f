import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { bytesToHex, hexToBytes } from '../../../protocols/src/common/bytes.ts';
import * as push from '../../../protocols/src/push/index.ts';
import { Cjt188Device } from '../meters/cjt188-device.ts';
import type { Cjt188Meter } from '../meters/cjt188-meter.ts';
import { reportBytes } from './device-report.ts';

export interface LoraDevice {
  /** 16 hex digits */
  devEui: string;
  meter: Cjt188Meter;
  /** frame counter of the next uplink */
  fCnt?: number;
}

export interface LoraPusherOptions {
  /** mqtt://host:port */
  mqttUrl: string;
  /** ChirpStack application id (a UUID in v4) */
  applicationId: string;
  devices: LoraDevice[];
  /** seconds between uplink rounds (0 = only on `uplinkAll`) */
  intervalSec?: number;
  /** prepended to every topic, for brokers shared between runs ('' by default) */
  topicPrefix?: string;
  fPort?: number;
  onLog?: (line: string) => void;
}

/**
 * LoRaWAN water meters behind a ChirpStack v4 network server: publishes `join` and `status` at
 * start and an `up` event with the meter's CJ/T 188 frame every round, listens on
 * `…/command/down` and applies CJ/T 188 valve commands found in downlinks, answering with an
 * uplink that carries the meter's reply.
 */
export class LoraPusher {
  readonly options: LoraPusherOptions;
  private client: MqttClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly devices = new Map<string, LoraDevice & { device: Cjt188Device }>();

  constructor(o: LoraPusherOptions) {
    this.options = o;
    for (const d of o.devices)
      this.devices.set(d.devEui.toLowerCase(), {
        ...d,
        fCnt: d.fCnt ?? 0,
        device: new Cjt188Device(d.meter),
      });
  }

  private topic(t: string): string {
    return `${this.options.topicPrefix ?? ''}${t}`;
  }

  async start(): Promise<void> {
    const client = await mqtt.connectAsync(this.options.mqttUrl, {
      clientId: `qm-lora-sim-${randomUUID().slice(0, 8)}`,
      reconnectPeriod: 1000,
    });
    this.client = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    await client.subscribeAsync(
      this.topic(`application/${this.options.applicationId}/device/+/command/down`),
      { qos: 1 },
    );
    for (const d of this.devices.values()) {
      await this.publish('join', d, { devAddr: devAddrOf(d.devEui) });
      await this.publish('status', d, {
        margin: 10,
        externalPowerSource: false,
        batteryLevelUnavailable: false,
        batteryLevel: d.meter.batteryLow ? 10 : 95,
      });
    }
    const sec = this.options.intervalSec ?? 0;
    if (sec > 0) {
      const tick = (): void => {
        void this.uplinkAll().finally(() => {
          if (this.timer) this.timer = setTimeout(tick, sec * 1000);
        });
      };
      this.timer = setTimeout(tick, 0);
    }
  }

  /** Event JSON common part, as ChirpStack v4 publishes it. */
  private async publish(
    event: 'join' | 'status' | 'ack',
    d: LoraDevice,
    extra: Record<string, unknown>,
  ): Promise<void> {
    const payload = {
      deduplicationId: randomUUID(),
      time: new Date().toISOString(),
      deviceInfo: {
        tenantId: '00000000-0000-0000-0000-000000000000',
        applicationId: this.options.applicationId,
        deviceProfileName: 'meter',
        deviceName: d.devEui.toLowerCase(),
        devEui: d.devEui.toLowerCase(),
        tags: {},
      },
      ...extra,
    };
    const topic = this.topic(push.chirpstackEventTopic(this.options.applicationId, d.devEui, event));
    await this.client?.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
  }

  async uplink(devEui: string, bytes?: Uint8Array): Promise<void> {
    const d = this.devices.get(devEui.toLowerCase());
    if (!d || !this.client) return;
    const fCnt = d.fCnt ?? 0;
    d.fCnt = fCnt + 1;
    const up = push.buildChirpstackUp({
      applicationId: this.options.applicationId,
      devEui: d.devEui,
      fPort: this.options.fPort ?? 10,
      fCnt,
      bytes: bytes ?? reportBytes({ kind: 'cjt188', meter: d.meter }, fCnt),
      devAddr: devAddrOf(d.devEui),
    });
    await this.client.publishAsync(this.topic(up.topic), up.json, { qos: 1 });
  }

  async uplinkAll(): Promise<void> {
    for (const eui of this.devices.keys()) await this.uplink(eui);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const prefix = this.options.topicPrefix ?? '';
    if (!topic.startsWith(prefix)) return;
    try {
      const down = push.parseChirpstackDownlink(topic.slice(prefix.length), payload.toString('utf8'));
      const d = this.devices.get(down.devEui);
      if (!d || !down.bytes) return;
      const reply = d.device.handle(hexToBytes(down.bytes));
      this.options.onLog?.(`downlink ${down.devEui} ${down.bytes} → valve ${d.meter.valve}`);
      void this.publish('ack', d, { queueItemId: down.id ?? randomUUID(), acknowledged: true, fCntDown: 0 });
      if (reply) void this.uplink(d.devEui, reply);
    } catch (e) {
      this.options.onLog?.(`downlink on ${topic} ignored: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.client?.endAsync();
    this.client = undefined;
  }
}

/** A stable 32-bit device address derived from the DevEUI. */
function devAddrOf(devEui: string): string {
  return bytesToHex(Uint8Array.from(hexToBytes(devEui).subarray(4, 8)));
}
