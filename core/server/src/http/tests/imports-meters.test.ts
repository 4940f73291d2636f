import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import {
  accounts,
  concentrators,
  customers,
  customFields,
  meterRoutes,
  meters,
} from '../../db/schema/index.ts';
import { withTenant } from '../../db/tenant.ts';
import { type Cells, download, type ErrorRow, settle, sheetRows, upload, xlsxOf } from './import-fixtures.ts';
import { type ArchiveWorld, archiveWorld, makeUser } from './meters-fixtures.ts';

let w: ArchiveWorld;
let keeper: Client;
const ROWS = 10_000;
const SUN = '阳光花园小区';
const Q = 'entity=meters&fileName=meters.xlsx';
const HEADERS = [
  '资产编号',
  '表类型',
  '通信协议',
  '通信地址',
  '表位数',
  '初始读数',
  '安装日期',
  '所属区域',
  '账户编号',
  '阀控能力',
  '线路',
  '集中器',
  '测量点号',
  'NB平台',
  '表箱位置',
];
const col = Object.fromEntries(HEADERS.map((h, i) => [h, i]));

/** Meter i: water on a serial line, power behind a concentrator, gas on NB-IoT or heat on LoRa. */
function meterRow(i: number): Cells {
  const n = String(i).padStart(5, '0');
  const area = i % 2 ? `${SUN}/1号楼/1单元` : `${SUN}/2号楼`;
  const account = i % 10 === 0 ? 'ACC-1' : '';
  const common = { area, account, box: `箱${i % 50}` };
  const point = Math.floor(i / 4);
  switch (i % 4) {
    case 0:
      return [
        `M${n}`,
        '水表',
        'cjt188',
        String(i).padStart(14, '0'),
        6,
        '12.5',
        '2024-03-01',
        common.area,
        account,
        '阀门',
        `tcp://10.0.${point % 200}.1:9000`,
        '',
        '',
        '',
        common.box,
      ];
    case 1:
      return [
        `M${n}`,
        'meter-power',
        'gdw1376',
        `3501${String(i).padStart(8, '0')}`,
        6,
        '100',
        '',
        common.area,
        account,
        'relay',
        '',
        point < 2000 ? 'JZQ-01' : '3501-2',
        (point % 2000) + 2,
        '',
        common.box,
      ];
    case 2:
      return [
        `M${n}`,
        '气表',
        'nbiot',
        `86${String(i).padStart(13, '0')}`,
        5,
        '0',
        '2024-03-01',
        common.area,
        account,
        'valve',
        '',
        '',
        '',
        'onenet',
        common.box,
      ];
    default:
      return [
        `M${n}`,
        '热表',
        'lora',
        `A1B2${String(i).padStart(12, '0')}`,
        7,
        '3.25',
        '',
        common.area,
        account,
        '',
        '',
        '',
        '',
        '',
        common.box,
      ];
  }
}
const fixedRows = () => Array.from({ length: ROWS }, (_, i) => meterRow(i + 1));

/** The fixed file with ten rows broken, each in its own way; sheet row → [column, code]. */
function brokenRows() {
  const rows = fixedRows();
  const bad = new Map<number, [string, string]>();
  const set = (i: number, values: Record<string, string | number>, column: string, code: string) => {
    for (const [h, v] of Object.entries(values)) rows[i][col[h]] = v;
    bad.set(i + 2, [column, code]);
  };
  set(100, { 表位数: 'six' }, 'digits', 'integer');
  set(1100, { 所属区域: '不存在小区/9号楼' }, 'area', 'unknown_area');
  // index i is meter i + 1; meters 2100 and 2104 are water meters on serial lines
  set(
    2103,
    { 线路: rows[2099][col.线路] as string, 通信地址: rows[2099][col.通信地址] as string },
    'commAddress',
    'duplicate_address',
  );
  set(3099, { 资产编号: 'EXIST-P1' }, 'assetNo', 'asset_taken');
  set(4103, { 线路: 'tcp://192.168.1.10:4001', 通信地址: '00000000000001' }, 'commAddress', 'route_clash');
  set(5100, { 测量点号: 1, 集中器: 'JZQ-01' }, 'pointNo', 'point_clash');
  set(6100, { 表箱位置: '' }, 'cf:box', 'required');
  set(7100, { 所属区域: '幸福里小区/3号楼' }, 'area', 'area_out_of_scope');
  set(8099, { 通信地址: 'XYZ' }, 'commAddress', 'address_syntax');
  set(9100, { 账户编号: 'NOPE-1' }, 'accountNumber', 'unknown_account');
  return { rows, bad };
}

/** Row counts and the xmin of every meter, route and event row: equal only if nothing was written. */
async function fingerprint() {
  const sql = w.p.running.platform.database.sql;
  const digest = async (table: string, key: string, where = 'true') => {
    const [r] = await sql.unsafe(
      `select count(*)::int as n, md5(coalesce(string_agg(xmin::text || ':' || ${key}, ',' order by ${key}), '')) as h from ${table} where tenant_id = $1 and ${where}`,
      [w.tenantId],
    );
    return r;
  };
  return {
    meters: await digest('meters', 'asset_no'),
    routes: await digest('meter_routes', 'meter_id::text'),
    events: await digest('meter_events', 'id::text'),
    // the history of meters (the import's own upload and apply entries are not part of it)
    audit: await digest('audit_log', 'id::text', "target_type = 'meter'"),
  };
}

async function importFile(c: Client, bytes: Buffer) {
  const up = await upload(c, bytes, Q);
  expect(up.status).toBe(201);
  return { id: up.body.id as string, report: await settle(c, up.body.id) };
}

async function applyAndSettle(c: Client, id: string) {
  const r = await c.post(`/api/v1/imports/${id}/apply`);
  expect(r.status).toBe(200);
  return await settle(c, id);
}

beforeAll(async () => {
  w = await archiveWorld();
  const sun = w.area[SUN].id;
  keeper = await makeUser(w, 'meterkeeper', ['archives.import', 'meters.write', 'meters.read'], [sun]);
  await withTenant(w.p.running.platform.db, w.tenantId, async (tx) => {
    const tenantId = w.tenantId;
    await tx.insert(customFields).values({
      tenantId,
      entity: 'meter',
      key: 'box',
      label: { 'zh-CN': '表箱位置', en: 'Meter box' },
      type: 'text',
      required: true,
    });
    const [cust] = await tx
      .insert(customers)
      .values({ tenantId, number: 'C-1', name: '户主', areaId: sun })
      .returning();
    await tx.insert(accounts).values({ tenantId, customerId: cust.id, number: 'ACC-1' });
    const [c1, c2] = await tx
      .insert(concentrators)
      .values([
        { tenantId, number: 'JZQ-01', a1: '3501', a2: 1, areaId: sun },
        { tenantId, number: 'JZQ-02', a1: '3501', a2: 2, areaId: sun },
      ])
      .returning();
    expect(c2.a2).toBe(2);
    const [p1, s1] = await tx
      .insert(meters)
      .values([
        {
          tenantId,
          kind: 'meter-power',
          assetNo: 'EXIST-P1',
          commAddress: '350100000001',
          protocol: 'gdw1376',
          areaId: sun,
        },
        {
          tenantId,
          kind: 'meter-water',
          assetNo: 'EXIST-S1',
          commAddress: '00000000000001',
          protocol: 'cjt188',
          areaId: sun,
        },
      ])
      .returning();
    await tx.insert(meterRoutes).values([
      {
        tenantId,
        meterId: p1.id,
        via: 'concentrator',
        line: c1.id,
        address: '1',
        concentratorId: c1.id,
        pointNo: 1,
        port: 2,
      },
      {
        tenantId,
        meterId: s1.id,
        via: 'serial',
        line: 'tcp://192.168.1.10:4001',
        address: '00000000000001',
        baud: 2400,
        parity: 'E',
      },
    ]);
  });
});
afterAll(async () => w?.p.stop());

describe('meter import', { timeout: 240_000 }, () => {
  it('a 10k-row file with 10 bad rows changes nothing and reports exactly those rows with their codes', async () => {
    const before = await fingerprint();
    const { rows, bad } = brokenRows();
    const { id, report: done } = await importFile(keeper, await xlsxOf(rows, HEADERS));
    expect(done.status).toBe('validated');
    expect(done.report).toMatchObject({
      total: ROWS,
      errors: 10,
      created: ROWS - 10,
      updated: 0,
      unchanged: 0,
    });
    const reported = new Map<number, [string, string]>(
      done.report.errorRows.map((e: ErrorRow) => [e.row, [e.reasons[0].column, e.reasons[0].code]]),
    );
    expect(reported).toEqual(bad);
    for (const e of done.report.errorRows) expect(e.reasons, `row ${e.row}`).toHaveLength(1);
    const clash = done.report.errorRows.find((e: ErrorRow) => e.row === 4105);
    expect(clash.reasons[0].message).toBe('address on this line is taken by meter EXIST-S1');
    expect(done.report.errorRows.find((e: ErrorRow) => e.row === 2105).reasons[0].message).toBe(
      'the same address on the same line as row 2101',
    );

    const apply = await keeper.post(`/api/v1/imports/${id}/apply`);
    expect([apply.status, apply.body.error.code]).toEqual([409, 'IMPORT_HAS_ERRORS']);
    expect(await fingerprint()).toEqual(before);
    const sheet = await sheetRows(
      (await download(keeper, `/api/v1/imports/${id}/errors.xlsx?lang=en`)).bytes,
    );
    expect(sheet).toHaveLength(11);
    expect(sheet.find((r) => r[0] === '8101')!.at(-1)).toBe(
      'Communication address: cjt188: must be 14 hex digits, not a broadcast or wildcard address',
    );
  });

  it('imports the fixed file fully: meters installed with their routes and install events', async () => {
    const before = await fingerprint();
    const { id, report: checked } = await importFile(keeper, await xlsxOf(fixedRows(), HEADERS));
    expect(checked.report).toMatchObject({ total: ROWS, created: ROWS, errors: 0 });
    const done = await applyAndSettle(keeper, id);
    expect(done.status).toBe('applied');
    expect(done.report).toMatchObject({ total: ROWS, created: ROWS, updated: 0, unchanged: 0, errors: 0 });
    const after = await fingerprint();
    expect(after.meters.n).toBe(before.meters.n + ROWS);
    expect(after.routes.n).toBe(before.routes.n + ROWS);
    expect(after.events.n).toBe(before.events.n + ROWS);
    expect(after.audit.n).toBe(before.audit.n); // a new meter's history is its install event

    const get = async (asset: string) => {
      const r = await keeper.get(`/api/v1/meters?q=${asset}&limit=50`);
      return r.body.items.find((m: { assetNo: string }) => m.assetNo === asset);
    };
    const w4 = await get('M00004');
    expect(w4).toMatchObject({
      kind: 'meter-water',
      protocol: 'cjt188',
      commAddress: '00000000000004',
      digits: 6,
      initialReading: '12.5000',
      installDate: '2024-03-01',
      control: 'valve',
      status: 'installed',
      custom: { box: '箱4' },
      route: {
        via: 'serial',
        line: 'tcp://10.0.1.1:9000',
        address: '00000000000004',
        baud: 2400,
        parity: 'E',
      },
    });
    const p5 = await get('M00005');
    expect(p5.route).toMatchObject({ via: 'concentrator', pointNo: 3, port: 2 });
    expect((await get('M08001')).route.pointNo).toBe(2); // meter 8001: point 2000 → the second concentrator
    expect((await get('M00006')).route).toMatchObject({
      via: 'nbiot',
      line: 'onenet',
      address: '860000000000006',
    });
    expect((await get('M00007')).route).toMatchObject({
      via: 'lora',
      line: 'lora',
      address: 'A1B2000000000007',
    });
    const m10 = await get('M00010');
    expect(m10.accountId).not.toBeNull();
    const h = await keeper.get(`/api/v1/meters/${w4.id}/history`);
    expect(h.body.items).toHaveLength(1);
    expect(h.body.items[0]).toMatchObject({
      kind: 'install',
      actorName: 'meterkeeper',
      readings: { initial: { totalVolume: '12.5' } },
      at: '2024-02-29T16:00:00.000Z',
    });
    const h10 = await keeper.get(`/api/v1/meters/${m10.id}/history`);
    expect(h10.body.items[0]).toMatchObject({ kind: 'install', toAccountId: m10.accountId });
  });

  it('importing the same file again reports every row unchanged and writes nothing', async () => {
    const before = await fingerprint();
    const { id, report: checked } = await importFile(keeper, await xlsxOf(fixedRows(), HEADERS));
    expect(checked.report).toMatchObject({ total: ROWS, created: 0, updated: 0, unchanged: ROWS, errors: 0 });
    const done = await applyAndSettle(keeper, id);
    expect(done.report).toMatchObject({ unchanged: ROWS, created: 0, updated: 0 });
    expect(await fingerprint()).toEqual(before);
  });

  it('an edited row updates its meter and route; frozen fields and account changes are error rows', async () => {
    const rows = [meterRow(4), meterRow(5), meterRow(10), meterRow(8)];
    rows[0][col.线路] = 'tcp://10.0.9.1:9000'; // moved to another line
    rows[1][col.初始读数] = '200'; // installed: initial reading frozen
    rows[2][col.账户编号] = ''; // empty keeps the account
    rows[3][col.账户编号] = 'ACC-1'; // meter 8 had none: only a transfer sets it
    const { id, report } = await importFile(keeper, await xlsxOf(rows, HEADERS));
    expect(report.report).toMatchObject({ updated: 1, unchanged: 1, errors: 2 });
    expect(report.report.errorRows.map((e: ErrorRow) => [e.row, e.reasons[0].code])).toEqual([
      [3, 'meter_state'],
      [5, 'account_change'],
    ]);
    const fixed = await importFile(keeper, await xlsxOf([rows[0], rows[2]], HEADERS));
    expect(fixed.report.report).toMatchObject({ updated: 1, unchanged: 1, errors: 0 });
    expect((await applyAndSettle(keeper, fixed.id)).status).toBe('applied');
    const r = await keeper.get('/api/v1/meters?q=M00004&limit=5');
    expect(r.body.items[0].route.line).toBe('tcp://10.0.9.1:9000');
    expect(id).not.toBe(fixed.id);
  });
});

describe('meter import access', { timeout: 120_000 }, () => {
  it('needs archives.import and meters.write: others get AUTH_FORBIDDEN and nothing is stored', async () => {
    const importOnly = await makeUser(w, 'importonly', ['archives.import', 'meters.read'], []);
    const writeOnly = await makeUser(w, 'writeonly', ['meters.write', 'meters.read'], []);
    const sql = w.p.running.platform.database.sql;
    const count = async () => (await sql`select count(*)::int as n from imports`)[0].n;
    const before = await count();
    const file = await xlsxOf([meterRow(1)], HEADERS);
    for (const c of [importOnly, writeOnly]) {
      const r = await upload(c, file, Q);
      expect([r.status, r.body.error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
      const t = await c.get('/api/v1/imports/templates/meters');
      expect(t.body.error.code).toBe('AUTH_FORBIDDEN');
    }
    expect(await count()).toBe(before);
    // an import the admin validated cannot be applied by a user lacking meters.write
    const mine = await importFile(w.admin, await xlsxOf([meterRow(20_001)], HEADERS));
    expect(mine.report.report).toMatchObject({ created: 1, errors: 0 });
    const r = await importOnly.post(`/api/v1/imports/${mine.id}/apply`);
    expect([r.status, r.body.error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    expect((await w.admin.get(`/api/v1/imports/${mine.id}`)).body.status).toBe('validated');
    // a customers import still needs only archives.import
    expect((await importOnly.get('/api/v1/imports/templates/customers')).status).toBe(200);
  });

  it('another tenant’s names do not resolve, and its meter import is invisible here', async () => {
    const row = meterRow(1);
    row[col.所属区域] = `${SUN}/1号楼`;
    row[col.账户编号] = 'ACC-1';
    row[col.集中器] = 'JZQ-01';
    row[col.资产编号] = 'M00001';
    const cf = await w.other.get('/api/v1/imports/templates/meters?lang=en');
    expect(cf.status).toBe(200);
    const up = await upload(w.other, await xlsxOf([row], HEADERS.slice(0, -1)), Q);
    const theirs = await settle(w.other, up.body.id);
    expect(theirs.report.errorRows[0].reasons.map((r: { code: string }) => r.code).sort()).toEqual([
      'unknown_account',
      'unknown_area',
      'unknown_concentrator',
    ]);
    for (const [method, path] of [
      ['GET', `/api/v1/imports/${up.body.id}`],
      ['POST', `/api/v1/imports/${up.body.id}/apply`],
      ['GET', `/api/v1/imports/${up.body.id}/errors.xlsx`],
    ]) {
      const r = await w.admin.request(method, path, method === 'POST' ? {} : undefined);
      expect([r.status, r.body.error.code], path).toEqual([404, 'RESOURCE_NOT_FOUND']);
    }
    expect((await w.other.get(`/api/v1/imports/${up.body.id}`)).body).toEqual(theirs);
  });

  it('a scoped user cannot touch a meter outside their areas through the file', async () => {
    const out = w.area.幸福里小区.id;
    await withTenant(w.p.running.platform.db, w.tenantId, (tx) =>
      tx.insert(meters).values({
        tenantId: w.tenantId,
        kind: 'meter-water',
        assetNo: 'FAR-1',
        commAddress: '00000000009999',
        protocol: 'cjt188',
        areaId: out,
      }),
    );
    const row = meterRow(12);
    row[col.资产编号] = 'FAR-1';
    const { report } = await importFile(keeper, await xlsxOf([row], HEADERS));
    expect(report.report.errorRows.map((e: ErrorRow) => e.reasons[0].code)).toEqual(['meter_out_of_scope']);
  });

  it('bad cells and bad files answer stable codes and write nothing', async () => {
    const before = await fingerprint();
    const rows = [1, 2, 3, 4, 5, 6].map((i) => meterRow(30_000 + i));
    rows[0][col.表位数] = 99;
    rows[1][col.初始读数] = '1e9';
    rows[2][col.表类型] = 'meter-plasma';
    rows[3][col.通信协议] = 'modbus';
    rows[4][col.初始读数] = '9999999'; // 7 integer digits on a 6-digit register
    rows[5][col.线路] = 'tcp://host:99999';
    const { report } = await importFile(keeper, await xlsxOf(rows, HEADERS));
    expect(
      report.report.errorRows.map((e: ErrorRow) => [e.row, e.reasons[0].column, e.reasons[0].code]),
    ).toEqual([
      [2, 'digits', 'range'],
      [3, 'initialReading', 'number'],
      [4, 'kind', 'unknown_kind'],
      [5, 'protocol', 'option'],
      [6, 'initialReading', 'reading_range'],
      [7, 'line', 'serial_line'],
    ]);
    const csv = `资产编号,表类型,通信协议,通信地址,所属区域,表箱位置\nN1,水表,cjt188,"0000\u00000000001",${SUN}/2号楼,x\n`;
    const nul = await upload(keeper, csv, 'entity=meters', 'text/csv');
    const nulDone = await settle(keeper, nul.body.id);
    expect(nulDone.report.errorRows[0].reasons[0]).toMatchObject({ column: 'commAddress', code: 'nul' });
    const noAddress = await upload(keeper, await xlsxOf([['X1', '水表', 'cjt188']], HEADERS.slice(0, 3)), Q);
    const failed = await settle(keeper, noAddress.body.id);
    expect([failed.status, failed.report.fatal.code]).toEqual(['failed', 'IMPORT_HEADER_INVALID']);
    const empty = await upload(keeper, Buffer.alloc(0), Q);
    expect([empty.status, empty.body.error.code]).toEqual([400, 'IMPORT_FILE_EMPTY']);
    const lang = await keeper.get('/api/v1/imports/templates/meters?lang=fr');
    expect([lang.status, lang.body.error.code]).toEqual([400, 'REQ_VALIDATION']);
    expect(await fingerprint()).toEqual(before);
  });

  it('the template carries zh-CN or en headers and the tenant’s meter custom fields', async () => {
    const [zh] = await sheetRows((await download(keeper, '/api/v1/imports/templates/meters')).bytes);
    expect(zh.slice(0, 4)).toEqual(['资产编号*', '表类型*', '通信协议*', '通信地址*']);
    expect(zh.at(-1)).toBe('表箱位置*');
    const [en] = await sheetRows((await download(keeper, '/api/v1/imports/templates/meters?lang=en')).bytes);
    expect(en).toEqual(
      expect.arrayContaining(['Asset number*', 'Measuring point', 'Concentrator', 'Meter box*']),
    );
  });
});
