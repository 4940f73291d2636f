import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../test/client.ts';
import { customFields, meters } from '../../db/schema/index.ts';
import { withTenant } from '../../db/tenant.ts';
import { meterAt, routeOf } from '../../services/archives/meter-routes.ts';
import { type ArchiveWorld, archiveWorld, makeAccount, makeUser, meterBody } from './meters-fixtures.ts';

let w: ArchiveWorld;
let b1: string;
let b3: string;
let accountId: string;

beforeAll(async () => {
  w = await archiveWorld();
  b1 = w.area['1号楼'].id;
  b3 = w.area['3号楼'].id;
  accountId = await makeAccount(w, w.tenantId, b1, 'A-0001');
});
afterAll(async () => w?.p.stop());

async function count(c: Client = w.admin) {
  return (await c.get('/api/v1/meters?limit=1')).body.total as number;
}

describe('meters CRUD', () => {
  it('creates a meter and stores exactly what was sent', async () => {
    const body = {
      kind: 'meter-power',
      assetNo: 'E-0001',
      commAddress: '000012345678',
      protocol: 'dlt645-2007',
      vendorProfile: 'std',
      model: 'DDZY1980',
      vendor: '威胜',
      ctRatio: 50,
      ptRatio: 100,
      digits: 6,
      initialReading: '1234.5',
      installDate: '2026-03-01',
      location: '1单元 101 表箱',
      areaId: b1,
      accountId,
      control: 'relay',
    };
    const made = await w.admin.post('/api/v1/meters', body);
    expect(made.status).toBe(201);
    const { id, createdAt, updatedAt, ...rest } = made.body;
    expect(rest).toEqual({
      ...body,
      initialReading: '1234.5000',
      areaPath: w.area['1号楼'].path,
      status: 'in_stock',
      keepPower: false,
      custom: {},
      route: null,
    });
    const got = await w.admin.get(`/api/v1/meters/${id}`);
    expect(got.body).toEqual(made.body);
    const patched = await w.admin.patch(`/api/v1/meters/${id}`, {
      model: 'DTZY',
      commAddress: '000012345679',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.model).toBe('DTZY');
    expect(patched.body.commAddress).toBe('000012345679');
    expect((await w.admin.get(`/api/v1/meters/${id}`)).body.vendor).toBe('威胜');
    const audit = (await w.admin.get('/api/v1/audit?pageSize=200')).body.items.filter(
      (e: { targetId: string }) => e.targetId === id,
    );
    expect(
      audit.map((e: { action: string; targetType: string; targetName: string }) => [
        e.action,
        e.targetType,
        e.targetName,
      ]),
    ).toEqual([
      ['meters.update', 'meter', 'E-0001'],
      ['meters.create', 'meter', 'E-0001'],
    ]);
  });

  it('takes only installed meter-type plugins as the kind', async () => {
    const before = await count();
    const r = await w.admin.post('/api/v1/meters', meterBody(b1, { kind: 'meter-steam' }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('METER_KIND_UNKNOWN');
    const t = await w.admin.post('/api/v1/meters', meterBody(b1, { kind: 'transport-rs485' }));
    expect(t.body.error.code).toBe('METER_KIND_UNKNOWN');
    expect(await count()).toBe(before);
  });

  it('keeps asset numbers unique per tenant', async () => {
    const a = await w.admin.post('/api/v1/meters', meterBody(b1, { assetNo: 'DUP-1' }));
    expect(a.status).toBe(201);
    const b = await w.admin.post('/api/v1/meters', meterBody(b1, { assetNo: 'DUP-1' }));
    expect(b.status).toBe(409);
    expect(b.body.error.code).toBe('METER_ASSET_TAKEN');
    const other = await w.other.post('/api/v1/meters', meterBody(w.otherAreaId, { assetNo: 'DUP-1' }));
    expect(other.status).toBe(201);
    const rename = await w.admin.post('/api/v1/meters', meterBody(b1, { assetNo: 'DUP-2' }));
    const clash = await w.admin.patch(`/api/v1/meters/${rename.body.id}`, { assetNo: 'DUP-1' });
    expect(clash.body.error.code).toBe('METER_ASSET_TAKEN');
  });

  it('validates the communication address by the protocol and stores it canonical', async () => {
    const cases: [string, string, string | null][] = [
      ['dlt645-2007', '000000123456', '000000123456'],
      ['dlt645-2007', '00000012345', null], // 11 digits
      ['dlt645-2007', '00000012345A', null], // not BCD
      ['dlt645-2007', '999999999999', null], // broadcast
      ['dlt645-1997', 'AAAAAAAAAAAA', null], // wildcard
      ['cjt188', '0011223344aabb', '0011223344AABB'],
      ['cjt188', '0011223344AAB', null],
      ['cjt188', 'AAAAAAAAAAAAAA', null],
      ['cjt188', '0011223344AABG', null],
      ['mbus', '0', '0'],
      ['mbus', '250', '250'],
      ['mbus', '251', null],
      ['mbus', '007', null],
      ['mbus', '12345678a5b40107', '12345678A5B40107'],
      ['mbus', '12345678A5B4010', null],
      ['nbiot', '861234567890123', '861234567890123'],
      ['nbiot', '86123456789012', null],
      ['lora', '70b3d57ed0001234', '70B3D57ED0001234'],
      ['lora', '70b3d57ed000123', null],
      ['gdw1376', '000000654321', '000000654321'],
    ];
    for (const [protocol, address, stored] of cases) {
      const r = await w.admin.post('/api/v1/meters', meterBody(b1, { protocol, commAddress: address }));
      if (stored === null) {
        expect(r.status, `${protocol} ${address}`).toBe(400);
        expect(r.body.error.code, `${protocol} ${address}`).toBe('METER_ADDRESS_INVALID');
      } else {
        expect(r.status, `${protocol} ${address}`).toBe(201);
        expect(r.body.commAddress).toBe(stored);
      }
    }
    const m = await w.admin.post('/api/v1/meters', meterBody(b1, { protocol: 'mbus', commAddress: '5' }));
    const bad = await w.admin.patch(`/api/v1/meters/${m.body.id}`, { protocol: 'cjt188' });
    expect(bad.body.error.code).toBe('METER_ADDRESS_INVALID');
    expect((await w.admin.get(`/api/v1/meters/${m.body.id}`)).body.protocol).toBe('mbus');
  });

  it('takes the initial reading as a decimal string below the register rollover', async () => {
    const before = await count();
    for (const initialReading of [12.5, '1e5', '-1', '1.23456', '', '12,5']) {
      const r = await w.admin.post('/api/v1/meters', meterBody(b1, { initialReading }));
      expect(r.status, String(initialReading)).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    const over = await w.admin.post('/api/v1/meters', meterBody(b1, { digits: 4, initialReading: '10000' }));
    expect(over.body.error.code).toBe('REQ_VALIDATION');
    expect(await count()).toBe(before);
    const ok = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { digits: 4, initialReading: '9999.9999' }),
    );
    expect(ok.body.initialReading).toBe('9999.9999');
  });

  it('refuses an account that does not exist or belongs to another tenant', async () => {
    const before = await count();
    const missing = await w.admin.post('/api/v1/meters', meterBody(b1, { accountId: crypto.randomUUID() }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('REQ_VALIDATION');
    const foreign = await makeAccount(w, w.otherTenantId, w.otherAreaId, 'B-0001');
    const r = await w.admin.post('/api/v1/meters', meterBody(b1, { accountId: foreign }));
    expect(r.body.error.code).toBe('REQ_VALIDATION');
    expect(await count()).toBe(before);
  });

  it('lists by keyset pages with filters and a total', async () => {
    for (let i = 0; i < 5; i++)
      await w.admin.post('/api/v1/meters', meterBody(b3, { assetNo: `LIST-${i}`, kind: 'meter-gas' }));
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const q: string = `/api/v1/meters?kind=meter-gas&limit=2${after ? `&after=${after}` : ''}`;
      const page = await w.admin.get(q);
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(5);
      seen.push(...page.body.items.map((m: { assetNo: string }) => m.assetNo));
      after = page.body.next;
    } while (after);
    expect(seen).toEqual(['LIST-0', 'LIST-1', 'LIST-2', 'LIST-3', 'LIST-4']);
    const desc = await w.admin.get('/api/v1/meters?kind=meter-gas&order=desc&limit=1');
    expect(desc.body.items[0].assetNo).toBe('LIST-4');
    const inArea = await w.admin.get(`/api/v1/meters?areaId=${w.area.幸福里小区.id}&q=LIST-3`);
    expect(inArea.body.items.map((m: { assetNo: string }) => m.assetNo)).toEqual(['LIST-3']);
    const bad = await w.admin.get('/api/v1/meters?after=garbage');
    expect(bad.body.error.code).toBe('LIST_CURSOR_INVALID');
  });

  it('lists a subtree by kind in asset-number order across statuses, page by page', async () => {
    const kinds = ['meter-heat', 'meter-heat', 'meter-water', 'meter-heat', 'meter-heat', 'meter-heat'];
    for (const [i, kind] of kinds.entries())
      await w.admin.post('/api/v1/meters', meterBody(b3, { assetNo: `MIX-${i}`, kind }));
    // statuses interleaved with the asset numbers: each status is its own ordered run per area
    const statuses = ['removed', 'installed', 'installed', 'in_stock', 'suspended', 'installed'] as const;
    await withTenant(w.p.running.platform.db, w.tenantId, async (tx) => {
      for (const [i, status] of statuses.entries())
        await tx
          .update(meters)
          .set({ status })
          .where(eq(meters.assetNo, `MIX-${i}`));
    });
    const under = w.area.幸福里小区.id;
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { body: { items: { assetNo: string }[]; next: string | null; total: number } } =
        await w.admin.get(
          `/api/v1/meters?areaId=${under}&kind=meter-heat&limit=2${after ? `&after=${after}` : ''}`,
        );
      expect(page.body.total).toBe(5);
      seen.push(...page.body.items.map((m) => m.assetNo));
      after = page.body.next;
    } while (after);
    expect(seen).toEqual(['MIX-0', 'MIX-1', 'MIX-3', 'MIX-4', 'MIX-5']);
    const desc = await w.admin.get(`/api/v1/meters?areaId=${under}&kind=meter-heat&order=desc&limit=3`);
    expect(desc.body.items.map((m: { assetNo: string }) => m.assetNo)).toEqual(['MIX-5', 'MIX-4', 'MIX-3']);
  });
});

describe('routes', () => {
  const line = 'tcp://10.0.0.5:4001';
  const serial = { via: 'serial', line, baud: 2400, parity: 'E' };

  it('refuses a second meter with the same address on one line, allows it on another, and resolves both ways', async () => {
    const a = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { commAddress: '00000000000001', route: serial }),
    );
    expect(a.status).toBe(201);
    expect(a.body.route).toEqual({
      via: 'serial',
      line,
      address: '00000000000001',
      baud: 2400,
      parity: 'E',
      collectorId: null,
      channel: null,
      concentratorId: null,
      pointNo: null,
      port: null,
    });
    const before = await count();
    const clash = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { commAddress: '00000000000001', route: serial }),
    );
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('METER_ROUTE_CLASH');
    expect(await count()).toBe(before);
    const other = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { commAddress: '00000000000001', route: { ...serial, line: 'tty:/dev/ttyUSB1' } }),
    );
    expect(other.status).toBe(201);
    const db = w.p.running.platform.db;
    await withTenant(db, w.tenantId, async (tx) => {
      expect(await meterAt(tx, 'serial', line, '00000000000001')).toBe(a.body.id);
      expect(await meterAt(tx, 'serial', 'tty:/dev/ttyUSB1', '00000000000001')).toBe(other.body.id);
      expect(await meterAt(tx, 'serial', 'tty:/dev/ttyUSB9', '00000000000001')).toBeNull();
      expect((await routeOf(tx, other.body.id))?.line).toBe('tty:/dev/ttyUSB1');
    });
    // the other tenant's resolution does not see these
    await withTenant(db, w.otherTenantId, async (tx) => {
      expect(await meterAt(tx, 'serial', line, '00000000000001')).toBeNull();
    });
    // moving a meter onto the occupied line clashes as well, and changes nothing
    const move = await w.admin.put(`/api/v1/meters/${other.body.id}/route`, serial);
    expect(move.body.error.code).toBe('METER_ROUTE_CLASH');
    expect((await w.admin.get(`/api/v1/meters/${other.body.id}/route`)).body.route.line).toBe(
      'tty:/dev/ttyUSB1',
    );
    // a changed address follows into the route, and may clash there
    const b = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { commAddress: '00000000000002', route: serial }),
    );
    const follow = await w.admin.patch(`/api/v1/meters/${b.body.id}`, { commAddress: '00000000000001' });
    expect(follow.body.error.code).toBe('METER_ROUTE_CLASH');
    const ok = await w.admin.patch(`/api/v1/meters/${b.body.id}`, { commAddress: '00000000000003' });
    expect(ok.body.route.address).toBe('00000000000003');
  });

  it('refuses a measuring-point clash on a concentrator', async () => {
    const con = await w.admin.post('/api/v1/concentrators', {
      number: 'JZQ-R1',
      a1: '3501',
      a2: 11,
      areaId: b1,
    });
    expect(con.status).toBe(201);
    const via = { via: 'concentrator', concentratorId: con.body.id, pointNo: 7, port: 2 };
    const a = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { protocol: 'gdw1376', commAddress: '000000000701', route: via }),
    );
    expect(a.status).toBe(201);
    expect(a.body.route).toMatchObject({
      via: 'concentrator',
      line: con.body.id,
      address: '7',
      pointNo: 7,
      port: 2,
    });
    const b = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { protocol: 'gdw1376', commAddress: '000000000702', route: via }),
    );
    expect(b.status).toBe(409);
    expect(b.body.error.code).toBe('METER_POINT_CLASH');
    const c = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { protocol: 'gdw1376', commAddress: '000000000702', route: { ...via, pointNo: 8 } }),
    );
    expect(c.status).toBe(201);
    const onto = await w.admin.put(`/api/v1/meters/${c.body.id}/route`, via);
    expect(onto.status).toBe(409);
    expect(onto.body.error.code).toBe('METER_POINT_CLASH');
    await withTenant(w.p.running.platform.db, w.tenantId, async (tx) => {
      expect(await meterAt(tx, 'concentrator', con.body.id, '8')).toBe(c.body.id);
      expect(await meterAt(tx, 'concentrator', con.body.id, '7')).toBe(a.body.id);
    });
    const missing = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { route: { ...via, concentratorId: crypto.randomUUID(), pointNo: 9 } }),
    );
    expect(missing.body.error.code).toBe('REQ_VALIDATION');
  });

  it('takes NB-IoT and LoRa routes keyed by IMEI/device id and DevEUI', async () => {
    const nb = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, {
        protocol: 'nbiot',
        commAddress: '861234567890001',
        route: { via: 'nbiot', platform: 'ctwing' },
      }),
    );
    expect(nb.body.route).toMatchObject({ via: 'nbiot', line: 'ctwing', address: '861234567890001' });
    const lo = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { protocol: 'lora', commAddress: '70B3D57ED0000001', route: { via: 'lora' } }),
    );
    expect(lo.body.route).toMatchObject({ via: 'lora', line: 'lora', address: '70B3D57ED0000001' });
    const dup = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { protocol: 'lora', commAddress: '70b3d57ed0000001', route: { via: 'lora' } }),
    );
    expect(dup.body.error.code).toBe('METER_ROUTE_CLASH');
  });

  it('rejects malformed routes with REQ_VALIDATION and writes nothing', async () => {
    const before = await count();
    for (const route of [
      { via: 'serial', line: 'http://x:1', baud: 2400, parity: 'E' },
      { via: 'serial', line: 'tcp://host:70000', baud: 2400, parity: 'E' },
      { via: 'serial', line: 'tty:/dev/../etc/passwd', baud: 2400, parity: 'E' },
      { via: 'serial', line, baud: 2401, parity: 'E' },
      { via: 'serial', line, baud: 2400, parity: 'X' },
      { via: 'concentrator', concentratorId: crypto.randomUUID(), pointNo: 0, port: 1 },
      { via: 'nbiot', platform: 'aws' },
      { via: 'pigeon' },
      { via: 'lora', extra: 1 },
    ]) {
      const r = await w.admin.post('/api/v1/meters', meterBody(b1, { route }));
      expect(r.status, JSON.stringify(route)).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    expect(await count()).toBe(before);
  });
});

describe('meters: permissions, scope, tenants, bad input', () => {
  let scoped: Client;
  let reader: Client;
  let inB3: string;
  let inB1: string;
  let foreign: string;

  beforeAll(async () => {
    scoped = await makeUser(w, 'm-keeper', ['areas.read', 'meters.read', 'meters.write'], [b1]);
    reader = await makeUser(w, 'm-reader', ['areas.read', 'meters.read'], []);
    inB3 = (await w.admin.post('/api/v1/meters', meterBody(b3, { assetNo: 'SCOPE-B3' }))).body.id;
    inB1 = (await w.admin.post('/api/v1/meters', meterBody(b1, { assetNo: 'SCOPE-B1' }))).body.id;
    foreign = (await w.other.post('/api/v1/meters', meterBody(w.otherAreaId, { assetNo: 'FOREIGN-1' }))).body
      .id;
  });

  it('a user without meters.write gets AUTH_FORBIDDEN and changes nothing', async () => {
    const before = await count();
    expect((await reader.post('/api/v1/meters', meterBody(b1))).body.error.code).toBe('AUTH_FORBIDDEN');
    expect((await reader.patch(`/api/v1/meters/${inB1}`, { model: 'x' })).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    expect((await reader.put(`/api/v1/meters/${inB1}/route`, { via: 'lora' })).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    expect((await reader.delete(`/api/v1/meters/${inB1}/route`)).body.error.code).toBe('AUTH_FORBIDDEN');
    expect((await reader.get(`/api/v1/meters/${inB1}`)).status).toBe(200);
    expect(await count()).toBe(before);
    expect((await w.admin.get(`/api/v1/meters/${inB1}`)).body.model).toBeNull();
    const none = await makeUser(w, 'm-none', ['areas.read'], []);
    expect((await none.get('/api/v1/meters')).body.error.code).toBe('AUTH_FORBIDDEN');
    expect((await none.get(`/api/v1/meters/${inB1}`)).body.error.code).toBe('AUTH_FORBIDDEN');
  });

  it('an area-scoped user sees and changes only meters of their building', async () => {
    const list = await scoped.get('/api/v1/meters?limit=500');
    const ids = list.body.items.map((m: { id: string }) => m.id);
    expect(ids).toContain(inB1);
    expect(ids).not.toContain(inB3);
    for (const m of list.body.items) expect(m.areaPath).toContain(b1);
    expect((await scoped.get(`/api/v1/meters/${inB3}`)).status).toBe(404);
    expect((await scoped.patch(`/api/v1/meters/${inB3}`, { model: 'x' })).body.error.code).toBe(
      'RESOURCE_NOT_FOUND',
    );
    expect((await scoped.put(`/api/v1/meters/${inB3}/route`, { via: 'lora' })).status).toBe(404);
    expect((await scoped.get(`/api/v1/meters/${inB3}/route`)).status).toBe(404);
    expect((await scoped.post('/api/v1/meters', meterBody(b3))).body.error.code).toBe('AREA_OUT_OF_SCOPE');
    expect((await scoped.patch(`/api/v1/meters/${inB1}`, { areaId: b3 })).body.error.code).toBe(
      'AREA_OUT_OF_SCOPE',
    );
    expect((await w.admin.get(`/api/v1/meters/${inB3}`)).body.model).toBeNull();
    expect((await w.admin.get(`/api/v1/meters/${inB1}`)).body.areaId).toBe(b1);
    const mine = await scoped.post('/api/v1/meters', meterBody(w.below(b1, '1单元')));
    expect(mine.status).toBe(201);
  });

  it('another tenant’s meters answer 404 on every route and stay unchanged', async () => {
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/v1/meters/${foreign}`],
      ['PATCH', `/api/v1/meters/${foreign}`, { model: 'hijacked' }],
      ['GET', `/api/v1/meters/${foreign}/route`],
      ['PUT', `/api/v1/meters/${foreign}/route`, { via: 'lora' }],
      ['DELETE', `/api/v1/meters/${foreign}/route`],
      ['GET', `/api/v1/meters/${foreign}/children`],
      ['PUT', `/api/v1/meters/${inB1}/children/${foreign}`],
      ['PUT', `/api/v1/meters/${foreign}/children/${inB1}`],
      ['DELETE', `/api/v1/meters/${foreign}/children/${inB1}`],
    ];
    for (const [method, path, body] of probes) {
      const r = await w.admin.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    const list = JSON.stringify((await w.admin.get('/api/v1/meters?limit=500')).body);
    expect(list).not.toContain(foreign);
    expect(list).not.toContain('FOREIGN-1');
    const stillThere = await w.other.get(`/api/v1/meters/${foreign}`);
    expect(stillThere.body.model).toBeNull();
    expect(stillThere.body.route).toBeNull();
    const intoForeignArea = await w.admin.post('/api/v1/meters', meterBody(w.otherAreaId));
    expect(intoForeignArea.body.error.code).toBe('AREA_OUT_OF_SCOPE');
  });

  it('answers wrong types, NUL bytes, huge numbers and empty bodies with REQ_VALIDATION and writes nothing', async () => {
    const before = await count();
    const bodies: unknown[] = [
      {},
      meterBody(b1, { assetNo: 12 }),
      meterBody(b1, { assetNo: 'A\u0000B' }),
      meterBody(b1, { location: 'x\u0000' }),
      meterBody(b1, { ctRatio: 2 ** 40 }),
      meterBody(b1, { ptRatio: 0 }),
      meterBody(b1, { digits: 99 }),
      meterBody(b1, { digits: 4.5 }),
      meterBody(b1, { areaId: 'not-a-uuid' }),
      meterBody(b1, { status: 'installed' }),
      meterBody(b1, { custom: { k: 'v\u0000' } }),
      meterBody(b1, { installDate: '2026-13-40' }),
      meterBody(b1, { assetNo: 'x'.repeat(65) }),
      meterBody(b1, { control: 'valve-ish' }),
      [],
      'null',
    ];
    for (const body of bodies) {
      const r = await w.admin.post('/api/v1/meters', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code, JSON.stringify(body)).toMatch(/^(REQ_VALIDATION|REQ_JSON_MALFORMED)$/);
    }
    const empty = await w.admin.patch(`/api/v1/meters/${inB1}`, {});
    expect(empty.body.error.code).toBe('REQ_VALIDATION');
    const status = await w.admin.patch(`/api/v1/meters/${inB1}`, { status: 'removed' });
    expect(status.body.error.code).toBe('REQ_VALIDATION');
    const account = await w.admin.patch(`/api/v1/meters/${inB1}`, { accountId });
    expect(account.body.error.code).toBe('REQ_VALIDATION');
    expect((await w.admin.get('/api/v1/meters/not-a-uuid')).body.error.code).toBe('REQ_VALIDATION');
    expect(await count()).toBe(before);
    expect((await w.admin.get(`/api/v1/meters/${inB1}`)).body.status).toBe('in_stock');
  });
});

describe('meters over the API', () => {
  it('are usable with an API token holding meters.read, and only for reading', async () => {
    const made = await w.admin.post('/api/v1/tokens', { name: 'erp', scopes: ['meters.read'] });
    expect(made.status).toBe(201);
    const api = new Client(w.p.baseUrl);
    api.bearer = made.body.token;
    const list = await api.get('/api/v1/meters?limit=1');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(await count());
    const write = await api.post('/api/v1/meters', meterBody(b1));
    expect(write.body.error.code).toBe('AUTH_FORBIDDEN');
  });

  it('are described in the OpenAPI document', async () => {
    const doc = (await w.admin.get('/api/openapi.json')).body;
    for (const path of [
      '/api/v1/meters',
      '/api/v1/meters/{id}',
      '/api/v1/meters/{id}/route',
      '/api/v1/meters/{id}/replace',
      '/api/v1/meters/{id}/transfer',
      '/api/v1/meters/{id}/history',
      '/api/v1/meters/{id}/children/{childId}',
      '/api/v1/meters/consumption',
      '/api/v1/meters/kinds',
      '/api/v1/concentrators/{id}',
      '/api/v1/collectors/{id}',
      '/api/v1/topology',
      '/api/v1/meter-groups/{id}/meters',
      '/api/v1/accounts/{id}/meter-history',
    ])
      expect(Object.keys(doc.paths), path).toContain(path);
  });
});

describe('meter custom fields', () => {
  it('are checked against the tenant’s definitions (the shared validateCustom)', async () => {
    const db = w.p.running.platform.db;
    await withTenant(db, w.tenantId, (tx) =>
      tx.insert(customFields).values([
        {
          tenantId: w.tenantId,
          entity: 'meter',
          key: 'caliber',
          label: { 'zh-CN': '口径', en: 'Caliber' },
          type: 'select',
          options: ['DN15', 'DN20'],
          required: true,
        },
        {
          tenantId: w.tenantId,
          entity: 'meter',
          key: 'sealNo',
          label: { 'zh-CN': '铅封号', en: 'Seal' },
          type: 'text',
        },
        {
          tenantId: w.tenantId,
          entity: 'meter',
          key: 'verified',
          label: { 'zh-CN': '已检定', en: 'Verified' },
          type: 'date',
        },
      ]),
    );
    try {
      const before = await count();
      for (const custom of [
        {},
        { caliber: 'DN50' },
        { caliber: 'DN15', sealNo: 7 },
        { caliber: 'DN15', verified: 'soon' },
        { caliber: 'DN15', colour: 'red' },
      ]) {
        const r = await w.admin.post('/api/v1/meters', meterBody(b1, { custom }));
        expect(r.status, JSON.stringify(custom)).toBe(400);
        expect(r.body.error.code).toBe('CUSTOM_FIELD_INVALID');
      }
      expect(await count()).toBe(before);
      const ok = await w.admin.post(
        '/api/v1/meters',
        meterBody(b1, { custom: { caliber: 'DN20', sealNo: 'S-1', verified: '2026-02-01' } }),
      );
      expect(ok.status).toBe(201);
      expect(ok.body.custom).toEqual({ caliber: 'DN20', sealNo: 'S-1', verified: '2026-02-01' });
      const merged = await w.admin.patch(`/api/v1/meters/${ok.body.id}`, { custom: { sealNo: 'S-2' } });
      expect(merged.body.custom).toEqual({ caliber: 'DN20', sealNo: 'S-2', verified: '2026-02-01' });
      const cleared = await w.admin.patch(`/api/v1/meters/${ok.body.id}`, { custom: { caliber: null } });
      expect(cleared.body.error.code).toBe('CUSTOM_FIELD_INVALID');
      expect((await w.admin.get(`/api/v1/meters/${ok.body.id}`)).body.custom.caliber).toBe('DN20');
      const removed = await w.admin.patch(`/api/v1/meters/${ok.body.id}`, { custom: { sealNo: null } });
      expect(removed.body.custom).toEqual({ caliber: 'DN20', verified: '2026-02-01' });
    } finally {
      await withTenant(db, w.tenantId, (tx) =>
        tx.delete(customFields).where(eq(customFields.entity, 'meter')),
      );
    }
  });
});

describe('meter kinds', () => {
  it('lists the running meter-type plugins with their registers to anyone holding meters.read', async () => {
    const reader = await makeUser(w, 'kinds-reader', ['meters.read'], [b1]);
    const res = await reader.get('/api/v1/meters/kinds');
    expect(res.status).toBe(200);
    expect(res.body.items.map((k: { id: string }) => k.id)).toEqual([
      'meter-gas',
      'meter-heat',
      'meter-power',
      'meter-water',
    ]);
    const water = res.body.items.find((k: { id: string }) => k.id === 'meter-water');
    expect(water.medium).toBe('water');
    expect(water.title['zh-CN']).toMatch(/水/);
    expect(water.registers.find((g: { billable: boolean }) => g.billable)).toMatchObject({
      kind: 'cumulative',
      unit: 'm3',
    });
    // the plugin catalogue itself stays closed to this user
    expect((await reader.get('/api/v1/plugins')).body.error.code).toBe('AUTH_FORBIDDEN');
  });

  it('answers AUTH_FORBIDDEN without meters.read, 401 without a session, and the same list to another tenant', async () => {
    const clerk = await makeUser(w, 'kinds-clerk', ['customers.read'], []);
    expect((await clerk.get('/api/v1/meters/kinds')).body.error.code).toBe('AUTH_FORBIDDEN');
    const anonymous = await new Client(w.p.baseUrl).get('/api/v1/meters/kinds');
    expect(anonymous.status).toBe(401);
    const mine = (await w.admin.get('/api/v1/meters/kinds')).body;
    expect((await w.other.get('/api/v1/meters/kinds')).body).toEqual(mine);
  });

  it('is not taken for a meter id, and a bad id still answers REQ_VALIDATION', async () => {
    expect((await w.admin.get('/api/v1/meters/kinds')).status).toBe(200);
    expect((await w.admin.get('/api/v1/meters/kind%00s')).body.error.code).toBe('REQ_VALIDATION');
    expect((await w.admin.patch('/api/v1/meters/kinds', {})).body.error.code).toBe('REQ_VALIDATION');
  });
});
