import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withTenant } from '../../db/tenant.ts';
import { SEARCH_CAP } from '../../services/archives/search.ts';
import { type Area, demoAreas, inDemo, otherTenant, tenantId, userWith } from './archive-fixtures.ts';

/**
 * Search under FORCE row-level security through the search-key tables and their SECURITY DEFINER
 * functions (migrations/0003, docs/decisions/0010): fragments of ASCII and Chinese text, area
 * scope, tenant isolation, keys that follow edits, and bad query strings.
 */
let p: TestPlatform;
let admin: Client;
let other: Client;
let areas: Record<string, Area>;
let demoId: string;
let otherId: string;
const made: Record<string, string> = {};

const numbers = (r: { body: { items: { number: string }[] } }) => r.body.items.map((c) => c.number).sort();
const assets = (r: { body: { items: { assetNo: string }[] } }) => r.body.items.map((m) => m.assetNo).sort();
const enc = encodeURIComponent;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  other = await otherTenant(p);
  demoId = await tenantId(p, 'demo');
  otherId = await tenantId(p, 'other');
  const customers = [
    {
      number: 'SRCH-0001',
      name: '张三丰',
      address: '阳光花园小区1号楼1单元501',
      phone: '13912345678',
      areaId: areas['1号楼'].id,
    },
    {
      number: 'SRCH-0002',
      name: '李四光',
      address: '幸福里小区3号楼2单元302',
      phone: '13887654321',
      areaId: areas['3号楼'].id,
    },
    {
      number: 'SRCH-0003',
      name: 'Wang Wu',
      address: 'Room 7, Ｈａｐｐｙ Road',
      phone: '13700001111',
      areaId: areas['3号楼'].id,
    },
  ];
  for (const c of customers) {
    const r = await admin.post('/api/v1/customers', c);
    expect(r.status).toBe(201);
    made[c.number] = r.body.id;
  }
  const meters = [
    { assetNo: 'SRCH-M-77001', commAddress: '00000000770011', areaId: areas['1号楼'].id },
    { assetNo: 'SRCH-M-77002', commAddress: '00000000770022', areaId: areas['3号楼'].id },
    { assetNo: '水表-东区-0042', commAddress: '00000000770033', areaId: areas['3号楼'].id },
  ];
  for (const m of meters) {
    const r = await admin.post('/api/v1/meters', { kind: 'meter-water', protocol: 'cjt188', ...m });
    expect(r.status).toBe(201);
    made[m.assetNo] = r.body.id;
  }
  const area = (await other.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' })).body
    .id;
  expect(
    (
      await other.post('/api/v1/customers', {
        number: 'OTHER-1',
        name: '张三丰',
        phone: '13912345678',
        areaId: area,
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await other.post('/api/v1/meters', {
        kind: 'meter-water',
        protocol: 'cjt188',
        assetNo: 'OTHER-M-77009',
        commAddress: '00000000770099',
        areaId: area,
      })
    ).status,
  ).toBe(201);
});
afterAll(async () => p?.stop());

describe('customer search', () => {
  it('finds a customer by a fragment of a Chinese name or address, whatever the database locale', async () => {
    expect(numbers(await admin.get(`/api/v1/customers?q=${enc('三丰')}`))).toEqual(['SRCH-0001']);
    expect(numbers(await admin.get(`/api/v1/customers?q=${enc('张')}`))).toContain('SRCH-0001');
    expect(numbers(await admin.get(`/api/v1/customers?q=${enc('3号楼2单元')}`))).toEqual(['SRCH-0002']);
    expect(numbers(await admin.get(`/api/v1/customers?name=${enc('四光')}`))).toEqual(['SRCH-0002']);
    expect(numbers(await admin.get(`/api/v1/customers?address=${enc('花园小区1号')}`))).toEqual([
      'SRCH-0001',
    ]);
    // a name fragment does not match through the address field filter
    expect(numbers(await admin.get(`/api/v1/customers?address=${enc('三丰')}`))).toEqual([]);
    // the key spells characters whole: a fragment never matches across character boundaries
    expect(numbers(await admin.get(`/api/v1/customers?q=${enc('丰阳')}`))).toEqual([]);
  });

  it('a fragment mixing Chinese and digits is found by its digits in the index, then the whole fragment', async () => {
    // the index reads the run `DAC` (302); only the whole fragment decides
    expect(numbers(await admin.get(`/api/v1/customers?q=${enc('2单元302')}`))).toEqual(['SRCH-0002']);
    expect(numbers(await admin.get(`/api/v1/customers?q=${enc('1单元302')}`))).toEqual([]);
    expect(numbers(await admin.get(`/api/v1/customers?address=${enc('1号楼1单元501')}`))).toEqual([
      'SRCH-0001',
    ]);
    expect(numbers(await admin.get(`/api/v1/customers?address=${enc('2号楼1单元501')}`))).toEqual([]);
    // a run found only in another field does not satisfy the field asked for
    expect(numbers(await admin.get(`/api/v1/customers?name=${enc('单元501')}`))).toEqual([]);
  });

  it('finds ASCII fragments case-insensitively and full-width input as its ASCII form', async () => {
    expect(numbers(await admin.get('/api/v1/customers?q=srch-000'))).toEqual([
      'SRCH-0001',
      'SRCH-0002',
      'SRCH-0003',
    ]);
    expect(numbers(await admin.get('/api/v1/customers?q=wang%20w'))).toEqual(['SRCH-0003']);
    expect(numbers(await admin.get(`/api/v1/customers?q=${enc('happy road')}`))).toEqual(['SRCH-0003']);
    expect(numbers(await admin.get(`/api/v1/customers?q=${enc('ＳＲＣＨ－０００３')}`))).toEqual([
      'SRCH-0003',
    ]);
    expect(numbers(await admin.get('/api/v1/customers?number=RCH-0002'))).toEqual(['SRCH-0002']);
    // % and _ match themselves
    expect(numbers(await admin.get(`/api/v1/customers?q=${enc('SRCH_000')}`))).toEqual([]);
    expect(numbers(await admin.get(`/api/v1/customers?q=${enc('%三丰')}`))).toEqual([]);
  });

  it('searches phone fragments only for customers.pii holders; others must give the whole number', async () => {
    expect(numbers(await admin.get('/api/v1/customers?q=12345678'))).toEqual(['SRCH-0001']);
    expect(numbers(await admin.get('/api/v1/customers?phone=7654321'))).toEqual(['SRCH-0002']);
    const reader = await userWith(p, admin, 'search-reader', ['customers.read']);
    expect(numbers(await reader.get('/api/v1/customers?q=12345678'))).toEqual([]);
    expect(numbers(await reader.get('/api/v1/customers?phone=7654321'))).toEqual([]);
    expect(numbers(await reader.get('/api/v1/customers?phone=13887654321'))).toEqual(['SRCH-0002']);
    expect(numbers(await reader.get('/api/v1/customers?q=13887654321'))).toEqual(['SRCH-0002']);
  });

  it('applies the area scope to what the search found', async () => {
    const scoped = await userWith(p, admin, 'search-scoped', ['customers.read'], [areas['3号楼'].id]);
    expect(numbers(await scoped.get(`/api/v1/customers?q=${enc('三丰')}`))).toEqual([]);
    expect(numbers(await scoped.get('/api/v1/customers?q=SRCH-000'))).toEqual(['SRCH-0002', 'SRCH-0003']);
    const sub = await admin.get(`/api/v1/customers?q=SRCH-000&areaId=${areas['1号楼'].id}`);
    expect(numbers(sub)).toEqual(['SRCH-0001']);
    expect(sub.body).toMatchObject({ total: 1, totalIsEstimate: false });
  });

  it('follows edits: a renamed customer is found by the new name only', async () => {
    const r = await admin.patch(`/api/v1/customers/${made['SRCH-0003']}`, { name: '王五' });
    expect(r.status).toBe(200);
    expect(numbers(await admin.get(`/api/v1/customers?q=${enc('王五')}`))).toEqual(['SRCH-0003']);
    expect(numbers(await admin.get('/api/v1/customers?q=wang%20w'))).toEqual([]);
  });
});

describe('meter search', () => {
  it('finds meters by fragments of the asset number (ASCII or Chinese) or the communication address', async () => {
    expect(assets(await admin.get('/api/v1/meters?q=m-7700'))).toEqual(['SRCH-M-77001', 'SRCH-M-77002']);
    expect(assets(await admin.get('/api/v1/meters?q=770022'))).toEqual(['SRCH-M-77002']);
    expect(assets(await admin.get(`/api/v1/meters?q=${enc('东区')}`))).toEqual(['水表-东区-0042']);
    const page = await admin.get(`/api/v1/meters?q=7700&areaId=${areas['3号楼'].id}&limit=1`);
    expect(page.body).toMatchObject({ total: 2, totalCapped: false });
    expect(assets(page)).toEqual(['SRCH-M-77002']);
    const next = await admin.get(
      `/api/v1/meters?q=7700&areaId=${areas['3号楼'].id}&limit=1&after=${page.body.next}`,
    );
    expect(assets(next)).toEqual(['水表-东区-0042']);
    expect(next.body.next).toBeNull();
  });

  it('applies the area scope to what the search found', async () => {
    const scoped = await userWith(p, admin, 'meter-scoped', ['meters.read'], [areas['1号楼'].id]);
    expect(assets(await scoped.get('/api/v1/meters?q=7700'))).toEqual(['SRCH-M-77001']);
    expect(assets(await scoped.get(`/api/v1/meters?q=${enc('东区')}`))).toEqual([]);
  });

  it('follows edits: a changed communication address is found by its new value only', async () => {
    const r = await admin.patch(`/api/v1/meters/${made['SRCH-M-77001']}`, { commAddress: '00000000881111' });
    expect(r.status).toBe(200);
    expect(assets(await admin.get('/api/v1/meters?q=881111'))).toEqual(['SRCH-M-77001']);
    expect(assets(await admin.get('/api/v1/meters?q=770011'))).toEqual([]);
  });

  it('short queries and queries matching more than SEARCH_CAP meters still list correctly (ilike form)', async () => {
    await inDemo(p, (tx) =>
      tx.execute(sql`insert into meters (tenant_id, kind, asset_no, comm_address, protocol, area_id)
        select app_tenant_id(), 'meter-gas', 'BROAD-' || lpad(g::text, 6, '0'), lpad(g::text, 14, '9'), 'cjt188', ${areas['2号楼'].id}
        from generate_series(1, ${SEARCH_CAP + 5}::int) g`),
    );
    const broad = await admin.get('/api/v1/meters?q=broad-&limit=2');
    expect(broad.body).toMatchObject({ total: 10_000, totalCapped: true });
    expect(assets(broad)).toEqual(['BROAD-000001', 'BROAD-000002']);
    const selective = await admin.get('/api/v1/meters?q=broad-01000');
    expect(selective.body).toMatchObject({ total: 6, totalCapped: false });
    const short = await admin.get(`/api/v1/meters?q=${enc('东')}&limit=5`);
    expect(assets(short)).toEqual(['水表-东区-0042']);
  });
});

describe('tenant isolation of the search functions', () => {
  it('the other tenant finds only its own rows for the same fragments', async () => {
    expect(numbers(await other.get(`/api/v1/customers?q=${enc('三丰')}`))).toEqual(['OTHER-1']);
    expect(numbers(await other.get('/api/v1/customers?q=12345678'))).toEqual(['OTHER-1']);
    expect(numbers(await admin.get('/api/v1/customers?q=OTHER-1'))).toEqual([]);
    expect(assets(await other.get('/api/v1/meters?q=7700'))).toEqual(['OTHER-M-77009']);
    expect(assets(await admin.get('/api/v1/meters?q=770099'))).toEqual([]);
  });

  it('called directly as the app role, the functions return only the bound tenant’s ids, and nothing unbound', async () => {
    const db = p.running.platform.db;
    const call = (tenant: string, q: string) =>
      withTenant(db, tenant, async (tx) => {
        const m = await tx.execute<{ id: string }>(sql`select id from meter_search_ids(${q}, 100) id`);
        const c = await tx.execute<{ id: string }>(
          sql`select id from customer_search_ids('any+phone', ${q}, 100) id`,
        );
        return [...m, ...c].map((r) => r.id).sort();
      });
    expect(await call(otherId, 'SRCH')).toEqual([]);
    expect(await call(otherId, '阳光花园')).toEqual([]);
    expect(await call(demoId, 'OTHER')).toEqual([]);
    expect((await call(demoId, 'SRCH-M-7700')).length).toBe(2);
    // a transaction without a tenant finds nothing, even when it asks for everything
    const unbound = await db.transaction(async (tx) => {
      await tx.execute(sql`set local role quadmeter_app`);
      return [
        ...(await tx.execute(sql`select id from meter_search_ids('0', 100000) id`)),
        ...(await tx.execute(sql`select id from customer_search_ids('any+phone', '1', 100000) id`)),
      ];
    });
    expect(unbound).toEqual([]);
  });

  it('the app role cannot read or write the search-key tables', async () => {
    for (const stmt of [
      sql`select count(*) from meter_search`,
      sql`select count(*) from customer_search`,
      sql`update meter_search set key = 'x'`,
      sql`insert into customer_search values (app_tenant_id(), gen_random_uuid(), '', '', '', '')`,
    ]) {
      const err = await withTenant(p.running.platform.db, demoId, (tx) => tx.execute(stmt)).catch((e) => e);
      expect((err.cause ?? err).code).toBe('42501');
    }
  });

  it('refuses an unknown search field', async () => {
    const err = await inDemo(p, (tx) =>
      tx.execute(sql`select * from customer_search_ids('id_number', 'x', 1)`),
    ).catch((e) => e);
    expect((err.cause ?? err).code).toBe('22023');
  });
});

/** All pages of a list, following `next`. */
async function allPages(c: Client, path: string) {
  const out: { id: string; areaPath: string[]; [k: string]: unknown }[] = [];
  let after: string | null = null;
  do {
    const r: { status: number; body: { items: typeof out; next: string | null } } = await c.get(
      `${path}&limit=3${after ? `&after=${after}` : ''}`,
    );
    expect(r.status, path).toBe(200);
    out.push(...r.body.items);
    after = r.body.next;
  } while (after);
  return out;
}

describe('lists of a subtree, read area by area', () => {
  it('pages customers of a subtree in every sort exactly as the whole-tenant list orders them', async () => {
    const names = ['赵一', '钱二', 'Alpha', 'beta', '孙三', '周四', 'Gamma', '吴五'];
    for (const [i, name] of names.entries()) {
      const areaId = [areas['1单元'].id, areas['2号楼'].id, areas['3号楼'].id, areas['1号楼'].id][i % 4];
      const r = await admin.post('/api/v1/customers', { number: `PG-${(i * 5) % 8}-${i}`, name, areaId });
      expect(r.status).toBe(201);
    }
    const community = areas.阳光花园小区.id;
    for (const sort of ['number', '-number', 'name', '-name', 'createdAt', '-createdAt']) {
      const whole = (await allPages(admin, `/api/v1/customers?sort=${sort}`)).filter((c) =>
        c.areaPath.includes(community),
      );
      const sub = await allPages(admin, `/api/v1/customers?sort=${sort}&areaId=${community}`);
      expect(
        sub.map((c) => c.id),
        sort,
      ).toEqual(whole.map((c) => c.id));
      expect(sub.length).toBeGreaterThan(3);
    }
    const scoped = await userWith(
      p,
      admin,
      'pages-scoped',
      ['customers.read'],
      [areas['1号楼'].id, areas['3号楼'].id],
    );
    const inScope = (await allPages(admin, '/api/v1/customers?sort=-name')).filter(
      (c) => c.areaPath.includes(areas['1号楼'].id) || c.areaPath.includes(areas['3号楼'].id),
    );
    const seen = await allPages(scoped, '/api/v1/customers?sort=-name');
    expect(seen.map((c) => c.id)).toEqual(inScope.map((c) => c.id));
    expect((await scoped.get('/api/v1/customers?limit=1')).body).toMatchObject({ total: inScope.length });
  });

  it('pages meters of a subtree with kind and status filters in asset-number order, both directions', async () => {
    for (let i = 0; i < 8; i++) {
      const areaId = [areas['1单元'].id, areas['2号楼'].id, areas['3号楼'].id][i % 3];
      const r = await admin.post('/api/v1/meters', {
        kind: i % 4 ? 'meter-water' : 'meter-power',
        protocol: 'cjt188',
        assetNo: `PAGE-${(i * 37) % 11}-${i}`,
        commAddress: String(20000000000000 + i),
        areaId,
      });
      expect(r.status).toBe(201);
    }
    const community = areas.阳光花园小区.id;
    for (const order of ['asc', 'desc']) {
      const filter = `kind=meter-water&status=in_stock&order=${order}`;
      const whole = (await allPages(admin, `/api/v1/meters?${filter}`)).filter((m) =>
        m.areaPath.includes(community),
      );
      const sub = await allPages(admin, `/api/v1/meters?${filter}&areaId=${community}`);
      expect(
        sub.map((m) => m.id),
        order,
      ).toEqual(whole.map((m) => m.id));
      expect(sub.length).toBeGreaterThan(3);
      const first = await admin.get(`/api/v1/meters?${filter}&areaId=${community}&limit=1`);
      expect(first.body).toMatchObject({ total: whole.length, totalCapped: false });
    }
  });
});

describe('bad query strings', () => {
  it('answers REQ_VALIDATION to NUL bytes and huge queries on every searched parameter', async () => {
    const huge = 'x'.repeat(5000);
    for (const path of [
      `/api/v1/meters?q=a%00b`,
      `/api/v1/meters?q=${huge}`,
      `/api/v1/customers?q=a%00b`,
      `/api/v1/customers?q=${huge}`,
      `/api/v1/customers?name=${enc('张\u0000')}`,
      `/api/v1/customers?address=${huge}`,
      `/api/v1/customers?phone=1%002`,
      `/api/v1/customers?number=${huge}`,
      '/api/v1/meters?q=',
    ]) {
      const r = await admin.get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.error.code, path).toBe('REQ_VALIDATION');
    }
  });
});
