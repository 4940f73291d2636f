import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bytesToHex } from '../../../protocols/src/common/bytes.ts';
import { Cjt188Device } from '../meters/cjt188-device.ts';
import { type ApiRequest, type CachedCommand, handleApi } from './nbiot-platform-api.ts';
import { resultPush } from './nbiot-platform-results.ts';
import { type NbDevice, NbiotPusher, type NbPlatform, type PushResult, postJson } from './nbiot-pusher.ts';

export interface NbPlatformSimOptions {
  devices: NbDevice[];
  /** per platform: the application's push URL (CTWing/IoTDA with `?token=`), OneNET's push token */
  onenet?: { apiKey: string; token: string; pushUrl: string };
  ctwing?: { appKey: string; appSecret: string; masterKey: string; productId: string; pushUrl: string };
  iotda?: { projectId: string; authToken: string; pushUrl: string };
  /** the platform's clock, ms (tests move it to expire commands) */
  now?: () => number;
  onLog?: (line: string) => void;
  /** the application's answer to each uplink push */
  onResult?: (r: PushResult) => void;
}

/**
 * A local NB-IoT platform for sleeping (PSM) meters: its open API takes commands with the same
 * request shapes and credentials as OneNET, CTWing and IoTDA and caches each for its device;
 * `uplink` lets a device report through the platform (the signed push the application gets),
 * after which the platform hands the device its cached commands — the simulated meter really
 * applies them, so its next report shows the new valve state — and pushes the result (OneNET
 * type 7, CTWing commandResponse, IoTDA device.command.status). A command past its expiry is
 * never delivered: it becomes `expired` and that is pushed instead.
 */
export class NbPlatformSim {
  readonly options: NbPlatformSimOptions;
  private server: Server | undefined;
  private readonly cache: CachedCommand[] = [];
  private readonly pushers = new Map<NbPlatform, NbiotPusher>();
  private failures: number[] = [];
  /** result pushes sent, with the application's HTTP answer (tests) */
  readonly results: { command: string; status: number; body: Record<string, unknown> }[] = [];
  url = '';

  constructor(o: NbPlatformSimOptions) {
    this.options = o;
  }

  /** The pusher of a platform, made when first used (options may be completed after `start`). */
  private pusher(p: NbPlatform): NbiotPusher | undefined {
    const found = this.pushers.get(p);
    const o = this.options;
    const c = o[p];
    if (found || !c) return found;
    const made = new NbiotPusher({
      url: c.pushUrl,
      platform: p,
      token: p === 'onenet' ? o.onenet?.token : undefined,
      productId: p === 'ctwing' ? o.ctwing?.productId : undefined,
      devices: [],
      onResult: (r) => o.onResult?.(r),
      onPushed: (d) => this.deliver(p, d),
    });
    this.pushers.set(p, made);
    return made;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Listens on 127.0.0.1 (an ephemeral port by default); resolves with the API base URL. */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /** The next `n` command API calls are answered with `status` (a platform outage). */
  failNext(status: number, n = 1): void {
    for (let i = 0; i < n; i++) this.failures.push(status);
  }

  /** Every command the platform took, in order. */
  commands(): readonly CachedCommand[] {
    return this.cache;
  }

  private find = (platform: NbPlatform, id: string): NbDevice | undefined => {
    const productId = this.options.ctwing?.productId ?? '';
    return this.options.devices.find((d) =>
      platform === 'onenet'
        ? d.imei === id
        : platform === 'ctwing'
          ? d.deviceId === id || `${productId}${d.imei}` === id
          : d.deviceId === id,
    );
  };

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const r: ApiRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://platform.local'),
      headers: req.headers,
      text: Buffer.concat(chunks).toString('utf8'),
    };
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const failing = this.failures.shift();
    if (failing !== undefined) return send(failing, { error: 'simulated platform failure' });
    const out = handleApi(r, this.options, this.find, this.now());
    if ('status' in out) return send(out.status, out.body);
    this.cache.push(out.command);
    this.options.onLog?.(
      `${out.command.platform} command ${out.command.id} cached for ${out.command.device.imei}`,
    );
    send(out.command.platform === 'iotda' ? 201 : 200, out.answer(out.command));
  }

  /** The device reports through `platform`; then it gets its cached commands. */
  async uplink(platform: NbPlatform, imei: string): Promise<PushResult> {
    const pusher = this.pusher(platform);
    const d = this.options.devices.find((x) => x.imei === imei);
    if (!pusher || !d) throw new Error(`no ${platform} device ${imei}`);
    return pusher.pushDevice(d);
  }

  /** Every device reports once through `platform`. */
  async uplinkAll(platform: NbPlatform): Promise<PushResult[]> {
    const out: PushResult[] = [];
    for (const d of this.options.devices) out.push(await this.uplink(platform, d.imei));
    return out;
  }

  /** Marks every pending command past its expiry `expired` and pushes that result. */
  async expireDue(): Promise<void> {
    const now = this.now();
    for (const c of this.cache)
      if (c.status === 'pending' && now >= c.expiresAt) await this.finish(c, 'expired');
  }

  /** The device is awake after its report: its due commands reach the meter, oldest first. */
  private async deliver(platform: NbPlatform, d: NbDevice): Promise<void> {
    await this.expireDue();
    for (const c of this.cache) {
      if (c.platform !== platform || c.device !== d || c.status !== 'pending') continue;
      const reply = d.source.kind === 'cjt188' ? new Cjt188Device(d.source.meter).handle(c.bytes) : null;
      if (reply) c.reply = bytesToHex(reply);
      this.options.onLog?.(`${platform} command ${c.id} → ${d.imei}: ${c.reply ?? 'no answer'}`);
      await this.finish(c, reply ? 'delivered' : 'failed');
    }
  }

  private async finish(c: CachedCommand, status: 'delivered' | 'expired' | 'failed'): Promise<void> {
    c.status = status;
    const o = this.options;
    const url = o[c.platform]?.pushUrl;
    if (!url) return;
    const body = resultPush(
      { ...c, status },
      { token: o.onenet?.token, productId: o.ctwing?.productId, at: this.now() },
    );
    const r = await postJson(url, body);
    this.results.push({ command: c.id, status: r.status, body });
  }
}
