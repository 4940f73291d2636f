import { WechatApiError, type WechatStage, WechatTransportError } from './errors.ts';
import type { WechatSettings } from './settings.ts';

/** How long one API call may take before it counts as a timeout (retryable). */
export const API_TIMEOUT_MS = 10_000;
/** A token is renewed this long before its stated expiry (old and new overlap 5 min on WeChat). */
export const TOKEN_MARGIN_MS = 300_000;
/** errcodes saying the access_token is not (or no longer) valid: refresh and resend once. */
export const TOKEN_INVALID: ReadonlySet<number> = new Set([40001, 40014, 42001]);

export interface TemplateMessage {
  touser: string;
  template_id: string;
  url?: string;
  miniprogram?: { appid: string; pagepath: string };
  client_msg_id: string;
  data: Record<string, { value: string }>;
}

interface Token {
  value: string;
  expiresAt: number;
}

type Answer = { json: Record<string, unknown>; text: string };

async function call(
  stage: WechatStage,
  url: string,
  init: { method: 'GET' | 'POST'; body?: string },
  signal?: AbortSignal,
): Promise<Answer> {
  const timeout = AbortSignal.timeout(API_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: init.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: init.body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'error',
    });
  } catch (e) {
    const why = timeout.aborted ? 'timed out' : e instanceof Error ? e.message : String(e);
    throw new WechatTransportError(stage, `WeChat API not reached: ${why}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new WechatTransportError(stage, `WeChat API answer cut off: ${String(e)}`, res.status);
  }
  if (res.status !== 200)
    throw new WechatTransportError(stage, `WeChat API answered HTTP ${res.status}`, res.status);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new WechatTransportError(stage, 'WeChat API answered without a JSON object', res.status);
  const o = json as Record<string, unknown>;
  // branch on errcode only: errmsg carries per-request suffixes (rid: …)
  if (o.errcode !== undefined && o.errcode !== 0) {
    const code = typeof o.errcode === 'number' ? o.errcode : Number.NaN;
    throw new WechatApiError(stage, code, String(o.errmsg ?? '').slice(0, 200));
  }
  return { json: o, text };
}

/** msgid exceeds 2^53 in real traffic: read its digits from the raw text, never through a double. */
export function msgIdOf(text: string): string | undefined {
  return /"msgid"\s*:\s*"?(\d{1,20})"?/.exec(text)?.[1];
}

/**
 * Template-message calls for any number of official accounts: one access_token per account,
 * fetched by one caller at a time, kept until shortly before it expires, fetched anew when a send
 * says it is invalid or expired (then the send is repeated once).
 */
export class WechatClient {
  private readonly tokens = new Map<string, Token>();
  private readonly fetching = new Map<string, Promise<Token>>();
  /** how many times a token was fetched (for health and tests) */
  tokenFetches = 0;

  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  private key(s: WechatSettings): string {
    return `${s.apiUrl}\u0000${s.appId}\u0000${s.appSecret}`;
  }

  private base(s: WechatSettings): string {
    return s.apiUrl.replace(/\/+$/, '');
  }

  async token(s: WechatSettings, signal?: AbortSignal): Promise<string> {
    const key = this.key(s);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - TOKEN_MARGIN_MS > this.now()) return cached.value;
    let pending = this.fetching.get(key);
    if (!pending) {
      pending = this.fetchToken(s, signal).finally(() => this.fetching.delete(key));
      this.fetching.set(key, pending);
    }
    return (await pending).value;
  }

  private async fetchToken(s: WechatSettings, signal?: AbortSignal): Promise<Token> {
    const q = new URLSearchParams({ grant_type: 'client_credential', appid: s.appId, secret: s.appSecret });
    this.tokenFetches++;
    const { json } = await call('token', `${this.base(s)}/cgi-bin/token?${q}`, { method: 'GET' }, signal);
    const value = json.access_token;
    const ttl = json.expires_in;
    if (typeof value !== 'string' || value === '' || typeof ttl !== 'number' || !(ttl > 0))
      throw new WechatTransportError('token', 'WeChat token answer lacks access_token/expires_in', 200);
    const token = { value, expiresAt: this.now() + ttl * 1000 };
    this.tokens.set(this.key(s), token);
    return token;
  }

  /** Forgets the token when it is still the one a failed call used (a newer one stays). */
  private forget(s: WechatSettings, used: string): void {
    const key = this.key(s);
    if (this.tokens.get(key)?.value === used) this.tokens.delete(key);
  }

  /** Sends one template message; answers the provider's msgid (digits, as a string). */
  async sendTemplate(
    s: WechatSettings,
    message: TemplateMessage,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const body = JSON.stringify(message);
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(s, signal);
      const url = `${this.base(s)}/cgi-bin/message/template/send?access_token=${encodeURIComponent(token)}`;
      try {
        const { text } = await call('send', url, { method: 'POST', body }, signal);
        return msgIdOf(text);
      } catch (e) {
        if (e instanceof WechatApiError && TOKEN_INVALID.has(e.errcode)) {
          this.forget(s, token);
          if (attempt === 0) continue;
        }
        throw e;
      }
    }
  }

  clear(): void {
    this.tokens.clear();
  }
}
