import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { userWith } from './archive-fixtures.ts';
import { type LedgerWorld, ledgerRows, ledgerWorld } from './ledger-fixtures.ts';

let w: LedgerWorld;
let scoped: Client;
let reader: Client;
let runner: Client;
let archivist: Client;
const adjust = { amountFen: -300, reason: '补收' };
const settings = {
  allocationOrder: ['usage'],
  dueDays: 1,
  lateFeePerMillePerDay: 1,
  lateFeeGraceDays: 0,
  lateFeeCapPercent: 100,
  lateFeeMinFen: 100,
  holdEstimated: true,
  holdMissing: true,
  holdAboveFen: null,
};
const period = 'from=2026-01-01&to=2026-12-31';

beforeAll(async () => {
  w = await ledgerWorld();
  scoped = await userWith(w.p, w.admin, 'lg-a', ['customers.read', 'billing.read', 'billing.run'], [w.areaA]);
  reader = await userWith(w.p, w.admin, 'lg-read', ['customers.read', 'billing.read']);
  runner = await userWith(w.p, w.admin, 'lg-run', ['customers.read', 'billing.read', 'billing.run']);
  archivist = await userWith(w.p, w.admin, 'lg-arch', ['customers.read']);
});
afterAll(async () => w?.p.stop());

describe('ledger routes across tenants', () => {
  it('answer 404 for another tenant’s accounts and entries, show it nothing, and change nothing', async () => {
    const before = await ledgerRows(w);
    const probes = [
      w.other.get(`/api/v1/accounts/${w.accA}/ledger`),
      w.other.get(`/api/v1/accounts/${w.accA}/statement?${period}`),
      w.other.get(`/api/v1/accounts/${w.accA}/statement.xlsx?${period}`),
      w.other.post(`/api/v1/accounts/${w.accA}/adjustments`, adjust),
      w.other.post(`/api/v1/ledger-entries/${w.chargeA}/reversal`, { reason: 'x' }),
      w.other.post(`/api/v1/ledger-entries/${w.paymentA}/reversal`, { reason: 'x' }),
    ];
    for (const r of await Promise.all(probes)) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await w.other.get('/api/v1/ledger/check')).body).toEqual({ checkedAccounts: 0, mismatches: [] });
    expect((await w.other.get('/api/v1/billing-settings')).body.allocationOrder).toEqual([
      'arrears',
      'late_fee',
      'fixed',
      'usage',
    ]);
    expect(await ledgerRows(w)).toEqual(before);
  });
});

describe('ledger routes within a user’s areas', () => {
  it('refuse accounts and entries outside them (404) and tenant-wide actions (403), changing nothing', async () => {
    const before = await ledgerRows(w);
    for (const r of [
      await scoped.get(`/api/v1/accounts/${w.accB}/ledger`),
      await scoped.get(`/api/v1/accounts/${w.accB}/statement?${period}`),
      await scoped.get(`/api/v1/accounts/${w.accB}/statement.xlsx?${period}`),
      await scoped.post(`/api/v1/accounts/${w.accB}/adjustments`, adjust),
      await scoped.post(`/api/v1/ledger-entries/${w.chargeB}/reversal`, { reason: 'x' }),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    for (const r of [
      await scoped.get('/api/v1/ledger/check'),
      await scoped.put('/api/v1/billing-settings', settings),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    }
    expect(await ledgerRows(w)).toEqual(before);
    const own = await scoped.get(`/api/v1/accounts/${w.accA}/ledger`);
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(3);
  });
});

describe('ledger privileges', () => {
  it('without billing.read nothing is shown; without billing.run nothing is posted; a payment reversal needs payments.refund', async () => {
    const before = await ledgerRows(w);
    const forbidden = async (
      r: Promise<{ status: number; body: { error: { code: string; details?: unknown } } }>,
      permission: string,
    ) => {
      const got = await r;
      expect(got.status).toBe(403);
      expect(got.body.error).toMatchObject({ code: 'AUTH_FORBIDDEN', details: { permission } });
    };
    await forbidden(archivist.get(`/api/v1/accounts/${w.accA}/ledger`), 'billing.read');
    await forbidden(archivist.get(`/api/v1/accounts/${w.accA}/statement?${period}`), 'billing.read');
    await forbidden(archivist.get(`/api/v1/accounts/${w.accA}/statement.xlsx?${period}`), 'billing.read');
    await forbidden(archivist.get('/api/v1/billing-settings'), 'billing.read');
    await forbidden(reader.post(`/api/v1/accounts/${w.accA}/adjustments`, adjust), 'billing.run');
    await forbidden(
      reader.post(`/api/v1/ledger-entries/${w.chargeA}/reversal`, { reason: 'x' }),
      'billing.run',
    );
    await forbidden(reader.get('/api/v1/ledger/check'), 'billing.run');
    await forbidden(reader.put('/api/v1/billing-settings', settings), 'billing.run');
    await forbidden(
      runner.post(`/api/v1/ledger-entries/${w.paymentA}/reversal`, { reason: '误收' }),
      'payments.refund',
    );
    expect(await ledgerRows(w)).toEqual(before);
  });
});

describe('ledger bad input', () => {
  it('answers REQ_VALIDATION (or REQ_JSON_MALFORMED) to wrong types, NUL bytes, huge values, empty and unknown fields, and writes nothing', async () => {
    const before = await ledgerRows(w);
    const adj = `/api/v1/accounts/${w.accA}/adjustments`;
    const rev = `/api/v1/ledger-entries/${w.chargeA}/reversal`;
    const bad: [string, string, unknown][] = [
      ['POST', adj, {}],
      ['POST', adj, { amountFen: '100', reason: 'x' }],
      ['POST', adj, { amountFen: 1.5, reason: 'x' }],
      ['POST', adj, { amountFen: 0, reason: 'x' }],
      ['POST', adj, { amountFen: 100_000_000_001, reason: 'x' }],
      ['POST', adj, { amountFen: 100 }],
      ['POST', adj, { amountFen: 100, reason: '' }],
      ['POST', adj, { amountFen: 100, reason: 'a\u0000b' }],
      ['POST', adj, { amountFen: 100, reason: 'x'.repeat(501) }],
      ['POST', adj, { amountFen: 100, reason: 'x', category: 'Not A Category' }],
      ['POST', adj, { amountFen: 100, reason: 'x', occurredOn: '2026-02-30' }],
      ['POST', adj, { amountFen: 100, reason: 'x', idempotencyKey: 'nope' }],
      ['POST', adj, { amountFen: 100, reason: 'x', accountId: w.accB }],
      ['POST', rev, {}],
      ['POST', rev, { reason: 'x', amountFen: 1 }],
      ['POST', rev, { reason: 'a\u0000' }],
      ['POST', '/api/v1/ledger-entries/abc/reversal', { reason: 'x' }],
      ['POST', '/api/v1/ledger-entries/0/reversal', { reason: 'x' }],
      ['POST', '/api/v1/ledger-entries/99999999999999999999/reversal', { reason: 'x' }],
      ['GET', `/api/v1/accounts/${w.accA}/ledger?limit=0`, undefined],
      ['GET', `/api/v1/accounts/${w.accA}/ledger?limit=1000`, undefined],
      ['GET', `/api/v1/accounts/${w.accA}/ledger?before=x`, undefined],
      ['GET', `/api/v1/accounts/${w.accA}/ledger?sort=id`, undefined],
      ['GET', `/api/v1/accounts/${w.accA}/statement?from=2026-12-01&to=2026-01-01`, undefined],
      ['GET', `/api/v1/accounts/${w.accA}/statement?from=2000-01-01&to=2026-01-01`, undefined],
      ['GET', `/api/v1/accounts/${w.accA}/statement?from=2026-01-01`, undefined],
      ['GET', `/api/v1/accounts/${w.accA}/statement?from=2026-1-1&to=2026-02-01`, undefined],
      ['GET', `/api/v1/accounts/${w.accA}/statement.xlsx?${period}&lang=fr`, undefined],
      ['GET', '/api/v1/accounts/not-a-uuid/ledger', undefined],
      ['PUT', '/api/v1/billing-settings', {}],
      ['PUT', '/api/v1/billing-settings', { ...settings, dueDays: 366 }],
      ['PUT', '/api/v1/billing-settings', { ...settings, dueDays: '15' }],
      ['PUT', '/api/v1/billing-settings', { ...settings, lateFeePerMillePerDay: 100.5 }],
      ['PUT', '/api/v1/billing-settings', { ...settings, lateFeePerMillePerDay: 1.2345 }],
      ['PUT', '/api/v1/billing-settings', { ...settings, lateFeeCapPercent: 1000.01 }],
      ['PUT', '/api/v1/billing-settings', { ...settings, lateFeeMinFen: 100_000_001 }],
      ['PUT', '/api/v1/billing-settings', { ...settings, holdAboveFen: -1 }],
      ['PUT', '/api/v1/billing-settings', { ...settings, allocationOrder: [] }],
      ['PUT', '/api/v1/billing-settings', { ...settings, allocationOrder: ['usage', 'usage'] }],
      ['PUT', '/api/v1/billing-settings', { ...settings, allocationOrder: ['a,b'] }],
      ['PUT', '/api/v1/billing-settings', { ...settings, allocationOrder: ['us\u0000age'] }],
      ['PUT', '/api/v1/billing-settings', { ...settings, extra: true }],
    ];
    for (const [method, path, body] of bad) {
      const r = await w.admin.request(method, path, body);
      expect([path, r.status, r.body.error.code]).toEqual([path, 400, 'REQ_VALIDATION']);
    }
    const malformed = await w.admin.request('POST', adj, '{"amountFen": 1,');
    expect(malformed.body.error.code).toBe('REQ_JSON_MALFORMED');
    const missing = await w.admin.post('/api/v1/ledger-entries/99999999/reversal', { reason: 'x' });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
    expect(await ledgerRows(w)).toEqual(before);
  });
});
