import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { demoAreas, inDemo, otherTenant, userWith } from './archive-fixtures.ts';
import { waterAccount, waterBody } from './tariff-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let plan: string;
let draft: string;
let published: string;
const acc: Record<string, string> = {};
let areas: Awaited<ReturnType<typeof demoAreas>>;
const SUNNY = '阳光花园小区';
const october = { from: '2026-10-01', to: '2026-11-01' };
const whatIf = (c: Client, body: unknown, vid = draft, pid = plan) =>
  c.post(`/api/v1/tariff-plans/${pid}/versions/${vid}/what-if`, body);

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  plan = (await admin.post('/api/v1/tariff-plans', { code: 'wf', kind: 'meter-water', name: '水' })).body.id;
  const base = `/api/v1/tariff-plans/${plan}/versions`;
  published = (await admin.post(base, { body: waterBody('wf', '2026-01-01', { price: '3' }) })).body.id;
  expect((await admin.post(`${base}/${published}/publish`)).status).toBe(200);
  const tiers = { thresholds: ['10'], prices: ['3', '5'] };
  draft = (await admin.post(base, { body: waterBody('wf', '2027-01-01', { tiers }) })).body.id;
  await inDemo(p, async (tx) => {
    acc.a1 = await waterAccount(tx, '1', areas['1号楼'].id, 'wf', [
      ['2026-10-01', '10'],
      ['2026-10-15', '5'],
      ['2026-11-01', '99'], // outside the period
    ]);
    acc.a2 = await waterAccount(tx, '2', areas['3号楼'].id, 'wf', [['2026-10-31', '8']]);
    acc.other = await waterAccount(tx, '3', areas['1号楼'].id, 'another-plan', [['2026-10-02', '50']]);
  });
});
afterAll(async () => p?.stop());

const rows = (body: {
  accounts: {
    number: string;
    currentFen: number | null;
    draftFen: number | null;
    differenceFen: number | null;
  }[];
}) => body.accounts.map((r) => [r.number, r.currentFen, r.draftFen, r.differenceFen]);

describe('what-if simulation', () => {
  it('prices the plan’s accounts’ real usage under the draft and under the published version', async () => {
    const r = await whatIf(admin, { period: october });
    expect(r.status).toBe(200);
    // TA1: 15 m³ → 45.00 flat vs 10 × 3 + 5 × 5 = 55.00; TA2: 8 m³ → 24.00 both
    expect(rows(r.body)).toEqual([
      ['TA1', 4500, 5500, 1000],
      ['TA2', 2400, 2400, 0],
    ]);
    expect(r.body.accounts[0]).toMatchObject({ consumption: '15', meters: 1, customerName: '户1' });
    expect(r.body).toMatchObject({ version: 2, currentVersions: [1] });
    expect(r.body.totals).toEqual({
      accounts: 2,
      compared: 2,
      currentFen: 6900,
      draftFen: 7900,
      differenceFen: 1000,
    });
  });

  it('narrows to given accounts or an area subtree; an account off the plan is 404', async () => {
    expect(rows((await whatIf(admin, { period: october, accountIds: [acc.a2] })).body)).toEqual([
      ['TA2', 2400, 2400, 0],
    ]);
    expect(rows((await whatIf(admin, { period: october, areaId: areas[SUNNY].id })).body)).toEqual([
      ['TA1', 4500, 5500, 1000],
    ]);
    const off = await whatIf(admin, { period: october, accountIds: [acc.a1, acc.other] });
    expect([off.status, off.body.error.code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
  });

  it('without a published version in force it still prices the draft', async () => {
    const r = await whatIf(admin, { period: { from: '2025-10-01', to: '2025-11-01' } });
    expect(r.body).toMatchObject({ currentVersions: [], currentError: 'TARIFF_NOT_IN_FORCE' });
    expect(rows(r.body)).toEqual([
      ['TA1', null, 0, null],
      ['TA2', null, 0, null],
    ]);
  });

  it('an area-scoped user simulates only the accounts of their scope', async () => {
    const scoped = await userWith(p, admin, 'wi-scoped', ['billing.read'], [areas['1号楼'].id]);
    expect(rows((await whatIf(scoped, { period: october })).body)).toEqual([['TA1', 4500, 5500, 1000]]);
    const out = await whatIf(scoped, { period: october, accountIds: [acc.a2] });
    expect([out.status, out.body.error.code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
  });

  it('needs tariffs.manage or billing.read', async () => {
    const reader = await userWith(p, admin, 'wi-none', ['meters.read']);
    const r = await whatIf(reader, { period: october });
    expect([r.status, r.body.error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
  });

  it('another tenant gets 404 for this plan and version', async () => {
    const b = await otherTenant(p);
    const r = await whatIf(b, { period: october });
    expect([r.status, r.body.error.code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
  });

  it('answers bad input with REQ_VALIDATION', async () => {
    const bad: unknown[] = [
      {},
      { period: { from: '2026-10-01' } },
      { period: { from: '2026-11-01', to: '2026-10-01' } },
      { period: { from: '2026-02-30', to: '2026-03-01' } },
      { period: { from: '2020-01-01', to: '2026-01-01' } },
      { period: october, accountIds: [] },
      { period: october, accountIds: ['x\u0000'] },
      { period: october, accountIds: Array.from({ length: 5001 }, () => acc.a1) },
      { period: october, areaId: areas['1号楼'].id, accountIds: [acc.a1] },
      { period: october, extra: 1 },
      { period: { from: 20261001, to: '2026-11-01' } },
    ];
    for (const body of bad) {
      const r = await whatIf(admin, body);
      expect([r.status, r.body.error.code], JSON.stringify(body).slice(0, 80)).toEqual([
        400,
        'REQ_VALIDATION',
      ]);
    }
    const wrongVersion = await whatIf(admin, { period: october }, crypto.randomUUID());
    expect([wrongVersion.status, wrongVersion.body.error.code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
  });
});
