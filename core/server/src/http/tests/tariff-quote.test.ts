import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { exampleJson } from '../../services/billing/tariff/examples.ts';
import { demoAreas, otherTenant, tokenClient, userWith } from './archive-fixtures.ts';

// POST /api/v1/tariffs/quote prices a tariff given in the body: nothing is read from or written to
// the estate, so the tests check that the answer is the same for everyone allowed, that the
// others are refused, and that bad input answers a stable 4xx with nothing written.

let p: TestPlatform;
let admin: Client;
let other: Client;
const tariff = exampleJson('beijing-electricity-annual');
const usage = { period: { from: '2024-01-01', to: '2025-01-01' }, consumption: '3500' };
const E1 = 174005;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  other = await otherTenant(p);
});
afterAll(async () => p?.stop());

/** Rows of every table of the public schema but the session tables, over all tenants. */
async function rowCounts(): Promise<Record<string, number>> {
  return await withSystem(p.running.platform.db, async (tx) => {
    const tables = await tx.execute<{ name: string }>(
      sql`select tablename as name from pg_tables where schemaname = 'public'
        and tablename not in ('sessions', 'login_attempts') order by 1`,
    );
    const out: Record<string, number> = {};
    for (const { name } of tables) {
      const [row] = await tx.execute<{ n: number }>(
        sql`select count(*)::int as n from ${sql.identifier(name)}`,
      );
      out[name] = row.n;
    }
    return out;
  });
}

const quote = (c: Client, body: unknown) => c.post('/api/v1/tariffs/quote', body);

describe('POST /tariffs/quote across tenants and areas', () => {
  it('gives another tenant the same answer for the same body and stores nothing for either', async () => {
    const before = await rowCounts();
    const mine = await quote(admin, { tariff, usage });
    const theirs = await quote(other, { tariff, usage });
    expect(mine.status).toBe(200);
    expect(theirs.status).toBe(200);
    expect(mine.body.totalFen).toBe(E1);
    expect(theirs.body).toEqual(mine.body);
    expect(await rowCounts()).toEqual(before);
  });

  it('answers a user scoped to one area the same as a tenant-wide one (it reads no estate data)', async () => {
    const areas = await demoAreas(admin);
    const scoped = await userWith(p, admin, 'tq-area', ['billing.read'], [areas['3号楼'].id]);
    const r = await quote(scoped, { tariff, usage });
    expect(r.status).toBe(200);
    expect(r.body.totalFen).toBe(E1);
  });
});

describe('POST /tariffs/quote privileges', () => {
  it('needs tariffs.manage or billing.read', async () => {
    const designer = await userWith(p, admin, 'tq-design', ['tariffs.manage']);
    const cashier = await loggedIn(p.baseUrl, 'demo', 'tq-cashier', 'x').catch(() => undefined);
    expect(cashier).toBeUndefined(); // no such user yet: the built-in cashier role is tried next
    const roles = (await admin.get('/api/v1/roles')).body.items as { id: string; builtinKey?: string }[];
    const cashierRole = roles.find((r) => r.builtinKey === 'cashier')!;
    const made = await admin.post('/api/v1/users', {
      username: 'tq-cashier',
      displayName: 'tq-cashier',
      password: 'tq-cashier-password-1',
      roleIds: [cashierRole.id],
      areaIds: [],
    });
    expect(made.status).toBe(201);
    const builtinCashier = await loggedIn(p.baseUrl, 'demo', 'tq-cashier', 'tq-cashier-password-1');
    const reader = await userWith(p, admin, 'tq-reader', ['meters.read', 'customers.read', 'billing.run']);
    for (const c of [designer, builtinCashier, await tokenClient(p, admin, ['billing.read'])]) {
      const r = await quote(c, { tariff, usage });
      expect(r.status).toBe(200);
      expect(r.body.totalFen).toBe(E1);
    }
    for (const c of [reader, await tokenClient(p, admin, ['meters.read'])]) {
      const r = await quote(c, { tariff, usage });
      expect(r.status).toBe(403);
      expect(r.body.error).toMatchObject({
        code: 'AUTH_FORBIDDEN',
        details: { permission: 'tariffs.manage|billing.read' },
      });
    }
    const anonymous = await fetch(`${p.baseUrl}/api/v1/tariffs/quote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tariff, usage }),
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('AUTH_REQUIRED');
  });
});

describe('POST /tariffs/quote bad input', () => {
  const withTariff = (patch: (t: any) => void) => {
    const t = structuredClone(tariff) as any;
    patch(t);
    return { tariff: t, usage };
  };
  const withUsage = (u: unknown) => ({ tariff, usage: u });
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  it('answers a stable 4xx code for each and writes nothing', async () => {
    const before = await rowCounts();
    const cases: [unknown, number, string][] = [
      [{}, 400, 'REQ_VALIDATION'],
      [{ tariff }, 400, 'REQ_VALIDATION'],
      [{ tariff, usage, extra: 1 }, 400, 'REQ_VALIDATION'],
      [[tariff, usage], 400, 'REQ_VALIDATION'],
      [{ tariff: 'bj', usage }, 400, 'TARIFF_INVALID'],
      [{ tariff: null, usage }, 400, 'TARIFF_INVALID'],
      [withTariff((t) => (t.formatVersion = 2)), 400, 'TARIFF_INVALID'],
      [withTariff((t) => (t.code = 'bj\u0000')), 400, 'TARIFF_INVALID'],
      [withTariff((t) => (t.name.en = 'Beijing\u0000')), 400, 'TARIFF_INVALID'],
      [withTariff((t) => (t.versions[0].version = '2012\u0000')), 400, 'TARIFF_INVALID'],
      [
        withTariff((t) => (t.versions[0].components[0].tiers.prices[0] = '0.4883\u0000')),
        400,
        'TARIFF_INVALID',
      ],
      [withTariff((t) => (t.versions[0].components[0].tiers.prices[0] = 1e308)), 400, 'TARIFF_INVALID'],
      [withTariff((t) => (t.versions[0].components[0].tiers.prices[0] = '1e3')), 400, 'TARIFF_INVALID'],
      [
        withTariff((t) => (t.versions[0].components[0].tiers.prices[0] = '0.12345678')),
        400,
        'TARIFF_INVALID',
      ],
      [withTariff((t) => (t.versions[0].components[0].tiers.prices[0] = -0.5)), 400, 'TARIFF_INVALID'],
      [
        withTariff((t) => (t.versions[0].components[0].tiers.thresholds = ['4800', '2880'])),
        400,
        'TARIFF_INVALID',
      ],
      [
        withTariff((t) => (t.versions = Array.from({ length: 101 }, () => t.versions[0]))),
        400,
        'TARIFF_INVALID',
      ],
      [withUsage({ ...usage, consumption: '3500\u0000' }), 400, 'TARIFF_USAGE_INVALID'],
      [withUsage({ ...usage, consumption: '99999999999999999999' }), 400, 'TARIFF_USAGE_INVALID'],
      [withUsage({ ...usage, consumption: 1e21 }), 400, 'TARIFF_USAGE_INVALID'],
      [withUsage({ ...usage, consumption: -1 }), 400, 'TARIFF_USAGE_INVALID'],
      [withUsage({ ...usage, consumption: true }), 400, 'TARIFF_USAGE_INVALID'],
      [
        withUsage({ ...usage, period: { from: '2024-02-30', to: '2025-01-01' } }),
        400,
        'TARIFF_USAGE_INVALID',
      ],
      [
        withUsage({ ...usage, period: { from: '2020-01-01', to: '2025-01-01' } }),
        400,
        'TARIFF_USAGE_INVALID',
      ],
      [
        withUsage({ ...usage, period: { from: '0099-01-01', to: '0099-02-01' } }),
        400,
        'TARIFF_USAGE_INVALID',
      ],
      [
        withUsage({ ...usage, period: { from: '2024-01-01', to: '2024-01-01' } }),
        400,
        'TARIFF_USAGE_INVALID',
      ],
      [withUsage({ ...usage, householdSize: 2.5 }), 400, 'TARIFF_USAGE_INVALID'],
      [withUsage({ ...usage, bands: { peak: '1' } }), 400, 'TARIFF_USAGE_INVALID'],
      [withUsage({ period: usage.period }), 400, 'TARIFF_USAGE_INVALID'],
      [
        withUsage({
          ...usage,
          daily: Array.from({ length: 801 }, () => ({ date: '2024-01-01', consumption: '1' })),
        }),
        400,
        'TARIFF_USAGE_INVALID',
      ],
      // a quarter starting mid-cycle must say what the cycle used before it
      [
        withUsage({ period: { from: '2024-04-01', to: '2024-07-01' }, consumption: '900' }),
        400,
        'TARIFF_USAGE_INVALID',
      ],
      [
        withUsage({ period: { from: '2011-01-01', to: '2011-02-01' }, consumption: '1' }),
        422,
        'TARIFF_NOT_IN_FORCE',
      ],
      [
        {
          tariff: withTariff(
            (t) =>
              (t.versions[0].components[0] = {
                ...t.versions[0].components[0],
                tiers: undefined,
                price: '100000',
              }),
          ).tariff,
          usage: { ...usage, consumption: '1000000000' },
        },
        422,
        'TARIFF_AMOUNT_TOO_LARGE',
      ],
    ];
    for (const [body, status, code] of cases) {
      const r = await quote(admin, body);
      expect([r.status, r.body?.error?.code], JSON.stringify(body).slice(0, 200)).toEqual([status, code]);
    }
    const raw = (body: string, type = 'application/json') =>
      admin.request('POST', '/api/v1/tariffs/quote', body, { 'content-type': type });
    const rawCases: [Promise<{ status: number; body: any }>, number, string][] = [
      [raw('{"tariff":'), 400, 'REQ_JSON_MALFORMED'],
      [raw(JSON.stringify({ tariff, usage }), 'text/plain'), 415, 'REQ_UNSUPPORTED_MEDIA'],
      [raw(`{"tariff":${deep(200_000)},"usage":{}}`), 400, 'TARIFF_INVALID'],
      [
        raw(JSON.stringify({ tariff, usage }).replace('["2880","4800"]', deep(200_000))),
        400,
        'TARIFF_INVALID',
      ],
      [
        raw(JSON.stringify({ tariff, usage: { ...usage, bands: 'x' } }).replace('"x"', deep(200_000))),
        400,
        'TARIFF_USAGE_INVALID',
      ],
      [raw(JSON.stringify({ tariff, usage, pad: 'x'.repeat(1100 * 1024) })), 413, 'REQ_BODY_TOO_LARGE'],
    ];
    for (const [pending, status, code] of rawCases) {
      const r = await pending;
      expect([r.status, r.body?.error?.code]).toEqual([status, code]);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('names the offending fields', async () => {
    const r = await quote(
      admin,
      withTariff((t) => (t.versions[0].components[0].tiers.prices = ['1', '2'])),
    );
    expect(r.body.error.details).toEqual([
      { path: 'versions.0.components.0.tiers.prices', message: '2 thresholds need 3 prices' },
    ]);
  });
});
