import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OAuthSandbox {
  url: string;
  appid: string;
  secret: string;
  /** the QUADMETER_SELF_OAUTH value that points the platform at this sandbox */
  config: string;
  /** codes issued and exchanged, for tests */
  stats(): { issued: number; exchanged: number; refused: number };
  close(): Promise<void>;
}

/**
 * A loopback stand-in for WeChat's web authorisation (网页授权, snsapi_base): /connect/oauth2/authorize
 * redirects back with a one-time code (5 minutes), /sns/oauth2/access_token exchanges it once for
 * the openid. The "WeChat user" is the browser: a cookie the sandbox sets on first visit, so the
 * same browser is the same openid next time (a returning customer), another browser another one.
 * `?sandbox_user=` names the user explicitly (HTTP tests).
 */
export async function startOAuthSandbox(o: { appid?: string; secret?: string } = {}): Promise<OAuthSandbox> {
  const appid = o.appid ?? 'wx5a4d3c2b1a000001';
  const secret = o.secret ?? randomBytes(16).toString('hex');
  const codes = new Map<string, { openid: string; expires: number }>();
  const counts = { issued: 0, exchanged: 0, refused: 0 };
  const openidOf = (user: string) =>
    `o${createHash('sha256').update(`${appid}:${user}`).digest('base64url').slice(0, 27)}`;

  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://sandbox');
    if (u.pathname === '/connect/oauth2/authorize') {
      const redirect = u.searchParams.get('redirect_uri') ?? '';
      if (u.searchParams.get('appid') !== appid || !/^https?:\/\//.test(redirect)) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('redirect_uri or appid invalid');
        return;
      }
      const cookie = /(?:^|;\s*)sb_wx_user=([0-9a-f]{32})/.exec(req.headers.cookie ?? '')?.[1];
      const user = u.searchParams.get('sandbox_user') ?? cookie ?? randomBytes(16).toString('hex');
      const code = randomBytes(16).toString('hex');
      codes.set(code, { openid: openidOf(user), expires: Date.now() + 300_000 });
      counts.issued++;
      const back = new URL(redirect);
      back.searchParams.set('code', code);
      back.searchParams.set('state', u.searchParams.get('state') ?? '');
      const headers: Record<string, string> = { location: back.toString() };
      if (!cookie && /^[0-9a-f]{32}$/.test(user))
        headers['set-cookie'] = `sb_wx_user=${user}; Path=/; HttpOnly`;
      res.writeHead(302, headers);
      res.end();
      return;
    }
    if (u.pathname === '/sns/oauth2/access_token') {
      const code = u.searchParams.get('code') ?? '';
      const had = codes.get(code);
      codes.delete(code);
      if (
        u.searchParams.get('appid') !== appid ||
        u.searchParams.get('secret') !== secret ||
        u.searchParams.get('grant_type') !== 'authorization_code' ||
        !had ||
        had.expires < Date.now()
      ) {
        counts.refused++;
        json(res, { errcode: 40029, errmsg: 'invalid code' });
        return;
      }
      counts.exchanged++;
      json(res, {
        access_token: randomBytes(24).toString('hex'),
        expires_in: 7200,
        refresh_token: randomBytes(24).toString('hex'),
        openid: had.openid,
        scope: 'snsapi_base',
      });
      return;
    }
    res.writeHead(404);
    res.end();
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    appid,
    secret,
    config: JSON.stringify({ endpoint: url, appid, secret }),
    stats: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
