import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';

let direct: TestPlatform; // trusts no proxy (the default)
let proxied: TestPlatform; // trusts loopback, where the test's requests come from

beforeAll(async () => {
  [direct, proxied] = await Promise.all([
    startTestPlatform(),
    startTestPlatform({ QUADMETER_TRUST_PROXY: 'loopback' }),
  ]);
});
afterAll(async () => {
  await Promise.all([direct?.stop(), proxied?.stop()]);
});

async function loginVia(p: TestPlatform, headers: Record<string, string>, password = p.demo.password) {
  const c = new Client(p.baseUrl);
  const r = await c.request(
    'POST',
    '/api/v1/auth/login',
    { tenant: 'demo', username: 'admin', password },
    headers,
  );
  return { c, r };
}

async function lastAttemptIp(p: TestPlatform): Promise<string> {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select ip from login_attempts order by id desc limit 1`),
  );
  return (row as { ip: string }).ip;
}

async function lastLoginAuditIp(c: Client): Promise<string> {
  const log = await c.get('/api/v1/audit?action=auth.login');
  return log.body.items[0].ip;
}

describe('X-Forwarded-* from an untrusted peer', () => {
  it('ignores a forged X-Forwarded-For: throttle and audit keep the socket address', async () => {
    const { c, r } = await loginVia(direct, { 'x-forwarded-for': '198.51.100.1' });
    expect(r.status).toBe(200);
    expect(await lastAttemptIp(direct)).toBe('127.0.0.1');
    expect(await lastLoginAuditIp(c)).toBe('127.0.0.1');
  });

  it('ignores X-Forwarded-Proto: https, so the cookie is not Secure and no HSTS is sent', async () => {
    const { r } = await loginVia(direct, { 'x-forwarded-proto': 'https' });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toMatch(/^qm_session=/);
    expect(r.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    expect(r.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('X-Forwarded-* from a trusted proxy', () => {
  it('takes the right-most untrusted X-Forwarded-For address as the client', async () => {
    const { c, r } = await loginVia(proxied, { 'x-forwarded-for': '192.0.2.66, 198.51.100.2, 127.0.0.1' });
    expect(r.status).toBe(200);
    expect(await lastAttemptIp(proxied)).toBe('198.51.100.2');
    expect(await lastLoginAuditIp(c)).toBe('198.51.100.2');
  });

  it('honours X-Forwarded-Proto: https with a Secure cookie and HSTS; plain http gets neither', async () => {
    const secure = await loginVia(proxied, { 'x-forwarded-proto': 'https' });
    expect(secure.r.status).toBe(200);
    expect(secure.r.headers.get('set-cookie')).toMatch(/^qm_session=.*;\s*Secure/i);
    expect(secure.r.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const plain = await loginVia(proxied, { 'x-forwarded-proto': 'http' });
    expect(plain.r.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    expect(plain.r.headers.get('strict-transport-security')).toBeNull();
  });
});
