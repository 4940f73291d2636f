import { createServer, type Server, type Socket } from 'node:net';
import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import type { CoreApi, GatewayAddress, Logger } from '@quadmeter/sdk';
import type { Gdw1376Config } from './config.ts';
import { gatewayKey } from './gateway.ts';
import { type LinkHost, onLinkFrame } from './link.ts';
import { Session } from './session.ts';

/** Largest frame a terminal may send us (a noise 68 claiming more is skipped sooner). */
const MAX_USER_DATA = 8192;

/**
 * The master station front end: a TCP server concentrators dial into. It keeps one session per
 * connection and a table from A1/A2 to the logged-in session; one sweep timer drops links that
 * stopped talking (heartbeat timeout) or never logged in.
 */
export class MasterStation implements LinkHost {
  readonly config: Gdw1376Config;
  readonly core: CoreApi;
  readonly logger: Logger;
  private readonly server: Server;
  private readonly sessions = new Set<Session>();
  private readonly byGateway = new Map<string, Session>();
  private sweepTimer: NodeJS.Timeout | undefined;
  /** offline records under way: close waits for them, so a stopping platform keeps its pool till then */
  private readonly recording = new Set<Promise<void>>();
  /** frames that did not decode, and bytes of garbage skipped */
  stats = { badFrames: 0 };

  constructor(config: Gdw1376Config, core: CoreApi, logger: Logger) {
    this.config = config;
    this.core = core;
    this.logger = logger;
    this.server = createServer((s) => this.onConnection(s));
    this.server.on('error', (e) => this.logger.error({ err: e.message }, 'master station server error'));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.port, this.config.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), this.config.sweepIntervalSec * 1000);
    this.sweepTimer.unref();
    this.logger.info({ port: this.port }, 'master station listening');
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  get connections(): number {
    return this.sessions.size;
  }

  get online(): number {
    return this.byGateway.size;
  }

  /** The logged-in session of a concentrator, if it is connected. */
  session(gw: GatewayAddress): Session | undefined {
    const s = this.byGateway.get(gatewayKey(gw));
    return s && !s.closed ? s : undefined;
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    const closing = new Promise<void>((r) => this.server.close(() => r()));
    const links = [...this.sessions].map(
      (s) => new Promise<void>((r) => (s.socket.closed ? r() : s.socket.once('close', () => r()))),
    );
    for (const s of this.sessions) s.socket.destroy();
    await Promise.all([closing, ...links]);
    while (this.recording.size > 0) await Promise.all(this.recording);
  }

  private onConnection(socket: Socket): void {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    const session = new Session(socket, gdw.extractor({ maxUserData: MAX_USER_DATA }), Date.now());
    this.sessions.add(session);
    socket.on('data', (chunk: Buffer) => this.onData(session, chunk));
    socket.on('error', () => {}); // 'close' follows
    socket.on('close', () => this.onClose(session));
  }

  private onData(session: Session, chunk: Buffer): void {
    session.lastSeen = Date.now();
    for (const bytes of session.frames(chunk)) {
      let f: gdw.GdwFrame;
      try {
        f = gdw.decodeFrame(bytes);
      } catch (e) {
        this.stats.badFrames++;
        this.logger.debug({ gateway: session.key, err: (e as Error).message }, 'undecodable frame dropped');
        continue;
      }
      if (f.dir !== 'up') continue;
      if (f.afn === '02' && f.prm) {
        void onLinkFrame(this, session, f);
        continue;
      }
      const own =
        session.gateway &&
        gatewayKey(session.gateway) === gatewayKey({ a1: f.address.A1_region, a2: f.address.A2_terminal });
      if (!f.prm && own) session.onResponse(f);
    }
  }

  bind(session: Session, gw: GatewayAddress, tenantId: string): void {
    const key = gatewayKey(gw);
    if (session.gateway && gatewayKey(session.gateway) !== key) this.unbind(session);
    const old = this.byGateway.get(key);
    if (old && old !== session) {
      this.logger.info({ gateway: key }, 'concentrator logged in on a new link; the old one is closed');
      old.socket.destroy();
    }
    session.gateway = gw;
    session.tenantId = tenantId;
    this.byGateway.set(key, session);
  }

  unbind(session: Session): void {
    if (session.gateway && this.byGateway.get(gatewayKey(session.gateway)) === session)
      this.byGateway.delete(gatewayKey(session.gateway));
    session.gateway = undefined;
  }

  private onClose(session: Session): void {
    session.onClose();
    this.sessions.delete(session);
    const gw = session.gateway;
    if (!gw || this.byGateway.get(gatewayKey(gw)) !== session) return;
    this.byGateway.delete(gatewayKey(gw));
    this.logger.info({ gateway: gatewayKey(gw) }, 'concentrator link closed');
    const recorded: Promise<void> = this.core
      .gatewayOnline(gw, false, new Date().toISOString())
      .then(
        () => {},
        (e) =>
          this.logger.error({ gateway: gatewayKey(gw), err: (e as Error).message }, 'offline not recorded'),
      )
      .finally(() => this.recording.delete(recorded));
    this.recording.add(recorded);
  }

  /** The one timer: drops silent logged-in links and connections that never logged in. */
  sweep(now: number): void {
    const heartbeat = this.config.heartbeatTimeoutSec * 1000;
    const login = this.config.loginTimeoutSec * 1000;
    for (const s of this.sessions) {
      const late = s.gateway ? now - s.lastSeen > heartbeat : now - s.openedAt > login;
      if (!late) continue;
      this.logger.info(
        { gateway: s.key },
        s.gateway ? 'heartbeat timeout; link dropped' : 'no login; link dropped',
      );
      s.socket.destroy();
    }
  }
}
