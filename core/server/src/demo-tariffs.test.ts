import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { loadConfig } from './config.ts';
import type { Tx } from './db/client.ts';
import { withTenant } from './db/tenant.ts';
import { seedOnStart } from './demo.ts';
import { seedDemoTariffs } from './demo-tariffs.ts';
import { getPlan, parseVersionBody, versionsInForce } from './services/billing/tariff-store/index.ts';
import { findTenantByCode } from './services/tenants/tenants.ts';

let t: TestDatabase;
let dataDir: string;
let tenantId: string;
const inDemo = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(t.database.db, tenantId, fn);

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'qm-tariffs-'));
  await chmod(dataDir, 0o755);
  const config = loadConfig({
    DATABASE_URL: t.url,
    QUADMETER_DATA_DIR: dataDir,
    QUADMETER_DEMO_PASSWORD: 'tariff-demo-password',
    LOG_LEVEL: 'silent',
  });
  await seedOnStart(t.database.db, config, 'on');
  tenantId = (await findTenantByCode(t.database.db, 'demo'))!.id;
}, 120_000);
afterAll(async () => {
  await t?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('demo tariffs', () => {
  it('publishes a plan per meter kind from the docs/tariffs examples, each body a valid stored version', async () => {
    const plans = await inDemo((tx) =>
      tx.execute<{
        id: string;
        code: string;
        kind: string;
        versions: string;
      }>(sql`select p.id, p.code, p.kind,
        string_agg(v.version || ':' || v.status, ',' order by v.version) versions
        from tariff_plans p join tariff_versions v on v.plan_id = p.id group by 1, 2, 3 order by 2`),
    );
    expect(plans.map((p) => [p.code, p.kind, p.versions])).toEqual([
      ['bj-gas', 'meter-gas', '1:published'],
      ['bj-heat-area', 'meter-heat', '1:published'],
      ['bj-power-monthly', 'meter-power', '1:published,2:published'],
      ['bj-water', 'meter-water', '1:published'],
      ['bj-water-nonresidential', 'meter-water', '1:published'],
    ]);
    await inDemo(async (tx) => {
      for (const p of plans) {
        const plan = await getPlan(tx, p.id);
        const bodies = await tx.execute<{ body: unknown }>(
          sql`select body from tariff_versions where plan_id = ${p.id}`,
        );
        for (const b of bodies) expect(parseVersionBody(plan, b.body).versions).toHaveLength(1);
      }
      const power = await versionsInForce(tx, 'bj-power-monthly', '2019-11-15', '2019-12-15');
      expect(power.map((v) => v.effectiveFrom)).toEqual(['2012-07-01', '2019-12-01']);
    });
  });

  it('points every account at a plan for each kind of its meters, and a second run changes nothing', async () => {
    const check = () =>
      inDemo((tx) =>
        tx.execute<{
          plans: string;
          accounts: number;
        }>(sql`select a.tariff_plans::text plans, count(*)::int accounts
          from accounts a group by 1 order by 2 desc, 1`),
      );
    const before = await check();
    const missing = await inDemo((tx) =>
      tx.execute<{
        n: number;
      }>(sql`select count(*)::int n from meters m join accounts a on a.id = m.account_id
        where not a.tariff_plans ? m.kind`),
    );
    expect(missing[0].n).toBe(0);
    const nonResidentWater = await inDemo((tx) =>
      tx.execute<{
        code: string;
        n: number;
      }>(sql`select a.tariff_plans ->> 'meter-water' code, count(*)::int n
        from accounts a join customers c on c.id = a.customer_id
        where c.type <> 'resident' and a.tariff_plans ? 'meter-water' group by 1`),
    );
    expect(nonResidentWater.map((r) => r.code)).toEqual(['bj-water-nonresidential']);
    await inDemo((tx) => seedDemoTariffs(tx));
    expect(await check()).toEqual(before);
    expect(before.reduce((n, r) => n + r.accounts, 0)).toBe(1981);
  });
});
