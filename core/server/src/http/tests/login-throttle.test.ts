import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { throttle } from '../../services/identity/throttle.ts';

let p: TestPlatform;

// the test's requests come through loopback, which is trusted here, so X-Forwarded-For picks the address
beforeAll(async () => {
  p = await startTestPlatform({ QUADMETER_TRUST_PROXY: 'loopback' });
});
afterAll(async () => p?.stop());

function from(ip: string) {
  const c = new Client(p.baseUrl);
  return (body: object) => c.request('POST', '/api/v1/auth/login', body, { 'x-forwarded-for': ip });
}

async function attempts(accountKey: string) {
  const rows = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select ip, ok from login_attempts where account_key = ${accountKey} order by id`),
  );
  return rows as unknown as { ip: string; ok: boolean }[];
}

describe('login throttling', () => {
  it('checks exactly perAccount of 60 concurrent wrong passwords; the rest are throttled unchecked', async () => {
    const attacker = from('203.0.113.7');
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        attacker({ tenant: 'demo', username: 'admin', password: `wrong-guess-${i}` }),
      ),
    );
    const codes = results.map((r) => r.body.error.code);
    expect(codes.filter((c) => c === 'AUTH_INVALID_CREDENTIALS')).toHaveLength(throttle.perAccount);
    expect(codes.filter((c) => c === 'AUTH_THROTTLED')).toHaveLength(60 - throttle.perAccount);
    const rows = await attempts('demo:admin');
    expect(rows).toHaveLength(throttle.perAccount);
    expect(rows.every((r) => r.ip === '203.0.113.7' && r.ok === false)).toBe(true);
  });

  it('keeps refusing the attacker’s address, even with the right password', async () => {
    const r = await from('203.0.113.7')({ tenant: 'demo', username: 'admin', password: p.demo.password });
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('AUTH_THROTTLED');
  });

  it('lets the locked account’s owner in from a clean address with the right password', async () => {
    const r = await from('198.51.100.20')({ tenant: 'demo', username: 'admin', password: p.demo.password });
    expect(r.status).toBe(200);
    expect(r.body.user.username).toBe('admin');
    const rows = await attempts('demo:admin');
    expect(rows.at(-1)).toEqual({ ip: '198.51.100.20', ok: true });
  });

  it('gives a clean address one guess at a locked account, then refuses it', async () => {
    const stranger = from('198.51.100.99');
    const first = await stranger({ tenant: 'demo', username: 'admin', password: 'one-more-guess' });
    expect(first.body.error.code).toBe('AUTH_INVALID_CREDENTIALS');
    const second = await stranger({ tenant: 'demo', username: 'admin', password: p.demo.password });
    expect(second.body.error.code).toBe('AUTH_THROTTLED');
  });
});
