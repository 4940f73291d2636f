import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import type { OAuthSandbox } from '../../services/self/oauth-sandbox.ts';

/** A customer's browser for the self-service API: keeps the qm_self cookie, no CSRF token. */
export class SelfClient {
  cookie = '';
  readonly baseUrl: string;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { ...(this.cookie && { cookie: this.cookie }), ...headers };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { raw: text };
    }
    return { status: res.status, body: json, headers: res.headers };
  }
  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body?: unknown) {
    return this.request('POST', path, body ?? {});
  }
  delete(path: string) {
    return this.request('DELETE', path);
  }
}

const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];

/** Signs in through the web authorisation flow against the sandbox as WeChat user `user`. */
export async function customerLogin(p: TestPlatform, sb: OAuthSandbox, tenant: string, user: string) {
  const start = await fetch(`${p.baseUrl}/api/v1/self/oauth/start?tenant=${tenant}`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const state = cookieOf(start, 'qm_self_state');
  const authorize = new URL(start.headers.get('location') ?? '');
  expect(authorize.origin).toBe(sb.url);
  authorize.searchParams.set('sandbox_user', user);
  const wx = await fetch(authorize, { redirect: 'manual' });
  expect(wx.status).toBe(302);
  const back = await fetch(wx.headers.get('location') ?? '', {
    redirect: 'manual',
    headers: { cookie: state ?? '' },
  });
  expect(back.status, await back.clone().text()).toBe(302);
  expect(back.headers.get('location')).toBe('/my/');
  const c = new SelfClient(p.baseUrl);
  c.cookie = cookieOf(back, 'qm_self') ?? '';
  expect(c.cookie).toMatch(/^qm_self=/);
  return c;
}

/** The verification code in the newest SMS queued for the account (the delivered message's text). */
export async function smsCode(p: TestPlatform, accountId: string): Promise<string> {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute<{ body: string; channel: string }>(sql`select body, channel from notify_outbox
      where account_id = ${accountId} and event = 'self-verify-code' order by id desc limit 1`),
  );
  expect(row?.channel).toBe('sms');
  const code = /验证码 (\d{6})/.exec(row?.body ?? '')?.[1];
  if (!code) throw new Error(`no code in ${row?.body}`);
  return code;
}

/** Row counts of everything a self-service request can write, over all tenants. */
export async function selfCounts(p: TestPlatform) {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from self_identities)::int as identities,
      (select count(*) from self_bindings)::int as bindings,
      (select count(*) from self_codes)::int as codes,
      (select coalesce(sum(attempts), 0) from self_codes)::int as attempts,
      (select count(*) from notify_outbox)::int as outbox,
      (select count(*) from payment_orders)::int as orders,
      (select count(*) from payments)::int as payments,
      (select count(*) from documents)::int as documents,
      (select count(*) from audit_log)::int as audit`),
  );
  return row as Record<string, number>;
}

/** Binds the account to the customer by SMS code (send, read the SMS, check). */
export async function bindBySms(p: TestPlatform, c: SelfClient, accountId: string, number: string) {
  const sent = await c.post('/api/v1/self/codes', { accountNumber: number });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  const bound = await c.post('/api/v1/self/bindings', {
    accountNumber: number,
    code: await smsCode(p, accountId),
  });
  expect(bound.status, JSON.stringify(bound.body)).toBe(201);
  return bound.body as { id: string; balanceFen: string };
}
