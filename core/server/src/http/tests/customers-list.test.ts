import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { customers } from '../../db/schema/index.ts';
import { withSystem } from '../../db/tenant.ts';
import { afterCondition, encodeCursor } from '../../services/archives/list-kit.ts';
import { type Area, demoAreas, inDemo, tenantId } from './archive-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let areas: Record<string, Area>;
const made: { id: string; number: string; name: string }[] = [];

const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙'];

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  for (let i = 0; i < 23; i++) {
    const r = await admin.post('/api/v1/customers', {
      number: `L${String(100 - i).padStart(4, '0')}`,
      // repeated names so the name sort needs the id tie-breaker
      name: `${surnames[i % surnames.length]}${i % 3 === 0 ? '明' : '华'}`,
      type: i % 2 ? 'resident' : 'commercial',
      phone: `1370000${String(i).padStart(4, '0')}`,
      address: `幸福里小区3号楼${i}室`,
      areaId: (i % 4 === 0 ? areas['1单元'] : i % 4 === 1 ? areas['2号楼'] : areas['3号楼']).id,
      tags: ['page-test', ...(i % 5 === 0 ? ['arrears'] : [])],
      status: i === 7 ? 'closed' : 'active',
    });
    expect(r.status).toBe(201);
    made.push(r.body);
  }
});
afterAll(async () => p?.stop());

async function walk(query: string, limit: number) {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const url: string = `/api/v1/customers?tag=page-test&limit=${limit}${query}${after ? `&after=${after}` : ''}`;
    const r = await admin.get(url);
    expect(r.status, url).toBe(200);
    expect(r.body.total).toBe(23);
    expect(r.body.totalIsEstimate).toBe(false);
    ids.push(...r.body.items.map((c: { id: string }) => c.id));
    after = r.body.next;
    pages++;
  } while (after && pages < 50);
  return { ids, pages };
}

describe('customer list', () => {
  it('keyset pagination returns every row exactly once in every sort', async () => {
    for (const sort of ['number', '-number', 'name', '-name', 'createdAt', '-createdAt']) {
      const { ids, pages } = await walk(`&sort=${sort}`, 5);
      expect(ids, sort).toHaveLength(23);
      expect(new Set(ids).size, sort).toBe(23);
      expect(pages, sort).toBe(5);
    }
    const byNumber = (await walk('&sort=number', 4)).ids;
    const expected = [...made].sort((a, b) => (a.number < b.number ? -1 : 1)).map((c) => c.id);
    expect(byNumber).toEqual(expected);
    expect((await walk('&sort=-number', 200)).ids).toEqual([...expected].reverse());
  });

  it('rejects a cursor made for another sort, a forged cursor and a limit over 200', async () => {
    const first = await admin.get('/api/v1/customers?tag=page-test&limit=5&sort=name');
    const wrongSort = await admin.get(`/api/v1/customers?tag=page-test&sort=number&after=${first.body.next}`);
    expect(wrongSort.status).toBe(400);
    expect(wrongSort.body.error.code).toBe('LIST_CURSOR_INVALID');
    for (const bad of ['%%%', 'eyJzIjoibnVtYmVyIn0', encodeCursor('number', 'x', 'not-a-uuid')]) {
      const r = await admin.get(`/api/v1/customers?after=${encodeURIComponent(bad)}`);
      expect(r.body.error.code, bad).toMatch(/^(LIST_CURSOR_INVALID|REQ_VALIDATION)$/);
    }
    expect((await admin.get('/api/v1/customers?limit=201')).body.error.code).toBe('REQ_VALIDATION');
    expect((await admin.get('/api/v1/customers?limit=0')).body.error.code).toBe('REQ_VALIDATION');
    expect((await admin.get('/api/v1/customers?sort=phone')).body.error.code).toBe('REQ_VALIDATION');
  });

  it('filters by area subtree, status, type, tag, number, name and address', async () => {
    const count = async (q: string) =>
      (await admin.get(`/api/v1/customers?tag=page-test&limit=200${q}`)).body.items;
    const community = await count(`&areaId=${areas.阳光花园小区.id}`);
    // i % 4 in {0, 1}: 1单元 (below 1号楼) and 2号楼 lie in 阳光花园小区
    expect(community).toHaveLength(12);
    expect(
      (await count(`&areaId=${areas['1号楼'].id}`)).every(
        (c: { areaId: string }) => c.areaId === areas['1单元'].id,
      ),
    ).toBe(true);
    expect((await count('&status=closed')).map((c: { number: string }) => c.number)).toEqual(['L0093']);
    expect(await count('&type=commercial')).toHaveLength(12);
    expect((await admin.get('/api/v1/customers?tag=arrears')).body.total).toBe(5);
    expect((await count('&number=L008')).map((c: { number: string }) => c.number).sort()).toEqual([
      'L0080',
      'L0081',
      'L0082',
      'L0083',
      'L0084',
      'L0085',
      'L0086',
      'L0087',
      'L0088',
      'L0089',
    ]);
    expect(await count('&name=明')).toHaveLength(8);
    expect((await count('&address=3号楼12室')).map((c: { number: string }) => c.number)).toEqual(['L0088']);
  });

  it('searches q by a fragment of number, name, address or phone (trigram indexes)', async () => {
    const q = async (s: string) =>
      (await admin.get(`/api/v1/customers?limit=200&q=${encodeURIComponent(s)}`)).body.items.map(
        (c: { number: string }) => c.number,
      );
    expect(await q('00000012')).toEqual(['L0088']); // phone fragment
    expect(await q('L0099')).toEqual(['L0099']); // number fragment
    expect((await q('小区3号楼2')).sort()).toEqual(['L0078', 'L0079', 'L0080', 'L0098']); // 2, 20, 21, 22室
    expect((await q('赵华')).length).toBeGreaterThan(0);
    // % and _ are literal in a search, not wildcards
    expect(await q('L00_9')).toEqual([]);
    expect(await q('%')).toEqual([]);
  });

  it('caps the count at 10,000 and says the total is an estimate', async () => {
    const tid = await tenantId(p, 'demo');
    await inDemo(p, (tx) =>
      tx.execute(sql`insert into customers (tenant_id, number, name, area_id, tags)
        select ${tid}, 'BULK' || lpad(g::text, 6, '0'), '批量' || g, ${areas['2号楼'].id}, array['bulk']
        from generate_series(1, 10005) g`),
    );
    const r = await admin.get('/api/v1/customers?tag=bulk&limit=3');
    expect(r.body).toMatchObject({ total: 10_000, totalIsEstimate: true });
    expect(r.body.items.map((c: { number: string }) => c.number)).toEqual([
      'BULK000001',
      'BULK000002',
      'BULK000003',
    ]);
    const small = await admin.get('/api/v1/customers?tag=bulk&q=BULK01000');
    expect(small.body).toMatchObject({ total: 6, totalIsEstimate: false });
    // under row-level security the keyset condition still seeks the number index (the row
    // comparison yields a leakproof `number >=` index condition)
    await withSystem(p.running.platform.db, (tx) => tx.execute(sql`analyze customers`));
    const plan = await inDemo(p, async (tx) => {
      const rows = await tx.execute<{ 'QUERY PLAN': string }>(sql`explain select id from customers
        where ${afterCondition(customers.number, customers.id, 'asc', { key: 'BULK005000', id: tid })}
        order by number, id limit 51`);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index Cond: .*number >= /);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await admin.get('/api/openapi.json')).body;
    for (const path of [
      '/api/v1/customers',
      '/api/v1/customers/{id}',
      '/api/v1/customers/{id}/facts',
      '/api/v1/customers/{id}/history',
      '/api/v1/customers/{id}/accounts',
      '/api/v1/accounts',
      '/api/v1/accounts/{id}',
      '/api/v1/accounts/{id}/billing-modes',
      '/api/v1/custom-fields',
      '/api/v1/custom-fields/{entity}/{key}',
    ])
      expect(doc.paths[path], path).toBeDefined();
    const account = doc.paths['/api/v1/accounts'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(account.properties.depositFen)).toContain('^[0-9]{1,18}$');
    const customer = doc.components.schemas.Customer;
    expect(customer.properties.phone.description).toBe('masked unless you hold customers.pii');
  });
});
