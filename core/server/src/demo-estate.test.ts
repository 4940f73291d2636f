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
import { DEMO_BUS_LINE, DEMO_CONCENTRATOR, seedDemoEstate } from './demo-estate.ts';
import { startDemoSimulators } from './demo-simulators.ts';
import { createLogger } from './logger.ts';
import { findTenantByCode } from './services/tenants/tenants.ts';

let t: TestDatabase;
let dataDir: string;
let tenantId: string;

const rows = async <T>(tx: Tx, q: ReturnType<typeof sql>) => (await tx.execute(q)) as unknown as T[];
const inDemo = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(t.database.db, tenantId, fn);

/** Row counts of every archive table the estate writes, for before/after comparisons. */
const tableCounts = () =>
  inDemo((tx) =>
    rows<Record<string, number>>(
      tx,
      sql`select (select count(*)::int from areas) areas, (select count(*)::int from customers) customers,
        (select count(*)::int from customer_facts) facts, (select count(*)::int from accounts) accounts,
        (select count(*)::int from account_billing_modes) modes, (select count(*)::int from concentrators) conc,
        (select count(*)::int from meters) meters, (select count(*)::int from meter_routes) routes,
        (select count(*)::int from meter_events) events,
        (select max(xmin::text::bigint) from meters) meters_xmin`,
    ),
  ).then((r) => r[0]);

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'qm-estate-'));
  await chmod(dataDir, 0o755);
  const config = loadConfig({
    DATABASE_URL: t.url,
    QUADMETER_DATA_DIR: dataDir,
    QUADMETER_DEMO_PASSWORD: 'estate-demo-password',
    LOG_LEVEL: 'silent',
  });
  const t0 = performance.now();
  const seeded = await seedOnStart(t.database.db, config, 'on');
  expect(seeded.demo?.tenant).toBe('demo');
  console.log(`demo tenant with its estate seeded in ${Math.round(performance.now() - t0)} ms`);
  tenantId = (await findTenantByCode(t.database.db, 'demo'))!.id;
}, 120_000);
afterAll(async () => {
  await t?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('demo estate', () => {
  it('has the area tree, customers with accounts and meters of every kind and protocol', async () => {
    const c = await tableCounts();
    expect(c).toMatchObject({
      areas: 42,
      customers: 1981,
      accounts: 1981,
      // every account postpaid since 2020, the 60 shops prepaid from the day the demo started
      modes: 1981 + 60,
      facts: 3840,
      conc: 1,
    });
    const byKind = await inDemo((tx) =>
      rows<{ kind: string; protocol: string; n: number }>(
        tx,
        sql`select kind, protocol, count(*)::int n from meters group by 1, 2 order by 1, 2`,
      ),
    );
    expect(Object.fromEntries(byKind.map((r) => [`${r.kind} ${r.protocol}`, r.n]))).toEqual({
      'meter-gas cjt188': 2,
      'meter-gas lora': 300,
      'meter-heat cjt188': 2,
      'meter-heat lora': 200,
      'meter-heat mbus': 2,
      'meter-power dlt645-1997': 2,
      'meter-power dlt645-2007': 6,
      'meter-power gdw1376': 1182,
      'meter-water cjt188': 2,
      'meter-water mbus': 2,
      'meter-water nbiot': 798,
    });
    const types = await inDemo((tx) =>
      rows<{ type: string; n: number }>(
        tx,
        sql`select type, count(*)::int n from customers group by 1 order by 1`,
      ),
    );
    expect(types).toEqual([
      { type: 'commercial', n: 60 },
      { type: 'institution', n: 1 },
      { type: 'resident', n: 1920 },
    ]);
    const sample = await inDemo((tx) =>
      rows<{ name: string; address: string; id_number: string; phone: string }>(
        tx,
        sql`select name, address, id_number, phone from customers where number = 'YH100597'`,
      ),
    );
    // household 597 of 阳光花园: 10号楼 1单元 (households 577–672), the 21st: floor 6, room 1
    expect(sample[0].address).toBe('阳光花园小区 10号楼 1单元 601');
    expect(sample[0].name).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
    expect(sample[0].phone).toMatch(/^1[3-8]\d{9}$/);
    expect(sample[0].id_number).toMatch(/^350102\d{11}[\dX]$/);
    expect(c.events).toBe(2498 + (await inDemo((tx) => suspended(tx))));
  });

  it('routes every meter once, under unique keys, with meters on their customers’ accounts', async () => {
    const [r] = await inDemo((tx) =>
      rows<Record<string, number>>(
        tx,
        sql`select (select count(*)::int from meters m where not exists
                     (select 1 from meter_routes r where r.meter_id = m.id)) unrouted,
                   (select count(*)::int from meter_routes) routes,
                   (select count(distinct (via, line, address))::int from meter_routes) keys,
                   (select count(distinct point_no)::int from meter_routes where via = 'concentrator') points,
                   (select count(*)::int from meter_routes where via = 'concentrator') on_concentrator,
                   (select count(*)::int from meters where account_id is null) no_account,
                   (select count(*)::int from meters where lat is null or lng is null) unplaced,
                   (select count(*)::int from meters m join accounts a on a.id = m.account_id
                      join customers c on c.id = a.customer_id where c.area_id <> m.area_id) area_mismatch`,
      ),
    );
    expect(r).toEqual({
      unplaced: 0,
      unrouted: 0,
      routes: 2498,
      keys: 2498,
      points: 1182,
      on_concentrator: 1182,
      no_account: 0,
      area_mismatch: 0,
    });
    const [conc] = await inDemo((tx) =>
      rows<{ a1: string; a2: number; line: string; id: string; address: string; comm: string }>(
        tx,
        sql`select c.a1, c.a2, r.line, c.id::text, r.address, m.comm_address comm from concentrators c
            join meter_routes r on r.concentrator_id = c.id join meters m on m.id = r.meter_id
            where r.point_no = 1`,
      ),
    );
    // `sim concentrator --a1 3501 --a2 1` gives point 1 the DL/T 645 address 350100010001
    expect(conc).toMatchObject({ a1: DEMO_CONCENTRATOR.a1, a2: 1, address: '1', comm: '350100010001' });
    expect(conc.line).toBe(conc.id);
    const devices = await inDemo((tx) =>
      rows<{ via: string; line: string; address: string; comm: string }>(
        tx,
        sql`select r.via, r.line, r.address, m.comm_address comm from meter_routes r join meters m on m.id = r.meter_id
            where (r.via = 'nbiot' or r.via = 'lora') and m.comm_address = '00000000000001' order by r.via`,
      ),
    );
    expect(devices).toEqual([
      { via: 'lora', line: 'lora', address: '70B3D5FFFE000001', comm: '00000000000001' },
      { via: 'nbiot', line: 'onenet', address: '860000000000001', comm: '00000000000001' },
    ]);
  });

  it('resolves every meter the demo RS-485 simulator puts on its line by (line, address)', async () => {
    const sims = await startDemoSimulators(createLogger('silent'), 0);
    await sims.stop();
    expect(sims.meters).toHaveLength(18);
    const cjtKind: Record<string, string> = { '10': 'meter-water', '30': 'meter-gas', '20': 'meter-heat' };
    for (const label of sims.meters) {
      const [head, ...rest] = label.split(' ');
      const address = rest.at(-1)!;
      const expected = head.startsWith('dlt645')
        ? { protocol: head, kind: 'meter-power' }
        : head === 'cjt188'
          ? { protocol: 'cjt188', kind: cjtKind[rest[0].slice(2)] }
          : { protocol: 'mbus', kind: Number(rest[0]) % 2 ? 'meter-water' : 'meter-heat' };
      const found = await inDemo((tx) =>
        rows<{ protocol: string; kind: string; baud: number; parity: string }>(
          tx,
          sql`select m.protocol, m.kind, r.baud, r.parity from meter_routes r join meters m on m.id = r.meter_id
              where r.via = 'serial' and r.line = ${DEMO_BUS_LINE} and r.address = ${address}`,
        ),
      );
      expect(found, label).toEqual([{ ...expected, baud: 2400, parity: 'E' }]);
    }
    const [{ n }] = await inDemo((tx) =>
      rows<{ n: number }>(tx, sql`select count(*)::int n from meter_routes where line = ${DEMO_BUS_LINE}`),
    );
    expect(n).toBe(18);
  });

  it('has its shops on software prepaid, each with an opening top-up', async () => {
    const shops = await inDemo((tx) =>
      rows<{ mode: string; type: string; topups: number; fen: number }>(
        tx,
        sql`select m.mode, c.type, count(e.id)::int as topups, coalesce(sum(e.amount_fen), 0)::int as fen
          from accounts a join customers c on c.id = a.customer_id
          join lateral (select mode from account_billing_modes b where b.account_id = a.id
            order by effective_from desc limit 1) m on true
          left join ledger_entries e on e.account_id = a.id and e.business_key like 'demo:opening:%'
          where m.mode = 'prepaid' or c.type = 'commercial' group by m.mode, c.type, a.id`,
      ),
    );
    expect(shops).toHaveLength(60);
    expect(new Set(shops.map((s) => `${s.mode} ${s.type} ${s.topups}`))).toEqual(
      new Set(['prepaid commercial 1']),
    );
    // from plenty down to the second warning level, none exhausted
    expect(Math.max(...shops.map((s) => s.fen))).toBe(48000);
    expect(Math.min(...shops.map((s) => s.fen))).toBe(500);
  });

  it('writes nothing on a second run', async () => {
    const before = await tableCounts();
    const again = await seedDemoEstate(t.database.db, tenantId);
    console.log(`second run of the demo estate: ${Math.round(again.elapsedMs)} ms`);
    expect(again).toMatchObject({ areas: 0, customers: 0, meters: 0 });
    expect(await tableCounts()).toEqual(before);
  });
});

async function suspended(tx: Tx): Promise<number> {
  const [r] = await rows<{ n: number }>(
    tx,
    sql`select count(*)::int n from meters where status = 'suspended'`,
  );
  return r.n;
}
