import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { download, settle, sheetRows, upload } from './import-fixtures.ts';
import { type ArchiveWorld, archiveWorld, makeAccount, makeUser, meterBody } from './meters-fixtures.ts';

let w: ArchiveWorld;
let b1: string;
let b3: string;
const made: Record<string, string> = {};

const exportOf = (c: Client, query = '') => download(c, `/api/v1/meters/export.xlsx${query}`);

beforeAll(async () => {
  w = await archiveWorld();
  b1 = w.area['1号楼'].id;
  b3 = w.area['3号楼'].id;
  const accountId = await makeAccount(w, w.tenantId, b1, 'EXP-ACC');
  const ok = (r: { status: number; body: { id: string } }) => {
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id;
  };
  ok(
    await w.admin.post('/api/v1/custom-fields', {
      entity: 'meter',
      key: 'box',
      label: { 'zh-CN': '表箱', en: 'Box' },
      type: 'text',
    }),
  );
  const con = ok(
    await w.admin.post('/api/v1/concentrators', { number: 'EXP-JZQ', a1: '3501', a2: 77, areaId: b1 }),
  );
  const col = ok(
    await w.admin.post('/api/v1/collectors', {
      number: 'EXP-CJQ',
      interface: 'rs485',
      address: '05',
      areaId: b1,
    }),
  );
  made.serial = ok(
    await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, {
        assetNo: 'EXP-1',
        accountId,
        digits: 6,
        initialReading: '12.5',
        custom: { box: '甲-01' },
        route: {
          via: 'serial',
          line: 'tcp://10.1.1.1:9000',
          baud: 2400,
          parity: 'E',
          collectorId: col,
          channel: 3,
        },
      }),
    ),
  );
  made.point = ok(
    await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, {
        assetNo: 'EXP-2',
        kind: 'meter-power',
        protocol: 'dlt645-2007',
        commAddress: '000012340001',
        route: { via: 'concentrator', concentratorId: con, pointNo: 9, port: 2 },
      }),
    ),
  );
  made.nbiot = ok(
    await w.admin.post(
      '/api/v1/meters',
      meterBody(b3, {
        assetNo: 'EXP-3',
        kind: 'meter-gas',
        protocol: 'nbiot',
        commAddress: '861234567890123',
        route: { via: 'nbiot', platform: 'ctwing', deviceId: 'dev-3' },
      }),
    ),
  );
  made.plain = ok(await w.admin.post('/api/v1/meters', meterBody(b3, { assetNo: 'EXP-4' })));
  expect(
    (await w.admin.post(`/api/v1/meters/${made.serial}/install`, { initialReading: '12.5', reason: '新装' }))
      .status,
  ).toBe(200);
  // another tenant's meter with a colliding asset number prefix
  expect((await w.other.post('/api/v1/meters', meterBody(w.otherAreaId, { assetNo: 'EXP-9' }))).status).toBe(
    201,
  );
}, 120_000);
afterAll(async () => w?.p.stop());

describe('meter export', () => {
  it('streams the filtered meters in the import sheet’s columns, with routes by gateway number', async () => {
    const res = await exportOf(w.admin, '?q=EXP');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const [headers, ...rows] = await sheetRows(res.bytes);
    const at = (row: string[], h: string) => row[headers.indexOf(h)];
    expect(headers.slice(0, 4)).toEqual(['资产编号', '表类型', '通信协议', '通信地址']);
    expect(headers.slice(-2)).toEqual(['表箱', '状态']);
    expect(rows.map((r) => r[0])).toEqual(['EXP-1', 'EXP-2', 'EXP-3', 'EXP-4']);
    const [serial, point, nbiot] = rows;
    expect([
      at(serial, '线路'),
      at(serial, '采集器编号'),
      at(serial, '采集器通道'),
      at(serial, '账户编号'),
    ]).toEqual(['tcp://10.1.1.1:9000', 'EXP-CJQ', '3', 'EXP-ACC']);
    expect([at(serial, '表箱'), at(serial, '状态')]).toEqual(['甲-01', 'installed']);
    expect([at(point, '集中器'), at(point, '测量点号'), at(point, '端口号')]).toEqual(['EXP-JZQ', '9', '2']);
    expect([at(nbiot, 'NB平台'), at(nbiot, '平台设备ID')]).toEqual(['ctwing', 'dev-3']);
    expect(at(nbiot, '所属区域')).toMatch(/3号楼$/);
    const en = await sheetRows((await exportOf(w.admin, '?q=EXP&lang=en')).bytes);
    expect(en[0].slice(0, 2)).toEqual(['Asset number', 'Kind']);
  });

  it('imports back unchanged: exporting, then importing the file writes nothing', async () => {
    const file = (await exportOf(w.admin, '?q=EXP')).bytes;
    const up = await upload(w.admin, file, 'entity=meters&fileName=meters.xlsx');
    expect(up.status).toBe(201);
    const checked = await settle(w.admin, up.body.id);
    expect(checked.report.errorRows).toEqual([]);
    expect(checked.report).toMatchObject({ total: 4, created: 0, updated: 0, unchanged: 4, errors: 0 });
  });

  it('holds only what the user may see: area scope, the filter, and nothing of another tenant', async () => {
    const scoped = await makeUser(w, 'exp-b3', ['meters.read'], [b3]);
    const rows = (await sheetRows((await exportOf(scoped, '?q=EXP')).bytes)).slice(1);
    expect(rows.map((r) => r[0])).toEqual(['EXP-3', 'EXP-4']);
    const filtered = (await sheetRows((await exportOf(w.admin, '?kind=meter-power')).bytes)).slice(1);
    expect(filtered.map((r) => r[0])).toEqual(['EXP-2']);
    const foreign = (await sheetRows((await exportOf(w.other, '?q=EXP')).bytes)).slice(1);
    expect(foreign.map((r) => r[0])).toEqual(['EXP-9']);
    // another tenant's area as the filter: nothing, not an error that tells it exists
    const probe = await sheetRows((await exportOf(w.admin, `?areaId=${w.otherAreaId}`)).bytes);
    expect(probe.slice(1)).toEqual([]);
  });

  it('needs meters.read', async () => {
    const clerk = await makeUser(w, 'exp-clerk', ['customers.read'], []);
    const res = await clerk.get('/api/v1/meters/export.xlsx');
    expect(res.body.error.code).toBe('AUTH_FORBIDDEN');
  });

  it('answers bad filters with REQ_VALIDATION', async () => {
    for (const q of [
      '?areaId=not-a-uuid',
      '?q=a%00b',
      `?q=${'x'.repeat(65)}`,
      '?lang=fr',
      '?status=lost',
      '?protocol=1',
    ])
      expect((await w.admin.get(`/api/v1/meters/export.xlsx${q}`)).body.error.code, q).toBe('REQ_VALIDATION');
  });
});
