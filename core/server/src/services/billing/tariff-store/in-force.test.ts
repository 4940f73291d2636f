import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import type { Tx } from '../../../db/client.ts';
import { withTenant } from '../../../db/tenant.ts';
import { waterBody } from '../../../http/tests/tariff-fixtures.ts';
import { createTenant } from '../../tenants/tenants.ts';
import { quote } from '../tariff/index.ts';
import { parseUsage } from '../tariff/quote.ts';
import { cachedVersionCount, combineVersions, versionsInForce } from './in-force.ts';
import { createPlan } from './plans.ts';
import { createDraft, publishVersion } from './versions.ts';

let t: TestDatabase;
let tenant: string;

beforeAll(async () => {
  t = await createTestDatabase();
  tenant = (
    await createTenant(t.database.db, {
      code: 'tf',
      name: 'tf',
      adminUsername: 'admin',
      adminPassword: 'password-tf',
    })
  ).id;
  await withTenant(t.database.db, tenant, async (tx) => {
    const plan = await createPlan(tx, { code: 'w', kind: 'meter-water', name: 'w' });
    const publish = async (from: string, price: string, extra: { effectiveTo?: string } = {}) => {
      const body = waterBody('w', from, { price });
      Object.assign(body.versions[0], extra);
      const d = await createDraft(tx, plan.id, { body }, null);
      await publishVersion(tx, plan.id, d.id, null);
    };
    await publish('2026-01-01', '3');
    await publish('2026-03-01', '4', { effectiveTo: '2026-05-01' });
    await publish('2026-06-01', '5');
    await createDraft(tx, plan.id, { body: waterBody('w', '2026-02-01', { price: '9' }) }, null); // drafts never count
  });
});
afterAll(async () => t?.drop());

const inForce = (from: string, to: string) =>
  withTenant(t.database.db, tenant, (tx: Tx) => versionsInForce(tx, 'w', from, to));

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return [(e as AppError).code, (e as AppError).details];
};

describe('versionsInForce', () => {
  it('gives the published versions covering the period, in order', async () => {
    expect((await inForce('2026-01-15', '2026-02-15')).map((v) => [v.version, v.effectiveFrom])).toEqual([
      [1, '2026-01-01'],
    ]);
    expect((await inForce('2026-02-01', '2026-04-01')).map((v) => [v.version, v.effectiveFrom])).toEqual([
      [1, '2026-01-01'],
      [2, '2026-03-01'],
    ]);
    expect((await inForce('2026-06-01', '2027-06-01')).map((v) => v.version)).toEqual([3]);
    expect((await inForce('2026-02-01', '2026-04-01'))[1].tariff.versions[0].components[0]).toMatchObject({
      price: '4',
    });
  });

  it('refuses a period with days under no version, and an unknown plan code', async () => {
    expect(await refusal(inForce('2025-12-01', '2026-02-01'))).toEqual([
      'TARIFF_NOT_IN_FORCE',
      { date: '2025-12-01' },
    ]);
    // version 2 ends 2026-05-01 by its effectiveTo; version 3 starts 2026-06-01
    expect(await refusal(inForce('2026-04-01', '2026-07-01'))).toEqual([
      'TARIFF_NOT_IN_FORCE',
      { date: '2026-05-01' },
    ]);
    expect(
      await refusal(
        withTenant(t.database.db, tenant, (tx) => versionsInForce(tx, 'nope', '2026-01-01', '2026-02-01')),
      ),
    ).toEqual(['TARIFF_PLAN_UNKNOWN', { code: 'nope' }]);
  });

  it('caches parsed bodies per version id, and combined versions price each part (分段计费)', async () => {
    const a = await inForce('2026-02-01', '2026-04-01');
    const b = await inForce('2026-02-01', '2026-04-01');
    expect(b[0].tariff).toBe(a[0].tariff);
    expect(cachedVersionCount()).toBe(2 + 1); // versions 1, 2 and 3 seen so far in this file
    const tariff = combineVersions(a);
    // 28 days of February at 3 yuan + 31 days of March at 4 yuan, 1 m³ a day: 84 + 124 = 208 yuan
    const daily = Array.from({ length: 59 }, (_, i) => ({
      date: new Date(Date.UTC(2026, 1, 1 + i)).toISOString().slice(0, 10),
      consumption: '1',
    }));
    const q = quote(tariff, parseUsage({ period: { from: '2026-02-01', to: '2026-04-01' }, daily }));
    expect(q.lines.map((l) => [l.tariffVersion, l.quantity, l.amountFen])).toEqual([
      ['2026-01', '28', 8400],
      ['2026-03', '31', 12400],
    ]);
    expect(q.totalFen).toBe(20800);
  });

  it('sees no other tenant’s plans', async () => {
    const other = (
      await createTenant(t.database.db, {
        code: 'tf2',
        name: 'tf2',
        adminUsername: 'admin',
        adminPassword: 'password-tf2',
      })
    ).id;
    expect(
      await refusal(
        withTenant(t.database.db, other, (tx) => versionsInForce(tx, 'w', '2026-01-01', '2026-02-01')),
      ),
    ).toEqual(['TARIFF_PLAN_UNKNOWN', { code: 'w' }]);
    const n = await withTenant(t.database.db, other, (tx) =>
      tx.execute<{ n: number }>(sql`select count(*)::int n from tariff_versions`),
    );
    expect(n[0].n).toBe(0);
  });
});
