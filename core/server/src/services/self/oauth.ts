import { AppError } from '@quadmeter/sdk';
import { z } from 'zod';

/** The official account's web authorisation (网页授权) settings: QUADMETER_SELF_OAUTH. */
const OAuthConfig = z.object({
  /** https://open.weixin.qq.com in production; the loopback sandbox in tests and the demo */
  endpoint: z.url({ protocol: /^https?$/ }),
  /** the API host for the code exchange; defaults to the endpoint (the sandbox serves both) */
  apiEndpoint: z.url({ protocol: /^https?$/ }).optional(),
  appid: z.string().regex(/^[0-9A-Za-z_-]{4,64}$/),
  secret: z.string().min(8).max(128),
});
export type OAuthConfig = z.infer<typeof OAuthConfig>;

export function oauthConfig(raw: string | undefined): OAuthConfig {
  if (!raw) throw new AppError('SELF_OAUTH_UNCONFIGURED');
  try {
    return OAuthConfig.parse(JSON.parse(raw));
  } catch {
    throw new AppError('SELF_OAUTH_UNCONFIGURED', 'QUADMETER_SELF_OAUTH is not valid');
  }
}

/** Where the customer's browser goes to authorise silently (snsapi_base: openid only, no prompt). */
export function authorizeUrl(cfg: OAuthConfig, redirectUri: string, state: string): string {
  const q = new URLSearchParams({
    appid: cfg.appid,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'snsapi_base',
    state,
  });
  return `${cfg.endpoint.replace(/\/$/, '')}/connect/oauth2/authorize?${q}#wechat_redirect`;
}

const TokenAnswer = z.object({
  openid: z.string().regex(/^[0-9A-Za-z_-]{6,64}$/),
  access_token: z.string().min(1),
});

/** Exchanges the one-time code for the openid (sns/oauth2/access_token); any refusal is SELF_OAUTH_FAILED. */
export async function exchangeCode(cfg: OAuthConfig, code: string): Promise<string> {
  const q = new URLSearchParams({
    appid: cfg.appid,
    secret: cfg.secret,
    code,
    grant_type: 'authorization_code',
  });
  const base = (cfg.apiEndpoint ?? cfg.endpoint).replace(/\/$/, '');
  let body: unknown;
  try {
    const res = await fetch(`${base}/sns/oauth2/access_token?${q}`, { signal: AbortSignal.timeout(10_000) });
    body = await res.json();
  } catch (err) {
    throw new AppError('SELF_OAUTH_FAILED', 'The authorisation server did not answer', undefined, {
      cause: err,
    });
  }
  const ok = TokenAnswer.safeParse(body);
  if (!ok.success) {
    const errcode = (body as { errcode?: unknown } | null)?.errcode;
    throw new AppError('SELF_OAUTH_FAILED', undefined, {
      errcode: typeof errcode === 'number' ? errcode : null,
    });
  }
  return ok.data.openid;
}
