import type { RawReading } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../../test/db.ts';
import { withTenant } from '../../../../db/tenant.ts';
import { installedPlugins } from '../../../../installed-plugins.ts';
import { createLogger } from '../../../../logger.ts';
import { createRegistry } from '../../../../registry/index.ts';
import { meterKinds } from '../../../archives/meter-kinds.ts';
import { ingestReadings } from '../../../readings/ingest.ts';
import {
  addMeters,
  ingestDeps,
  ingestTenant,
  serialReading,
  TRANSPORT,
  testAddress,
} from '../../../readings/ingest-fixtures.ts';
import { runDiagnosis } from '../run.ts';

const LINE = 'tcp://127.0.0.1:9931';
const NOW = new Date('2026-11-30T00:00:00Z');
const HOUR = 3_600_000;
const kinds = meterKinds(createRegistry({ plugins: installedPlugins, logger: createLogger('silent') }));

let t: TestDatabase;
let tenant: { tenantId: string; areaId: string };
let other: { tenantId: string; areaId: string };
let ids: string[];

/** Hourly water readings for 10 days: meter 0 leaks, meter 1 stands still for 8 days, 2 and 3 are normal. */
function readings(): RawReading[][] {
  const batches: RawReading[][] = [];
  const counters = [100, 200, 300, 400];
  for (let ago = 10 * 24 - 1; ago >= 0; ago--) {
    const ts = new Date(NOW.getTime() - ago * HOUR);
    const localHour = (ts.getUTCHours() + 8) % 24;
    const day = localHour >= 6 ? 0.02 : 0;
    counters[0] = (counters[0] as number) + day + 0.015;
    if (ago >= 8 * 24) counters[1] = (counters[1] as number) + day;
    counters[2] = (counters[2] as number) + day;
    counters[3] = (counters[3] as number) + day * 1.5;
    batches.push(counters.map((v, i) => serialReading(LINE, testAddress(i), ts.toISOString(), v.toFixed(3))));
  }
  return batches;
}

const count = async (tenantId: string) =>
  await withTenant(t.database.db, tenantId, async (tx) => {
    const [r] = (await tx.execute(
      sql`select count(*)::int as n, coalesce(sum(occurrences), 0)::int as occ from anomaly_findings`,
    )) as unknown as {
      n: number;
      occ: number;
    }[];
    return r as { n: number; occ: number };
  });

beforeAll(async () => {
  t = await createTestDatabase();
  tenant = await ingestTenant(t.database.db, 'vee1');
  other = await ingestTenant(t.database.db, 'vee2');
  ids = await addMeters(
    t.database.db,
    tenant,
    [0, 1, 2, 3].map((i) => ({ comm: testAddress(i), via: 'serial' as const, line: LINE, digits: 6 })),
  );
  // every meter on an occupied (active) account
  await withTenant(t.database.db, tenant.tenantId, async (tx) => {
    for (const [i, id] of ids.entries()) {
      const [c] = (await tx.execute(sql`insert into customers (tenant_id, number, name, area_id)
        values (app_tenant_id(), ${`C${i}`}, 'resident', ${tenant.areaId}) returning id`)) as unknown as {
        id: string;
      }[];
      const [a] = (await tx.execute(sql`insert into accounts (tenant_id, customer_id, number)
        values (app_tenant_id(), ${c?.id}, ${`A${i}`}) returning id`)) as unknown as { id: string }[];
      await tx.execute(sql`update meters set account_id = ${a?.id} where id = ${id}`);
    }
  });
  const deps = ingestDeps(t.database.db, () => NOW.getTime());
  const all = readings();
  for (let k = 0; k < all.length; k += 24) {
    const res = await ingestReadings(deps, TRANSPORT, all.slice(k, k + 24).flat());
    expect(res.rejected).toBe(0);
  }
}, 60_000);
afterAll(async () => t?.drop());

describe('diagnosis over stored readings (the ingest path)', () => {
  it('finds the leak and the stuck meter from the readings table and nothing on the normal meters', async () => {
    const r = await withTenant(t.database.db, tenant.tenantId, (tx) =>
      runDiagnosis(tx, tenant.tenantId, kinds, NOW),
    );
    expect(r).toMatchObject({ meters: 4, opened: 2, repeated: 0 });
    const rows = (await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(
        sql`select meter_id::text as "meterId", rule, severity, status, occurrences, evidence from anomaly_findings order by rule`,
      ),
    )) as unknown as {
      meterId: string;
      rule: string;
      status: string;
      occurrences: number;
      evidence: { readings: string[] };
    }[];
    expect(rows.map((x) => [x.meterId, x.rule])).toEqual([
      [ids[0], 'night-flow'],
      [ids[1], 'zero-consumption'],
    ]);
    expect(rows[0]?.evidence.readings.length).toBeGreaterThan(3);
    // the opening is in the history
    const events = await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`select action from anomaly_finding_events`),
    );
    expect(events).toHaveLength(2);
  });

  it('a repeated finding updates the open one instead of piling up', async () => {
    const later = new Date(NOW.getTime() + HOUR);
    const r = await withTenant(t.database.db, tenant.tenantId, (tx) =>
      runDiagnosis(tx, tenant.tenantId, kinds, later, [ids[0] as string]),
    );
    expect(r).toMatchObject({ opened: 0, repeated: 1 });
    expect(await count(tenant.tenantId)).toEqual({ n: 2, occ: 3 });
  });

  it('after a finding is resolved the next occurrence opens a new one', async () => {
    await withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(
        sql`update anomaly_findings set status = 'resolved', resolved_at = now() where rule = 'night-flow'`,
      ),
    );
    const r = await withTenant(t.database.db, tenant.tenantId, (tx) =>
      runDiagnosis(tx, tenant.tenantId, kinds, new Date(NOW.getTime() + 2 * HOUR), [ids[0] as string]),
    );
    expect(r.opened).toBe(1);
    expect(await count(tenant.tenantId)).toEqual({ n: 3, occ: 4 });
  });

  it('the other tenant sees none of it, and a second open finding per meter and rule is refused', async () => {
    expect(await count(other.tenantId)).toEqual({ n: 0, occ: 0 });
    const dup = withTenant(t.database.db, tenant.tenantId, (tx) =>
      tx.execute(sql`insert into anomaly_findings (tenant_id, meter_id, area_id, rule, severity)
        values (app_tenant_id(), ${ids[1]}, ${tenant.areaId}, 'zero-consumption', 'warning')`),
    );
    await expect(dup).rejects.toMatchObject({ cause: { code: '23505' } });
  });
});
