/**
 * A loopback sandbox of the WeChat official-account API, as far as template messages need it
 * (/work/shared/INTEGRATIONS.md §1.2–1.3): `GET /cgi-bin/token` issues access_tokens that expire,
 * a new fetch makes the previous token invalid after a 5-minute overlap, and `POST
 * /cgi-bin/message/template/send` checks the token, the template id, the openid and the data,
 * answers a 64-bit msgid and records the delivery. It can be told to fail the next calls (busy,
 * rate limits, any errcode, an HTTP status, or an answer that comes late). Errors are HTTP 200 `{errcode, errmsg}` with a
 * per-request `rid` suffix in errmsg, like the real service.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WechatSandboxOptions {
  /** appid → AppSecret */
  apps?: Record<string, string>;
  /** template ids the account has added */
  templates?: string[];
  /** openids that follow the account; any other well-formed openid answers 40003 */
  followers?: string[];
  /** openids that once followed and left (43004) */
  unfollowed?: string[];
  /** followers that refuse the account's messages (43101) */
  refusing?: string[];
  /** access_token lifetime in seconds (default 7200) */
  tokenTtlSec?: number;
  /** template messages per day before 45009 (default unlimited) */
  dailyQuota?: number;
  now?: () => number;
}

export interface SandboxDelivery {
  msgid: string;
  appid: string;
  touser: string;
  template_id: string;
  url?: string;
  miniprogram?: { appid: string; pagepath: string };
  client_msg_id?: string;
  data: Record<string, { value: string; color?: string }>;
  at: number;
}

export type InjectedFailure = { errcode: number; errmsg?: string } | { status: number } | { hangMs: number };

interface IssuedToken {
  value: string;
  appid: string;
  issuedAt: number;
  expiresAt: number;
}

/** Real tokens are long opaque strings (stored in ≥ 512 chars); these are 136. */
const newToken = () => randomBytes(102).toString('base64url');
const rid = () =>
  `rid: ${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
/** openids are 28 characters of base64url */
const OPENID = /^[A-Za-z0-9_-]{28}$/;
const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40036: 'invalid template_id size',
  40037: 'invalid template_id',
  40125: 'invalid appsecret',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  42001: 'access_token expired',
  43004: 'require subscribe',
  43101: 'user refuse to accept the msg',
  44002: 'empty post data',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  47001: 'data format error',
  47003: 'argument invalid! data.value invalid',
};
const REUSE_GRACE_MS = 300_000;

export class WechatSandbox {
  readonly deliveries: SandboxDelivery[] = [];
  /** every call by path: how many token fetches and send requests arrived */
  readonly calls = { token: 0, send: 0 };
  private readonly apps: Map<string, string>;
  private readonly templates: Set<string>;
  private readonly followers: Set<string>;
  private readonly unfollowed: Set<string>;
  private readonly refusing: Set<string>;
  private readonly tokens = new Map<string, IssuedToken>();
  /** appid → the newest token's value */
  private readonly latest = new Map<string, string>();
  private readonly failures: { stage: 'token' | 'send'; failure: InjectedFailure }[] = [];
  /** (appid, touser, client_msg_id) → msgid of the first send */
  private readonly seenClientIds = new Map<string, string>();
  private nextMsgId = 3_717_005_636_572_528_642n;
  private readonly now: () => number;
  private server: Server | undefined;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  url = '';

  private readonly options: WechatSandboxOptions;

  constructor(options: WechatSandboxOptions = {}) {
    this.options = options;
    this.apps = new Map(Object.entries(options.apps ?? {}));
    this.templates = new Set(options.templates ?? []);
    this.followers = new Set(options.followers ?? []);
    this.unfollowed = new Set(options.unfollowed ?? []);
    this.refusing = new Set(options.refusing ?? []);
    this.now = options.now ?? Date.now;
  }

  static async start(options: WechatSandboxOptions = {}): Promise<WechatSandbox> {
    const s = new WechatSandbox(options);
    await s.listen();
    return s;
  }

  async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next `times` calls of `stage` fail as given (queued after earlier instructions). */
  failNext(failure: InjectedFailure, times = 1, stage: 'token' | 'send' = 'send'): void {
    for (let i = 0; i < times; i++) this.failures.push({ stage, failure });
  }

  /** Every token issued so far is past its lifetime (sends answer 42001). */
  expireTokens(): void {
    const t = this.now();
    for (const tok of this.tokens.values()) tok.expiresAt = Math.min(tok.expiresAt, t - 1);
  }

  /** As if another server fetched a token and the overlap passed: older tokens answer 40001. */
  rotateTokens(): void {
    for (const appid of this.apps.keys()) {
      this.issue(appid);
      for (const tok of this.tokens.values())
        if (tok.appid === appid && tok.value !== this.latest.get(appid)) tok.expiresAt = this.now() - 1;
    }
  }

  follow(openid: string): void {
    this.followers.add(openid);
    this.unfollowed.delete(openid);
  }

  unfollow(openid: string): void {
    if (this.followers.delete(openid)) this.unfollowed.add(openid);
  }

  private issue(appid: string): IssuedToken {
    const t = this.now();
    const tok = {
      value: newToken(),
      appid,
      issuedAt: t,
      expiresAt: t + (this.options.tokenTtlSec ?? 7200) * 1000,
    };
    // the previous token keeps working for the overlap only
    const prev = this.tokens.get(this.latest.get(appid) ?? '');
    if (prev) prev.expiresAt = Math.min(prev.expiresAt, t + REUSE_GRACE_MS);
    this.tokens.set(tok.value, tok);
    this.latest.set(appid, tok.value);
    return tok;
  }

  private injected(stage: 'token' | 'send'): InjectedFailure | undefined {
    const i = this.failures.findIndex((f) => f.stage === stage);
    if (i < 0) return undefined;
    return this.failures.splice(i, 1)[0].failure;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 1_048_576) return void reply(res, 413, 'too large');
      chunks.push(c as Buffer);
    }
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
      this.calls.token++;
      return void this.answer(res, this.injected('token') ?? this.token(url.searchParams));
    }
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/template/send') {
      this.calls.send++;
      const forced = this.injected('send');
      return void this.answer(
        res,
        forced ?? this.send(url.searchParams.get('access_token'), Buffer.concat(chunks).toString('utf8')),
      );
    }
    reply(res, 404, 'not found');
  }

  private answer(res: ServerResponse, out: InjectedFailure | { body: string }): void {
    if ('hangMs' in out) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        reply(res, 200, '{"errcode":-1,"errmsg":"system error"}');
      }, out.hangMs);
      this.timers.add(timer);
    } else if ('status' in out) reply(res, out.status, 'injected failure');
    else if ('errcode' in out) {
      const errmsg = `${out.errmsg ?? ERRMSG[out.errcode] ?? 'error'} ${rid()}`;
      reply(res, 200, JSON.stringify({ errcode: out.errcode, errmsg }));
    } else reply(res, 200, out.body);
  }

  private token(q: URLSearchParams): InjectedFailure | { body: string } {
    const appid = q.get('appid');
    const secret = q.get('secret');
    if (q.get('grant_type') !== 'client_credential') return { errcode: 40002 };
    if (!appid) return { errcode: 41002 };
    if (!secret) return { errcode: 41004 };
    const known = this.apps.get(appid);
    if (known === undefined) return { errcode: 40013 };
    if (known !== secret) return { errcode: 40125 };
    const tok = this.issue(appid);
    return {
      body: JSON.stringify({
        access_token: tok.value,
        expires_in: Math.round((tok.expiresAt - tok.issuedAt) / 1000),
      }),
    };
  }

  /** The token's account, or the errcode a call with it gets (42001 expired, 40001 replaced). */
  private checkToken(value: string | null): { appid: string } | { errcode: number } {
    if (!value) return { errcode: 41001 };
    const tok = this.tokens.get(value);
    if (!tok) return { errcode: 40001 };
    const t = this.now();
    const latest = this.latest.get(tok.appid) === value;
    if (t >= tok.expiresAt) return { errcode: latest ? 42001 : 40001 };
    return { appid: tok.appid };
  }

  private send(token: string | null, text: string): InjectedFailure | { body: string } {
    const who = this.checkToken(token);
    if ('errcode' in who) return who;
    if (text.trim() === '') return { errcode: 44002 };
    let b: Record<string, unknown>;
    try {
      const v = JSON.parse(text);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return { errcode: 47001 };
      b = v;
    } catch {
      return { errcode: 47001 };
    }
    const templateId = b.template_id;
    if (typeof templateId !== 'string' || templateId === '') return { errcode: 40037 };
    if (templateId.length > 64) return { errcode: 40036 };
    if (!this.templates.has(templateId)) return { errcode: 40037 };
    const touser = b.touser;
    if (typeof touser !== 'string' || !OPENID.test(touser)) return { errcode: 40003 };
    if (this.unfollowed.has(touser)) return { errcode: 43004 };
    if (!this.followers.has(touser)) return { errcode: 40003 };
    if (this.refusing.has(touser)) return { errcode: 43101 };
    const data = b.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return { errcode: 47003 };
    for (const v of Object.values(data)) {
      const value = (v as { value?: unknown } | null)?.value;
      if (typeof value !== 'string') return { errcode: 47003 };
    }
    const mp = b.miniprogram as { appid?: unknown; pagepath?: unknown } | undefined;
    if (mp !== undefined && (typeof mp !== 'object' || mp === null || typeof mp.appid !== 'string'))
      return { errcode: 47001 };
    const cmid = typeof b.client_msg_id === 'string' ? b.client_msg_id : undefined;
    const dedupKey = cmid === undefined ? undefined : `${who.appid}\u0000${touser}\u0000${cmid}`;
    const again = dedupKey === undefined ? undefined : this.seenClientIds.get(dedupKey);
    // ⚠️ the real behaviour on a repeated client_msg_id is not documented where found: the
    // sandbox answers the first msgid and delivers nothing new
    if (again !== undefined) return { body: `{"errcode":0,"errmsg":"ok","msgid":${again}}` };
    const quota = this.options.dailyQuota;
    const today = Math.floor(this.now() / 86_400_000);
    if (
      quota !== undefined &&
      this.deliveries.filter((d) => Math.floor(d.at / 86_400_000) === today).length >= quota
    )
      return { errcode: 45009 };
    const msgid = String(this.nextMsgId++);
    if (dedupKey !== undefined) this.seenClientIds.set(dedupKey, msgid);
    this.deliveries.push({
      msgid,
      appid: who.appid,
      touser,
      template_id: templateId,
      ...(typeof b.url === 'string' && { url: b.url }),
      ...(mp && { miniprogram: { appid: String(mp.appid), pagepath: String(mp.pagepath ?? '') } }),
      ...(cmid !== undefined && { client_msg_id: cmid }),
      data: data as SandboxDelivery['data'],
      at: this.now(),
    });
    // msgid above 2^53, written as a bare JSON number like the real service
    return { body: `{"errcode":0,"errmsg":"ok","msgid":${msgid}}` };
  }
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': status === 200 ? 'application/json; encoding=utf-8' : 'text/plain',
  });
  res.end(body);
}
