import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { concentrators, customFields } from '../../db/schema/index.ts';
import { withTenant } from '../../db/tenant.ts';
import { type Cells, type ErrorRow, settle, upload, xlsxOf } from './import-fixtures.ts';
import { type ArchiveWorld, archiveWorld, makeUser } from './meters-fixtures.ts';

// The concentrator and collector sheets: what a new estate's gateways look like before its meters
// are imported and routed through them.

let w: ArchiveWorld;
let keeper: Client;
const SUN = '阳光花园小区';
const C_HEADERS = [
  '集中器编号',
  '名称',
  '行政区划码(A1)',
  '终端地址(A2)',
  'SIM卡号',
  'ICCID',
  '所属区域',
  '状态',
  '安装人',
];
const K_HEADERS = ['采集器编号', '接口类型', '采集器地址', '所属集中器', '所属区域'];
const cq = 'entity=concentrators&fileName=c.xlsx';
const kq = 'entity=collectors&fileName=k.xlsx';

const concRow = (i: number): Cells => [
  `IMP-JZQ-${i}`,
  `${i}号楼集中器`,
  '3502',
  i,
  `1440000${String(i).padStart(4, '0')}`,
  `8986${String(i).padStart(16, '0')}`,
  `${SUN}/1号楼`,
  '正常',
  '李工',
];
const collRow = (i: number): Cells => [
  `IMP-CJQ-${i}`,
  i % 2 ? 'RS-485' : 'M-Bus',
  String(i).padStart(12, '0'),
  i % 3 ? `IMP-JZQ-${(i % 5) + 1}` : `3502-${(i % 5) + 1}`,
  `${SUN}/2号楼`,
];

/** Counts and xmin digests of the gateway tables and their audit rows: equal only if nothing was written. */
async function fingerprint(tenantId = w.tenantId) {
  const sql = w.p.running.platform.database.sql;
  const digest = async (table: string, where = 'true') => {
    const [r] = await sql.unsafe(
      `select count(*)::int as n, md5(coalesce(string_agg(xmin::text || ':' || id::text, ',' order by id), '')) as h
         from ${table} where tenant_id = $1 and ${where}`,
      [tenantId],
    );
    return r;
  };
  return {
    concentrators: await digest('concentrators'),
    collectors: await digest('collectors'),
    audit: await digest('audit_log', "target_type in ('concentrator', 'collector')"),
  };
}

async function importFile(c: Client, rows: Cells[], headers: string[], q: string) {
  const up = await upload(c, await xlsxOf(rows, headers), q);
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  return { id: up.body.id as string, done: await settle(c, up.body.id) };
}

async function applyAndSettle(c: Client, id: string) {
  const r = await c.post(`/api/v1/imports/${id}/apply`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return settle(c, id);
}

const reasons = (done: { report: { errorRows: ErrorRow[] } }) =>
  done.report.errorRows.map((e) => [e.row, e.reasons[0].column, e.reasons[0].code]);

beforeAll(async () => {
  w = await archiveWorld();
  keeper = await makeUser(
    w,
    'gatekeeper',
    ['archives.import', 'meters.write', 'meters.read'],
    [w.area[SUN].id],
  );
  await withTenant(w.p.running.platform.db, w.tenantId, async (tx) => {
    await tx.insert(customFields).values({
      tenantId: w.tenantId,
      entity: 'concentrator',
      key: 'installer',
      label: { 'zh-CN': '安装人', en: 'Installer' },
      type: 'text',
      required: true,
    });
    await tx.insert(concentrators).values([
      { tenantId: w.tenantId, number: 'HOLD-1', a1: '3502', a2: 900, areaId: w.area[SUN].id },
      { tenantId: w.tenantId, number: 'FAR-JZQ', a1: '3502', a2: 901, areaId: w.area.幸福里小区.id },
    ]);
  });
});
afterAll(async () => w?.p.stop());

describe('concentrator and collector import', { timeout: 120_000 }, () => {
  it('a concentrator sheet with bad rows changes nothing and reports exactly those rows', async () => {
    const before = await fingerprint();
    const rows = Array.from({ length: 40 }, (_, i) => concRow(i + 1));
    rows[2][2] = '35G2'; // A1 is 4 hex digits
    rows[5][3] = 70000; // A2 is 1–65535
    rows[8][3] = 8; // the same A1/A2 as row 9 (concentrator 8)
    rows[11][3] = 900; // taken by HOLD-1 in the database
    rows[14][6] = '不存在小区';
    rows[17][6] = '幸福里小区/3号楼';
    rows[20][0] = 'FAR-JZQ'; // a stored concentrator outside the keeper's areas
    rows[23][8] = ''; // the required custom field
    rows[26][7] = '报废';
    rows[29][4] = '1'.repeat(40); // longer than a SIM number can be
    const { id, done } = await importFile(keeper, rows, C_HEADERS, cq);
    expect(done.status).toBe('validated');
    expect(done.report).toMatchObject({ total: 40, errors: 10, created: 30 });
    expect(reasons(done)).toEqual([
      [4, 'a1', 'address_syntax'],
      [7, 'a2', 'range'],
      [10, 'a2', 'duplicate_address'],
      [13, 'a2', 'address_taken'],
      [16, 'area', 'unknown_area'],
      [19, 'area', 'area_out_of_scope'],
      [22, 'number', 'gateway_out_of_scope'],
      [25, 'cf:installer', 'required'],
      [28, 'status', 'option'],
      [31, 'sim', 'too_long'],
    ]);
    const apply = await keeper.post(`/api/v1/imports/${id}/apply`);
    expect([apply.status, apply.body.error.code]).toEqual([409, 'IMPORT_HAS_ERRORS']);
    expect(await fingerprint()).toEqual(before);
  });

  it('imports the fixed sheet, then reports every row unchanged and writes nothing', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => concRow(i + 1));
    const before = await fingerprint();
    const { id } = await importFile(keeper, rows, C_HEADERS, cq);
    const done = await applyAndSettle(keeper, id);
    expect(done.status).toBe('applied');
    expect(done.report).toMatchObject({ total: 40, created: 40, errors: 0 });
    const after = await fingerprint();
    expect(after.concentrators.n).toBe(before.concentrators.n + 40);
    expect(after.audit.n).toBe(before.audit.n + 40);
    const listed = (await keeper.get('/api/v1/concentrators')).body.items.find(
      (c: { number: string }) => c.number === 'IMP-JZQ-7',
    );
    expect(listed).toMatchObject({
      name: '7号楼集中器',
      a1: '3502',
      a2: 7,
      sim: '14400000007',
      iccid: '89860000000000000007',
      areaId: w.below(w.area[SUN].id, '1号楼'),
      status: 'active',
      custom: { installer: '李工' },
    });

    const again = await importFile(keeper, rows, C_HEADERS, cq);
    expect(again.done.report).toMatchObject({ total: 40, created: 0, updated: 0, unchanged: 40, errors: 0 });
    await applyAndSettle(keeper, again.id);
    expect(await fingerprint()).toEqual(after);

    // one changed cell updates that concentrator alone, with its history
    rows[6][1] = '七号楼集中器';
    const third = await importFile(keeper, rows, C_HEADERS, cq);
    expect(third.done.report).toMatchObject({ updated: 1, unchanged: 39 });
    await applyAndSettle(keeper, third.id);
    const last = await fingerprint();
    expect(last.audit.n).toBe(after.audit.n + 1);
    const updates = (await w.admin.get('/api/v1/audit?action=concentrators.update')).body.items;
    expect(updates.filter((e: { targetId: string }) => e.targetId === listed.id)).toMatchObject([
      { summary: { before: { name: '7号楼集中器' }, after: { name: '七号楼集中器', a2: 7 } } },
    ]);
  });

  it('imports collectors under the concentrators by number or A1-A2, and refuses unknown ones', async () => {
    const before = await fingerprint();
    const rows = Array.from({ length: 20 }, (_, i) => collRow(i + 1));
    rows[3][3] = 'NO-SUCH';
    rows[4][3] = 'FAR-JZQ'; // exists, but outside the keeper's areas
    rows[5][2] = 'XYZ';
    rows[6][1] = 'zigbee';
    const bad = await importFile(keeper, rows, K_HEADERS, kq);
    expect(reasons(bad.done)).toEqual([
      [5, 'concentrator', 'unknown_concentrator'],
      [6, 'concentrator', 'unknown_concentrator'],
      [7, 'address', 'address_syntax'],
      [8, 'interface', 'option'],
    ]);
    expect(await fingerprint()).toEqual(before);

    const good = Array.from({ length: 20 }, (_, i) => collRow(i + 1));
    const { id } = await importFile(keeper, good, K_HEADERS, kq);
    expect((await applyAndSettle(keeper, id)).report).toMatchObject({ created: 20, errors: 0 });
    const byNumber = new Map(
      (await keeper.get('/api/v1/concentrators')).body.items.map((c: { number: string; id: string }) => [
        c.number,
        c.id,
      ]),
    );
    const items = (await keeper.get('/api/v1/collectors')).body.items as {
      number: string;
      interface: string;
      concentratorId: string;
      address: string;
    }[];
    const c3 = items.find((c) => c.number === 'IMP-CJQ-3')!; // named by A1-A2: 3502-4
    const c4 = items.find((c) => c.number === 'IMP-CJQ-4')!; // named by number: IMP-JZQ-5
    expect(c3).toMatchObject({
      interface: 'rs485',
      address: '000000000003',
      concentratorId: byNumber.get('IMP-JZQ-4'),
    });
    expect(c4).toMatchObject({ interface: 'mbus', concentratorId: byNumber.get('IMP-JZQ-5') });

    const again = await importFile(keeper, good, K_HEADERS, kq);
    expect(again.done.report).toMatchObject({ unchanged: 20, created: 0, updated: 0 });
  });

  it('needs meters.write besides archives.import: AUTH_FORBIDDEN and nothing stored', async () => {
    const importer = await makeUser(w, 'gateimporter', ['archives.import', 'meters.read'], []);
    const sql = w.p.running.platform.database.sql;
    const [{ n }] = await sql`select count(*)::int as n from imports where tenant_id = ${w.tenantId}`;
    for (const q of [cq, kq]) {
      const up = await upload(importer, await xlsxOf([concRow(99)], C_HEADERS), q);
      expect([up.status, up.body.error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    }
    const [after] = await sql`select count(*)::int as n from imports where tenant_id = ${w.tenantId}`;
    expect(after.n).toBe(n);
  });

  it('a NUL in a cell or an empty file is refused with a stable code and nothing is written', async () => {
    const before = await fingerprint();
    const csv = `集中器编号,名称,行政区划码(A1),终端地址(A2),所属区域,安装人\nNUL-1,"a\u0000b",3502,300,${SUN},李工\n`;
    const up = await upload(keeper, csv, 'entity=concentrators&fileName=c.csv', 'text/csv; charset=utf-8');
    expect(up.status).toBe(201);
    const done = await settle(keeper, up.body.id);
    expect(reasons(done)).toEqual([[2, 'name', 'nul']]);
    const empty = await upload(keeper, Buffer.alloc(0), cq);
    expect([empty.status, empty.body.error.code]).toEqual([400, 'IMPORT_FILE_EMPTY']);
    expect(await fingerprint()).toEqual(before);
  });

  it('another tenant neither sees the imports nor clashes with the numbers; its own import stays its own', async () => {
    const mine = await fingerprint();
    const theirsBefore = await fingerprint(w.otherTenantId);
    const { id } = await importFile(keeper, [concRow(1)], C_HEADERS, cq);
    for (const [method, path] of [
      ['GET', `/api/v1/imports/${id}`],
      ['POST', `/api/v1/imports/${id}/apply`],
      ['GET', `/api/v1/imports/${id}/errors.xlsx`],
    ]) {
      const r = await w.other.request(method, path, method === 'POST' ? {} : undefined);
      expect([r.status, r.body.error.code], path).toEqual([404, 'RESOURCE_NOT_FOUND']);
    }
    // the same numbers and A1/A2 in the other tenant are new there, and its area names resolve there
    const row = concRow(1);
    row[6] = 'B公司';
    row.pop();
    const theirs = await importFile(w.other, [row], C_HEADERS.slice(0, 8), cq);
    expect(theirs.done.report).toMatchObject({ created: 1, errors: 0 });
    await applyAndSettle(w.other, theirs.id);
    expect((await fingerprint(w.otherTenantId)).concentrators.n).toBe(theirsBefore.concentrators.n + 1);
    expect(await fingerprint()).toEqual(mine);
  });
});
