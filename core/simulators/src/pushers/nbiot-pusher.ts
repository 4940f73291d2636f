import { bytesToHex } from '../../../protocols/src/common/bytes.ts';
import * as push from '../../../protocols/src/push/index.ts';
import { type ReportingMeter, reportBytes } from './device-report.ts';

export type NbPlatform = 'onenet' | 'ctwing' | 'iotda';

export interface NbDevice {
  imei: string;
  /** the platform's device id (OneNET dev_id, CTWing deviceId, IoTDA device_id) */
  deviceId: string;
  source: ReportingMeter;
}

export interface NbiotPusherOptions {
  url: string;
  platform: NbPlatform;
  /** OneNET push token (signature); required for onenet */
  token?: string;
  devices: NbDevice[];
  /** seconds between report rounds (0 = only when `pushOnce` is called) */
  intervalSec?: number;
  productId?: string;
  tenantId?: string;
  onResult?: (r: PushResult) => void;
  /** after each device's report (the platform sends the device its cached commands then) */
  onPushed?: (d: NbDevice, r: PushResult) => Promise<void> | void;
}

export interface PushResult {
  deviceId: string;
  status: number;
  error?: string;
  bytes: string;
}

/**
 * NB-IoT meters as an application server sees them through a platform: every round each meter
 * takes a reading and the platform's HTTP push (OneNET signed, CTWing, IoTDA) carrying the
 * meter's frame is POSTed to the configured URL.
 */
export class NbiotPusher {
  readonly options: NbiotPusherOptions;
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(o: NbiotPusherOptions) {
    if (o.platform === 'onenet' && !o.token) throw new Error('the OneNET pusher needs a token to sign with');
    this.options = o;
  }

  /** The JSON body the platform would push for one device reading. */
  body(d: NbDevice, bytes: Uint8Array, at = Date.now()): Record<string, unknown> {
    const o = this.options;
    switch (o.platform) {
      case 'onenet': {
        const msg = {
          type: 1,
          dev_id: Number(d.deviceId) || d.deviceId,
          ds_id: '3200_0_5750',
          at,
          value: bytesToHex(bytes),
          imei: d.imei,
          login_type: 10,
        };
        return push.buildOneNetPush(msg, o.token ?? '', { form: 'classic' });
      }
      case 'ctwing':
        return push.buildCtwingPush({
          messageType: 'dataReport',
          deviceId: d.deviceId,
          productId: o.productId ?? '15000000',
          tenantId: o.tenantId ?? '10000000',
          imei: d.imei,
          timestamp: at,
          bytes,
        });
      case 'iotda':
        return push.buildIotdaPush({
          resource: 'device.message',
          deviceId: d.deviceId,
          productId: o.productId ?? 'quadmeter-nb',
          nodeId: d.imei,
          time: new Date(at),
          bytes,
        });
    }
  }

  /** One report from every device; resolves with the HTTP outcome of each. */
  async pushOnce(): Promise<PushResult[]> {
    const out: PushResult[] = [];
    for (const d of this.options.devices) out.push(await this.pushDevice(d));
    return out;
  }

  /** One report from one device (it need not be in `devices`). */
  async pushDevice(d: NbDevice): Promise<PushResult> {
    const bytes = reportBytes(d.source, this.seq++);
    const r: PushResult = { deviceId: d.deviceId, status: 0, bytes: bytesToHex(bytes) };
    const res = await postJson(this.options.url, this.body(d, bytes));
    r.status = res.status;
    if (res.error) r.error = res.error;
    this.options.onResult?.(r);
    await this.options.onPushed?.(d, r);
    return r;
  }

  start(): void {
    const sec = this.options.intervalSec ?? 0;
    if (sec <= 0 || this.timer) return;
    const tick = (): void => {
      void this.pushOnce().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, sec * 1000);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** POSTs a JSON body; the HTTP status, or 0 and the error when the request failed. */
export async function postJson(url: string, body: unknown): Promise<{ status: number; error?: string }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return { status: res.status };
  } catch (e) {
    return { status: 0, error: e instanceof Error ? e.message : String(e) };
  }
}
