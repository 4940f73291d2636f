import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { customFields, tenants } from '../../db/schema/index.ts';
import { withTenant } from '../../db/tenant.ts';
import { download, type ErrorRow, settle, sheetRows, upload, xlsxOf } from './import-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let keeper: Client;
let clerk: Client;
let other: Client;
let tenantId: string;

const CSV_HEAD = '用户编号,用户名称,联系电话,证件号码,所属区域,状态,供暖方式\n';
const csvRow = (n: string, area: string, status = 'active') =>
  `${n},"${n} 名",13912345678,110101199001011234,${area},${status},集中供暖\n`;

async function count(table: string) {
  const [r] = await p.running.platform.database.sql.unsafe(
    `select count(*)::int as n from ${table} where tenant_id = $1`,
    [tenantId],
  );
  return r.n as number;
}

async function userWith(name: string, permissions: string[], areaIds: string[] = []) {
  const role = await admin.post('/api/v1/roles', { name: `${name}-role`, permissions });
  const made = await admin.post('/api/v1/users', {
    username: name,
    displayName: name,
    password: `${name}-password`,
    roleIds: [role.body.id],
    areaIds,
  });
  expect(made.status).toBe(201);
  return await loggedIn(p.baseUrl, 'demo', name, `${name}-password`);
}

beforeAll(async () => {
  p = await startTestPlatform({ QUADMETER_IMPORT_LIMIT_MB: '1' });
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const db = p.running.platform.db;
  [{ id: tenantId }] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.code, 'demo'));
  await withTenant(db, tenantId, (tx) =>
    tx.insert(customFields).values({
      tenantId,
      entity: 'customer',
      key: 'heating',
      label: { 'zh-CN': '供暖方式', en: 'Heating' },
      type: 'select',
      required: true,
      options: ['集中供暖', '自采暖'],
    }),
  );
  const areas: { id: string; name: string }[] = (await admin.get('/api/v1/areas')).body.items;
  const b1 = areas.find((a) => a.name === '1号楼')!;
  keeper = await userWith('keeper', ['archives.import', 'customers.read'], [b1.id]);
  clerk = await userWith('clerk', ['customers.read', 'areas.read']);
  const op = await loggedIn(p.baseUrl, 'platform', 'operator', p.operator.password);
  expect(
    (
      await op.post('/api/v1/tenants', {
        code: 'other',
        name: '另一家',
        adminUsername: 'boss',
        adminPassword: 'other-password',
      })
    ).status,
  ).toBe(201);
  other = await loggedIn(p.baseUrl, 'other', 'boss', 'other-password');
  // the admin's customers, imported from CSV: two in building 1, one in building 3
  const csv =
    CSV_HEAD +
    csvRow('E001', '1号楼/1单元') +
    csvRow('E002', '1号楼') +
    csvRow('E003', '3号楼/1单元', '销户');
  const up = await upload(admin, csv, 'entity=customers&fileName=e.csv', 'text/csv; charset=utf-8');
  expect(up.status).toBe(201);
  expect((await settle(admin, up.body.id)).report).toMatchObject({ created: 3, errors: 0 });
  await admin.post(`/api/v1/imports/${up.body.id}/apply`);
  expect((await settle(admin, up.body.id)).status).toBe('applied');
});
afterAll(async () => p?.stop());

describe('import templates', () => {
  it('carries the zh-CN or en headers and the tenant’s custom fields', async () => {
    const zh = await download(admin, '/api/v1/imports/templates/customers?lang=zh-CN');
    expect(zh.status).toBe(200);
    expect(zh.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const [head] = await sheetRows(zh.bytes);
    expect(head.slice(0, 3)).toEqual(['用户编号*', '用户名称*', '用户类型']);
    expect(head.at(-1)).toBe('供暖方式*');
    const [enHead] = await sheetRows(
      (await download(admin, '/api/v1/imports/templates/customers?lang=en')).bytes,
    );
    expect(enHead.slice(0, 2)).toEqual(['Customer number*', 'Name*']);
    expect(enHead.at(-1)).toBe('Heating*');
    const unknown = await admin.get('/api/v1/imports/templates/planets');
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'REQ_VALIDATION']);
  });
});

describe('import API documentation', () => {
  it('documents the import and export routes with their file media types', async () => {
    const doc = (await admin.get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/imports',
        '/api/v1/imports/{id}',
        '/api/v1/imports/{id}/apply',
        '/api/v1/imports/{id}/errors.xlsx',
        '/api/v1/imports/templates/{entity}',
        '/api/v1/customers/export.xlsx',
      ]),
    );
    expect(Object.keys(doc.paths['/api/v1/imports'].post.requestBody.content).sort()).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv',
    ]);
  });
});

describe('import access', () => {
  it('another tenant’s import answers 404 on every route and stays as it was', async () => {
    const up = await upload(other, await xlsxOf([['X1', 'x', '居民', '', 'nowhere']]));
    expect(up.status).toBe(201);
    const theirs = await settle(other, up.body.id);
    for (const [method, path] of [
      ['GET', `/api/v1/imports/${up.body.id}`],
      ['POST', `/api/v1/imports/${up.body.id}/apply`],
      ['GET', `/api/v1/imports/${up.body.id}/errors.xlsx`],
    ]) {
      const r = await admin.request(method, path, method === 'POST' ? {} : undefined);
      expect([r.status, r.body.error.code], path).toEqual([404, 'RESOURCE_NOT_FOUND']);
    }
    expect((await admin.get('/api/v1/imports')).body.items.map((i: { id: string }) => i.id)).not.toContain(
      up.body.id,
    );
    expect((await other.get(`/api/v1/imports/${up.body.id}`)).body).toEqual(theirs);
  });

  it('a scoped user’s row outside their areas is an error row, and others’ imports are hidden from them', async () => {
    const rows = [
      ['K001', '内', '居民', '', '1号楼/1单元', '', '', '', '', '', '集中供暖'],
      ['K002', '外', '居民', '', '3号楼/1单元', '', '', '', '', '', '集中供暖'],
      ['E003', '改名', '居民', '', '1号楼', '', '', '', '', '', '集中供暖'],
    ];
    const up = await upload(keeper, await xlsxOf(rows));
    const done = await settle(keeper, up.body.id);
    expect(done.report).toMatchObject({ total: 3, created: 1, errors: 2 });
    expect(done.report.errorRows.map((e: ErrorRow) => [e.row, e.reasons[0].code])).toEqual([
      [3, 'area_out_of_scope'],
      [4, 'customer_out_of_scope'],
    ]);
    const adminImports: string[] = (await admin.get('/api/v1/imports')).body.items.map(
      (i: { id: string }) => i.id,
    );
    const mine: string[] = (await keeper.get('/api/v1/imports')).body.items.map((i: { id: string }) => i.id);
    expect(mine).toEqual([up.body.id]);
    const foreign = adminImports.find((id) => id !== up.body.id)!;
    expect((await keeper.get(`/api/v1/imports/${foreign}`)).body.error.code).toBe('RESOURCE_NOT_FOUND');
  });

  it('lists the importable entities with their columns; needs archives.import', async () => {
    const r = await admin.get('/api/v1/imports/entities');
    expect(r.status).toBe(200);
    const customers = r.body.items.find((e: { name: string }) => e.name === 'customers');
    expect(customers.keyColumn).toBe('number');
    expect(customers.columns[0]).toEqual({
      key: 'number',
      header: { 'zh-CN': '用户编号', en: 'Customer number' },
      required: true,
    });
    expect(customers.columns.find((col: { key: string }) => col.key === 'phone').required).toBe(false);
    expect((await keeper.get('/api/v1/imports/entities')).status).toBe(200);
    expect((await clerk.get('/api/v1/imports/entities')).body.error.code).toBe('AUTH_FORBIDDEN');
    expect(
      (await other.get('/api/v1/imports/entities')).body.items.map((e: { name: string }) => e.name),
    ).toEqual(r.body.items.map((e: { name: string }) => e.name));
  });

  it('a user without archives.import gets AUTH_FORBIDDEN and nothing is stored', async () => {
    const before = await count('imports');
    const some = (await admin.get('/api/v1/imports')).body.items[0].id;
    expect((await upload(clerk, await xlsxOf([]))).body.error.code).toBe('AUTH_FORBIDDEN');
    expect((await upload(clerk, '{}', 'entity=customers', 'application/json')).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    for (const path of ['/api/v1/imports', `/api/v1/imports/${some}`, '/api/v1/imports/templates/customers'])
      expect((await clerk.get(path)).body.error.code, path).toBe('AUTH_FORBIDDEN');
    expect((await clerk.post(`/api/v1/imports/${some}/apply`)).body.error.code).toBe('AUTH_FORBIDDEN');
    expect(await count('imports')).toBe(before);
  });

  it('bad uploads answer stable 4xx codes and store nothing', async () => {
    const before = await count('imports');
    const cases: [Buffer | string, string, string, number, string][] = [
      [Buffer.from('not a workbook'), 'entity=customers', undefined as never, 400, 'IMPORT_FILE_INVALID'],
      [
        Buffer.from('PK\u0003\u0004 zip without a workbook'),
        'entity=customers',
        undefined as never,
        400,
        'IMPORT_FILE_INVALID',
      ],
      [Buffer.alloc(0), 'entity=customers', undefined as never, 400, 'IMPORT_FILE_EMPTY'],
      [Buffer.alloc(1024 * 1024 + 1, 65), 'entity=customers', undefined as never, 413, 'REQ_BODY_TOO_LARGE'],
      [await xlsxOf([]), 'entity=planets', undefined as never, 400, 'REQ_VALIDATION'],
      [await xlsxOf([]), '', undefined as never, 400, 'REQ_VALIDATION'],
      [await xlsxOf([]), 'entity=customers&fileName=a%00b', undefined as never, 400, 'REQ_VALIDATION'],
      ['{"a":1}', 'entity=customers', 'application/json', 415, 'REQ_UNSUPPORTED_MEDIA'],
      [Buffer.from([0xff, 0xfe, 0x00]), 'entity=customers', 'text/csv', 400, 'IMPORT_FILE_INVALID'],
    ];
    for (const [body, query, type, status, code] of cases) {
      const r = await upload(admin, body, query, type);
      expect([r.status, r.body.error.code], `${query} ${type}`).toEqual([status, code]);
    }
    expect(await count('imports')).toBe(before);
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await admin.get(`/api/v1/imports/${id}`)).body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect((await admin.get('/api/v1/imports/not-a-uuid')).body.error.code).toBe('REQ_VALIDATION');
  });

  it('a file missing a required column fails as a whole; NUL and bad cells in CSV are row errors', async () => {
    const noArea = await upload(admin, await xlsxOf([['Z1', 'z']], ['用户编号', '用户名称']));
    const failed = await settle(admin, noArea.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.report.fatal.code).toBe('IMPORT_HEADER_INVALID');
    expect((await admin.post(`/api/v1/imports/${noArea.body.id}/apply`)).body.error.code).toBe(
      'IMPORT_NOT_READY',
    );
    const csv = `${CSV_HEAD}N1,"a\u0000b",13900000001,,1号楼,active,集中供暖\nN2,ok,13900000002,,1号楼,open,集中供暖\n`;
    const up = await upload(admin, csv, 'entity=customers', 'text/csv');
    const done = await settle(admin, up.body.id);
    expect(
      done.report.errorRows.map((e: ErrorRow) => [e.row, e.reasons.map((r: { code: string }) => r.code)]),
    ).toEqual([
      [2, ['nul']],
      [3, ['option']],
    ]);
    expect(await count('customers')).toBe(3);
  });
});

describe('customer export', () => {
  it('streams the filtered customers; phone and ID are masked without customers.pii', async () => {
    const full = await download(admin, '/api/v1/customers/export.xlsx');
    expect(full.status).toBe(200);
    const rows = await sheetRows(full.bytes);
    expect(rows[0].slice(0, 4)).toEqual(['用户编号', '用户名称', '用户类型', '联系电话']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['E001', 'E002', 'E003']);
    expect(rows[1].slice(3, 7)).toEqual([
      '13912345678',
      '110101199001011234',
      '',
      '演示水务集团/城东分公司/阳光花园小区/1号楼/1单元',
    ]);
    expect(rows[1].at(-1)).toBe('集中供暖');
    const masked = await sheetRows(
      (await download(clerk, '/api/v1/customers/export.xlsx?status=active&lang=en')).bytes,
    );
    expect(masked[0][0]).toBe('Customer number');
    expect(masked.slice(1).map((r) => r.slice(0, 5))).toEqual([
      ['E001', 'E001 名', 'resident', '139****5678', '1101**********1234'],
      ['E002', 'E002 名', 'resident', '139****5678', '1101**********1234'],
    ]);
    const q = await sheetRows((await download(admin, '/api/v1/customers/export.xlsx?q=E003')).bytes);
    expect(q.slice(1).map((r) => [r[0], r[10]])).toEqual([['E003', 'closed']]);
  });

  it('exports only rows inside the caller’s areas; needs customers.read', async () => {
    const rows = await sheetRows((await download(keeper, '/api/v1/customers/export.xlsx')).bytes);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['E001', 'E002']);
    const none = await userWith('nobody', ['areas.read']);
    const r = await none.get('/api/v1/customers/export.xlsx');
    expect([r.status, r.body.error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    const bad = await admin.get('/api/v1/customers/export.xlsx?status=gone');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'REQ_VALIDATION']);
  });
});

describe('apply re-checks', () => {
  it('a required custom field added after the dry run fails the apply and writes nothing', async () => {
    const up = await upload(
      admin,
      await xlsxOf([['L1', '新户', '居民', '', '1号楼', '', '', '', '', '', '集中供暖']]),
    );
    expect((await settle(admin, up.body.id)).report).toMatchObject({ created: 1, errors: 0 });
    await withTenant(p.running.platform.db, tenantId, (tx) =>
      tx.insert(customFields).values({
        tenantId,
        entity: 'customer',
        key: 'meterBox',
        label: { 'zh-CN': '表箱号', en: 'Meter box' },
        type: 'text',
        required: true,
      }),
    );
    const before = await count('customers');
    expect((await admin.post(`/api/v1/imports/${up.body.id}/apply`)).status).toBe(200);
    const done = await settle(admin, up.body.id);
    expect(done.status).toBe('failed');
    expect(done.progress.error.code).toBe('IMPORT_HEADER_INVALID');
    expect(await count('customers')).toBe(before);
  });
});
