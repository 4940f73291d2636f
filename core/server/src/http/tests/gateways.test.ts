import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { type ArchiveWorld, archiveWorld, makeUser, meterBody } from './meters-fixtures.ts';

let w: ArchiveWorld;
let b1: string;
let b3: string;

beforeAll(async () => {
  w = await archiveWorld();
  b1 = w.area['1号楼'].id;
  b3 = w.area['3号楼'].id;
});
afterAll(async () => w?.p.stop());

async function counts(c: Client = w.admin) {
  return {
    con: (await c.get('/api/v1/concentrators')).body.items.length as number,
    col: (await c.get('/api/v1/collectors')).body.items.length as number,
  };
}

describe('concentrators', () => {
  it('creates, reads and changes a concentrator with exact stored values', async () => {
    const body = {
      number: 'JZQ-001',
      name: '1号楼集中器',
      a1: '35a1',
      a2: 65535,
      sim: '13800000000',
      iccid: '89860012345678901234',
      areaId: b1,
    };
    const made = await w.admin.post('/api/v1/concentrators', body);
    expect(made.status).toBe(201);
    const { id, createdAt, ...rest } = made.body;
    expect(rest).toEqual({
      ...body,
      a1: '35A1',
      protocol: 'gdw1376',
      areaPath: w.area['1号楼'].path,
      status: 'active',
      online: false,
      lastHeartbeatAt: null,
      custom: {},
    });
    expect((await w.admin.get(`/api/v1/concentrators/${id}`)).body).toEqual(made.body);
    const patched = await w.admin.patch(`/api/v1/concentrators/${id}`, { name: '改名', sim: null });
    expect(patched.body).toMatchObject({ name: '改名', sim: null, a1: '35A1', a2: 65535 });
  });

  it('keeps A1/A2 and numbers unique per tenant, validates A1 and A2', async () => {
    const a = await w.admin.post('/api/v1/concentrators', {
      number: 'JZQ-U1',
      a1: '3502',
      a2: 1,
      areaId: b1,
    });
    expect(a.status).toBe(201);
    const before = await counts();
    const sameAddr = await w.admin.post('/api/v1/concentrators', {
      number: 'JZQ-U2',
      a1: '3502',
      a2: 1,
      areaId: b1,
    });
    expect(sameAddr.status).toBe(409);
    expect(sameAddr.body.error.code).toBe('GATEWAY_ADDRESS_TAKEN');
    const sameNo = await w.admin.post('/api/v1/concentrators', {
      number: 'JZQ-U1',
      a1: '3502',
      a2: 2,
      areaId: b1,
    });
    expect(sameNo.body.error.code).toBe('GATEWAY_ADDRESS_TAKEN');
    for (const [a1, a2] of [
      ['350G', 3],
      ['350', 3],
      ['3502', 0],
      ['3502', 65536],
      ['3502', 1.5],
    ] as const) {
      const r = await w.admin.post('/api/v1/concentrators', {
        number: `JZQ-${a1}-${a2}`,
        a1,
        a2,
        areaId: b1,
      });
      expect(r.status, `${a1}/${a2}`).toBe(400);
      expect(r.body.error.code).toMatch(/^(REQ_VALIDATION|METER_ADDRESS_INVALID)$/);
    }
    expect(await counts()).toEqual(before);
    const theirs = await w.other.post('/api/v1/concentrators', {
      number: 'JZQ-U1',
      a1: '3502',
      a2: 1,
      areaId: w.otherAreaId,
    });
    expect(theirs.status).toBe(201);
  });

  it('leaves online state and heartbeat to the reading engine', async () => {
    const c = await w.admin.post('/api/v1/concentrators', {
      number: 'JZQ-RO',
      a1: '3503',
      a2: 5,
      areaId: b1,
    });
    for (const body of [{ online: true }, { lastHeartbeatAt: '2026-01-01T00:00:00Z' }, { protocol: 'x' }]) {
      const r = await w.admin.patch(`/api/v1/concentrators/${c.body.id}`, body);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    expect((await w.admin.get(`/api/v1/concentrators/${c.body.id}`)).body.online).toBe(false);
  });
});

describe('collectors and topology', () => {
  it('creates collectors under a concentrator and shows the tree with routes', async () => {
    const con = await w.admin.post('/api/v1/concentrators', {
      number: 'JZQ-T',
      a1: '3504',
      a2: 9,
      areaId: b1,
    });
    const col = await w.admin.post('/api/v1/collectors', {
      number: 'CJQ-1',
      interface: 'mbus',
      address: '00a1',
      concentratorId: con.body.id,
      areaId: b1,
    });
    expect(col.status).toBe(201);
    const { id, createdAt, ...rest } = col.body;
    expect(rest).toEqual({
      number: 'CJQ-1',
      interface: 'mbus',
      address: '00A1',
      concentratorId: con.body.id,
      areaId: b1,
      areaPath: w.area['1号楼'].path,
      status: 'active',
      custom: {},
    });
    const via = { via: 'concentrator', concentratorId: con.body.id, port: 2 };
    const behind = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, {
        protocol: 'gdw1376',
        commAddress: '000000000001',
        route: { ...via, pointNo: 1, collectorId: id },
      }),
    );
    const direct = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { protocol: 'gdw1376', commAddress: '000000000002', route: { ...via, pointNo: 2 } }),
    );
    expect(behind.status).toBe(201);
    expect(direct.status).toBe(201);
    const t = await w.admin.get(`/api/v1/topology?concentratorId=${con.body.id}`);
    expect(t.status).toBe(200);
    expect(t.body.items).toHaveLength(1);
    const [tree] = t.body.items;
    expect(tree.concentrator.id).toBe(con.body.id);
    expect(tree.collectors.map((c: { collector: { id: string } }) => c.collector.id)).toEqual([id]);
    expect(tree.collectors[0].meters.map((m: { id: string }) => m.id)).toEqual([behind.body.id]);
    expect(tree.collectors[0].meters[0].route).toMatchObject({ pointNo: 1, collectorId: id, port: 2 });
    expect(tree.meters.map((m: { id: string }) => m.id)).toEqual([direct.body.id]);
    const list = await w.admin.get(`/api/v1/collectors?concentratorId=${con.body.id}`);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    const all = await w.admin.get('/api/v1/topology');
    expect(all.body.items.map((x: { concentrator: { id: string } }) => x.concentrator.id)).toContain(
      con.body.id,
    );
    const moved = await w.admin.patch(`/api/v1/collectors/${id}`, {
      concentratorId: null,
      interface: 'rs485',
    });
    expect(moved.body).toMatchObject({ concentratorId: null, interface: 'rs485' });
    const after = (await w.admin.get(`/api/v1/topology?concentratorId=${con.body.id}`)).body.items[0];
    expect(after.collectors).toEqual([]);
    expect(after.meters.map((m: { id: string }) => m.id)).toEqual([behind.body.id, direct.body.id]);
  });

  it('validates collector input and references', async () => {
    const before = await counts();
    for (const body of [
      { number: 'C', interface: 'zigbee', address: '01', areaId: b1 },
      { number: 'C', interface: 'rs485', address: 'xyz', areaId: b1 },
      { number: 'C', interface: 'rs485', address: '01', areaId: b1, concentratorId: crypto.randomUUID() },
      { number: 'C\u0000', interface: 'rs485', address: '01', areaId: b1 },
      { number: 'C', interface: 'rs485', address: '01', areaId: b1, extra: true },
      {},
    ]) {
      const r = await w.admin.post('/api/v1/collectors', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toMatch(/^(REQ_VALIDATION|METER_ADDRESS_INVALID)$/);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('gateways: permissions, scope, tenants, bad input', () => {
  let conB3: string;
  let colB3: string;
  let conB1: string;
  let foreignCon: string;
  let foreignCol: string;

  beforeAll(async () => {
    conB3 = (await w.admin.post('/api/v1/concentrators', { number: 'JZQ-B3', a1: '3600', a2: 1, areaId: b3 }))
      .body.id;
    colB3 = (
      await w.admin.post('/api/v1/collectors', {
        number: 'CJQ-B3',
        interface: 'rs485',
        address: '01',
        areaId: b3,
      })
    ).body.id;
    conB1 = (await w.admin.post('/api/v1/concentrators', { number: 'JZQ-B1', a1: '3600', a2: 2, areaId: b1 }))
      .body.id;
    foreignCon = (
      await w.other.post('/api/v1/concentrators', { number: 'F-1', a1: '3700', a2: 1, areaId: w.otherAreaId })
    ).body.id;
    foreignCol = (
      await w.other.post('/api/v1/collectors', {
        number: 'F-C',
        interface: 'mbus',
        address: '02',
        areaId: w.otherAreaId,
      })
    ).body.id;
  });

  it('a user without meters.write gets AUTH_FORBIDDEN and changes nothing', async () => {
    const reader = await makeUser(w, 'g-reader', ['areas.read', 'meters.read'], []);
    const before = await counts();
    expect(
      (await reader.post('/api/v1/concentrators', { number: 'X', a1: '1111', a2: 1, areaId: b1 })).body.error
        .code,
    ).toBe('AUTH_FORBIDDEN');
    expect((await reader.patch(`/api/v1/concentrators/${conB1}`, { name: 'x' })).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    expect(
      (
        await reader.post('/api/v1/collectors', {
          number: 'X',
          interface: 'rs485',
          address: '01',
          areaId: b1,
        })
      ).body.error.code,
    ).toBe('AUTH_FORBIDDEN');
    expect((await reader.patch(`/api/v1/collectors/${colB3}`, { address: '02' })).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    expect(await counts()).toEqual(before);
    expect((await reader.get('/api/v1/topology')).status).toBe(200);
    const none = await makeUser(w, 'g-none', ['areas.read'], []);
    for (const path of ['/api/v1/concentrators', '/api/v1/collectors', '/api/v1/topology'])
      expect((await none.get(path)).body.error.code).toBe('AUTH_FORBIDDEN');
  });

  it('an area-scoped user sees and changes only gateways of their building', async () => {
    const keeper = await makeUser(w, 'g-keeper', ['areas.read', 'meters.read', 'meters.write'], [b1]);
    const cons = (await keeper.get('/api/v1/concentrators')).body.items.map((c: { id: string }) => c.id);
    expect(cons).toContain(conB1);
    expect(cons).not.toContain(conB3);
    expect(
      (await keeper.get('/api/v1/collectors')).body.items.map((c: { id: string }) => c.id),
    ).not.toContain(colB3);
    expect((await keeper.get(`/api/v1/concentrators/${conB3}`)).status).toBe(404);
    expect((await keeper.patch(`/api/v1/concentrators/${conB3}`, { name: 'x' })).status).toBe(404);
    expect((await keeper.get(`/api/v1/collectors/${colB3}`)).status).toBe(404);
    expect((await keeper.patch(`/api/v1/collectors/${colB3}`, { address: '09' })).status).toBe(404);
    expect((await keeper.get(`/api/v1/topology?concentratorId=${conB3}`)).status).toBe(404);
    expect(
      (await keeper.get('/api/v1/topology')).body.items.map(
        (t: { concentrator: { id: string } }) => t.concentrator.id,
      ),
    ).not.toContain(conB3);
    expect(
      (await keeper.post('/api/v1/concentrators', { number: 'K', a1: '1234', a2: 1, areaId: b3 })).body.error
        .code,
    ).toBe('AREA_OUT_OF_SCOPE');
    const under = await keeper.post('/api/v1/collectors', {
      number: 'K-C',
      interface: 'rs485',
      address: '01',
      areaId: b1,
      concentratorId: conB3,
    });
    expect(under.body.error.code).toBe('REQ_VALIDATION');
    const routed = await keeper.post(
      '/api/v1/meters',
      meterBody(b1, { route: { via: 'concentrator', concentratorId: conB3, pointNo: 1, port: 1 } }),
    );
    expect(routed.body.error.code).toBe('REQ_VALIDATION');
    const viaCol = await keeper.post(
      '/api/v1/meters',
      meterBody(b1, {
        route: { via: 'serial', line: 'tty:/dev/ttyS1', baud: 9600, parity: 'N', collectorId: colB3 },
      }),
    );
    expect(viaCol.body.error.code).toBe('REQ_VALIDATION');
    expect((await w.admin.get(`/api/v1/concentrators/${conB3}`)).body.name).toBe('');
  });

  it('another tenant’s gateways answer 404 on every route and stay unchanged', async () => {
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/v1/concentrators/${foreignCon}`],
      ['PATCH', `/api/v1/concentrators/${foreignCon}`, { name: 'hijacked' }],
      ['GET', `/api/v1/collectors/${foreignCol}`],
      ['PATCH', `/api/v1/collectors/${foreignCol}`, { address: '0F' }],
      ['GET', `/api/v1/topology?concentratorId=${foreignCon}`],
    ];
    for (const [method, path, body] of probes) {
      const r = await w.admin.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    for (const path of ['/api/v1/concentrators', '/api/v1/collectors', '/api/v1/topology']) {
      const text = JSON.stringify((await w.admin.get(path)).body);
      expect(text).not.toContain(foreignCon);
      expect(text).not.toContain(foreignCol);
    }
    const attach = await w.admin.post('/api/v1/collectors', {
      number: 'X-C',
      interface: 'rs485',
      address: '01',
      areaId: b1,
      concentratorId: foreignCon,
    });
    expect(attach.body.error.code).toBe('REQ_VALIDATION');
    const route = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { route: { via: 'concentrator', concentratorId: foreignCon, pointNo: 1, port: 1 } }),
    );
    expect(route.body.error.code).toBe('REQ_VALIDATION');
    const viaCollector = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, {
        route: { via: 'serial', line: 'tty:/dev/ttyS0', baud: 9600, parity: 'N', collectorId: foreignCol },
      }),
    );
    expect(viaCollector.body.error.code).toBe('REQ_VALIDATION');
    expect((await w.other.get(`/api/v1/concentrators/${foreignCon}`)).body.name).toBe('');
    expect((await w.other.get(`/api/v1/collectors/${foreignCol}`)).body.address).toBe('02');
  });

  it('answers wrong types, NUL bytes, huge numbers and empty bodies with stable 4xx codes', async () => {
    const before = await counts();
    for (const body of [
      {},
      { number: 1, a1: '1234', a2: 1, areaId: b1 },
      { number: 'N\u0000', a1: '1234', a2: 1, areaId: b1 },
      { number: 'N', a1: '1234', a2: 2 ** 40, areaId: b1 },
      { number: 'N', a1: '1234', a2: '1', areaId: b1 },
      { number: 'N', a1: '1234', a2: 1, areaId: b1, sim: 'abc' },
      { number: 'N', a1: '1234', a2: 1, areaId: b1, online: true },
    ]) {
      const r = await w.admin.post('/api/v1/concentrators', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    expect((await w.admin.patch(`/api/v1/concentrators/${conB1}`, {})).body.error.code).toBe(
      'REQ_VALIDATION',
    );
    expect((await w.admin.patch(`/api/v1/collectors/${colB3}`, {})).body.error.code).toBe('REQ_VALIDATION');
    expect((await w.admin.get('/api/v1/topology?concentratorId=nope')).body.error.code).toBe(
      'REQ_VALIDATION',
    );
    expect(await counts()).toEqual(before);
  });
});
