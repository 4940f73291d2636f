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
  /** the meter hears no downlink: ChirpStack reports it unacknowledged */
  deaf?: boolean;
}

/** A downlink ChirpStack holds for a class A device until its next uplink. */
interface QueuedDownlink {
  id: string;
  bytes: string;
  confirmed: boolean;
  expiresAt?: string;
}

type SimDevice = LoraDevice & { device: Cjt188Device; queue: QueuedDownlink[]; fCntDown: number };

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
  /** the network server's clock, ms (downlink expiry) */
  now?: () => number;
}

/**
 * LoRaWAN water meters (class A) behind a ChirpStack v4 network server: publishes `join` and
 * `status` at start and an `up` event with the meter's CJ/T 188 report every round. A downlink
 * published on `…/command/down` is queued for its device and sent only in the receive window
 * after the device's next uplink (dropped if it expired by then): ChirpStack publishes `txack`,
 * the meter applies the CJ/T 188 valve command and, for a confirmed downlink, answers at once with
 * an uplink carrying the ACK (`ack` event, `acknowledged: true`) and its report, which shows the
 * new valve state. A deaf device never acknowledges (`acknowledged: false`).
 */
export class LoraPusher {
  readonly options: LoraPusherOptions;
  private client: MqttClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly devices = new Map<string, SimDevice>();

  constructor(o: LoraPusherOptions) {
    this.options = o;
    for (const d of o.devices)
      this.devices.set(d.devEui.toLowerCase(), {
        ...d,
        fCnt: d.fCnt ?? 0,
        device: new Cjt188Device(d.meter),
        queue: [],
        fCntDown: 0,
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
    event: 'join' | 'status' | 'ack' | 'txack',
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
    await this.receiveWindow(d);
  }

  /** The receive window after an uplink: the oldest queued downlink still valid reaches the meter. */
  private async receiveWindow(d: SimDevice): Promise<void> {
    const now = this.options.now?.() ?? Date.now();
    let down = d.queue.shift();
    while (down?.expiresAt && Date.parse(down.expiresAt) <= now) {
      this.options.onLog?.(`downlink ${down.id} for ${d.devEui} expired, dropped`);
      down = d.queue.shift();
    }
    if (!down) return;
    const fCntDown = d.fCntDown++;
    await this.publish('txack', d, {
      downlinkId: Math.floor(Math.random() * 2 ** 31),
      queueItemId: down.id,
      fCntDown,
      gatewayId: '0016c001ff10a235',
      txInfo: { frequency: 505300000, power: 17 },
    });
    if (d.deaf) {
      if (down.confirmed)
        await this.publish('ack', d, { queueItemId: down.id, acknowledged: false, fCntDown });
      return;
    }
    const reply = d.device.handle(hexToBytes(down.bytes));
    this.options.onLog?.(`downlink ${d.devEui} ${down.bytes} → valve ${d.meter.valve}`);
    if (!down.confirmed) return;
    // the meter acknowledges in an uplink of its own, right away, carrying its report
    await this.publish('ack', d, { queueItemId: down.id, acknowledged: reply !== null, fCntDown });
    await this.uplink(d.devEui);
  }

  /** Downlinks waiting for their device's next uplink (tests). */
  queued(devEui: string): readonly QueuedDownlink[] {
    return this.devices.get(devEui.toLowerCase())?.queue ?? [];
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
      if (!d || !down.bytes || down.applicationId !== this.options.applicationId) return;
      // ChirpStack queues it; a class A device gets it after its next uplink
      d.queue.push({
        id: down.id || randomUUID(),
        bytes: down.bytes,
        confirmed: down.confirmed ?? false,
        ...(down.expiresAt && { expiresAt: down.expiresAt }),
      });
      this.options.onLog?.(`downlink ${d.devEui} ${down.bytes} queued`);
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
