import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { meterAt } from '../../services/archives/meter-routes.ts';
import { type ArchiveWorld, archiveWorld, makeAccount, makeUser, meterBody } from './meters-fixtures.ts';

let w: ArchiveWorld;
let b1: string;
let b3: string;
let accA: string;
let accB: string;
let accFar: string;
const line = 'tcp://10.1.1.1:4001';
const serial = { via: 'serial', line, baud: 2400, parity: 'E' };

beforeAll(async () => {
  w = await archiveWorld();
  b1 = w.area['1号楼'].id;
  b3 = w.area['3号楼'].id;
  accA = await makeAccount(w, w.tenantId, b1, 'A-1');
  accB = await makeAccount(w, w.tenantId, b1, 'A-2');
  accFar = await makeAccount(w, w.tenantId, b3, 'A-3');
});
afterAll(async () => w?.p.stop());

/** An installed water meter on the serial line, on account A. */
async function installed(over: Record<string, unknown> = {}, initialReading = '0') {
  const m = await w.admin.post('/api/v1/meters', meterBody(b1, { route: serial, ...over }));
  expect(m.status).toBe(201);
  const r = await w.admin.post(`/api/v1/meters/${m.body.id}/install`, {
    accountId: accA,
    initialReading,
    reason: '新装',
    at: '2026-01-05T08:00:00+08:00',
  });
  expect(r.status).toBe(200);
  return r.body;
}

async function history(id: string, c: Client = w.admin) {
  return (await c.get(`/api/v1/meters/${id}/history`)).body.items;
}

describe('install', () => {
  it('puts an in-stock meter into service with its initial reading and records who, when and why', async () => {
    const m = await installed({}, '12.5');
    expect(m.status).toBe('installed');
    expect(m.accountId).toBe(accA);
    expect(m.initialReading).toBe('12.5000');
    expect(m.installDate).toBe('2026-01-05');
    const [e] = await history(m.id);
    expect(e).toMatchObject({
      kind: 'install',
      actorName: expect.any(String),
      reason: '新装',
      at: '2026-01-05T00:00:00.000Z',
      readings: { initial: { totalVolume: '12.5' } },
      toAccountId: accA,
      fromAccountId: null,
    });
    expect(e.actorId).not.toBeNull();
    for (const patch of [{ initialReading: '0' }, { kind: 'meter-gas' }]) {
      const frozen = await w.admin.patch(`/api/v1/meters/${m.id}`, patch);
      expect(frozen.body.error.code).toBe('METER_STATE_INVALID');
    }
    expect((await w.admin.get(`/api/v1/meters/${m.id}`)).body).toMatchObject({
      kind: 'meter-water',
      initialReading: '12.5000',
    });
    const again = await w.admin.post(`/api/v1/meters/${m.id}/install`, { initialReading: '0', reason: 'x' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('METER_STATE_INVALID');
    expect(await history(m.id)).toHaveLength(1);
  });
});

describe('replace', () => {
  it('records the final and initial readings in one transaction and moves route and account', async () => {
    const old = await installed();
    const r = await w.admin.post(`/api/v1/meters/${old.id}/replace`, {
      newMeter: meterBody(b1, { assetNo: 'NEW-1', commAddress: '00000000009001' }),
      finalReading: '1250.0',
      initialReading: '3.0',
      reason: '表坏更换',
    });
    expect(r.status).toBe(200);
    expect(r.body.old).toMatchObject({ status: 'removed', accountId: null, route: null });
    expect(r.body.new).toMatchObject({
      assetNo: 'NEW-1',
      status: 'installed',
      accountId: accA,
      initialReading: '3.0000',
      route: { via: 'serial', line, address: '00000000009001', baud: 2400, parity: 'E' },
    });
    await withTenant(w.p.running.platform.db, w.tenantId, async (tx) => {
      expect(await meterAt(tx, 'serial', line, '00000000009001')).toBe(r.body.new.id);
      expect(await meterAt(tx, 'serial', line, old.commAddress)).toBeNull();
    });
    const events = await history(old.id);
    expect(events.map((e: { kind: string }) => e.kind)).toEqual(['install', 'replace']);
    expect(events[1]).toMatchObject({
      reason: '表坏更换',
      readings: { final: { totalVolume: '1250.0' }, initial: { totalVolume: '3.0' } },
      relatedMeterId: r.body.new.id,
      fromAccountId: accA,
      toAccountId: accA,
    });
    const newEvents = await history(r.body.new.id);
    expect(newEvents).toMatchObject([
      { kind: 'install', relatedMeterId: old.id, readings: { initial: { totalVolume: '3.0' } } },
    ]);

    // consumption is continuous and exact across the replacement
    const c = await w.admin.post('/api/v1/meters/consumption', {
      from: { meterId: old.id, reading: '0' },
      to: { meterId: r.body.new.id, reading: '10.0' },
    });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ register: 'totalVolume', unit: 'm3', total: '1257.000' });
    expect(c.body.legs.map((l: { usage: string }) => l.usage)).toEqual(['1250.000', '7.000']);
    const mid = await w.admin.post('/api/v1/meters/consumption', {
      from: { meterId: old.id, reading: '1234.5' },
      to: { meterId: r.body.new.id, reading: '10.0' },
    });
    expect(mid.body.total).toBe('22.500');
    const backwards = await w.admin.post('/api/v1/meters/consumption', {
      from: { meterId: r.body.new.id, reading: '3' },
      to: { meterId: old.id, reading: '10' },
    });
    expect(backwards.body.error.code).toBe('REQ_VALIDATION');
  });

  it('keeps the measuring point on the concentrator for the new meter', async () => {
    const con = await w.admin.post('/api/v1/concentrators', {
      number: 'JZQ-L',
      a1: '3501',
      a2: 77,
      areaId: b1,
    });
    const via = { via: 'concentrator', concentratorId: con.body.id, pointNo: 5, port: 2 };
    const old = await installed({ protocol: 'gdw1376', commAddress: '000000000555', route: via });
    const r = await w.admin.post(`/api/v1/meters/${old.id}/replace`, {
      newMeter: meterBody(b1, { protocol: 'gdw1376', commAddress: '000000000556' }),
      finalReading: '10',
      initialReading: '0',
      reason: '换表',
    });
    expect(r.body.new.route).toMatchObject({
      via: 'concentrator',
      line: con.body.id,
      address: '5',
      pointNo: 5,
      port: 2,
    });
    await withTenant(w.p.running.platform.db, w.tenantId, async (tx) => {
      expect(await meterAt(tx, 'concentrator', con.body.id, '5')).toBe(r.body.new.id);
    });
  });

  it('replaces with an existing in-stock meter of the same kind only', async () => {
    const old = await installed();
    const spare = await w.admin.post('/api/v1/meters', meterBody(b1, { assetNo: 'SPARE-1' }));
    const gas = await w.admin.post('/api/v1/meters', meterBody(b1, { kind: 'meter-gas' }));
    const wrongKind = await w.admin.post(`/api/v1/meters/${old.id}/replace`, {
      newMeterId: gas.body.id,
      finalReading: '5',
      initialReading: '0',
      reason: 'x',
    });
    expect(wrongKind.body.error.code).toBe('REQ_VALIDATION');
    const other = await installed();
    const busy = await w.admin.post(`/api/v1/meters/${old.id}/replace`, {
      newMeterId: other.id,
      finalReading: '5',
      initialReading: '0',
      reason: 'x',
    });
    expect(busy.body.error.code).toBe('METER_STATE_INVALID');
    const both = await w.admin.post(`/api/v1/meters/${old.id}/replace`, {
      newMeterId: spare.body.id,
      newMeter: meterBody(b1),
      finalReading: '5',
      initialReading: '0',
      reason: 'x',
    });
    expect(both.body.error.code).toBe('REQ_VALIDATION');
    expect((await w.admin.get(`/api/v1/meters/${old.id}`)).body.status).toBe('installed');
    const ok = await w.admin.post(`/api/v1/meters/${old.id}/replace`, {
      newMeterId: spare.body.id,
      finalReading: '5',
      initialReading: '0',
      reason: '换表',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.new).toMatchObject({ id: spare.body.id, status: 'installed', accountId: accA });
  });

  it('a failure mid-way (the new address clashes on the line) leaves nothing changed', async () => {
    const old = await installed();
    const blocker = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { commAddress: '00000000009999', route: serial }),
    );
    expect(blocker.status).toBe(201);
    const auditBefore = (await w.admin.get('/api/v1/audit?pageSize=200')).body.total;
    const r = await w.admin.post(`/api/v1/meters/${old.id}/replace`, {
      newMeter: meterBody(b1, { assetNo: 'NEVER-1', commAddress: '00000000009999' }),
      finalReading: '99.5',
      initialReading: '0',
      reason: '换表',
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('METER_ROUTE_CLASH');
    const after = (await w.admin.get(`/api/v1/meters/${old.id}`)).body;
    expect(after).toMatchObject({
      status: 'installed',
      accountId: accA,
      route: { address: old.commAddress },
    });
    expect(await history(old.id)).toHaveLength(1);
    expect((await w.admin.get('/api/v1/meters?q=NEVER-1')).body.items).toEqual([]);
    expect((await w.admin.get('/api/v1/audit?pageSize=200')).body.total).toBe(auditBefore);
  });
});

describe('continuity across a register rollover', () => {
  it('a 4-digit register rolling 9998 → 0003 used 5, exactly', async () => {
    const m = await installed({ digits: 4 }, '9990');
    const r = await w.admin.post('/api/v1/meters/consumption', {
      from: { meterId: m.id, reading: '9998' },
      to: { meterId: m.id, reading: '0003' },
    });
    expect(r.body).toMatchObject({ total: '5.000', legs: [{ rolledOver: true, usage: '5.000' }] });
    const fine = await w.admin.post('/api/v1/meters/consumption', {
      from: { meterId: m.id, reading: '0.1' },
      to: { meterId: m.id, reading: '0.3' },
    });
    expect(fine.body.total).toBe('0.200');
    const back = await w.admin.post('/api/v1/meters/consumption', {
      from: { meterId: m.id, reading: '5000' },
      to: { meterId: m.id, reading: '4000' },
    });
    expect(back.body.error.code).toBe('READING_BACKWARDS');
  });

  it('stays exact on a 12-digit register', async () => {
    const m = await installed({ digits: 12 }, '0');
    const r = await w.admin.post('/api/v1/meters/consumption', {
      from: { meterId: m.id, reading: '123456789012.345' },
      to: { meterId: m.id, reading: '123456789012.346' },
    });
    expect(r.body.total).toBe('0.001');
    const wide = await w.admin.post('/api/v1/meters/consumption', {
      from: { meterId: m.id, reading: '0.001' },
      to: { meterId: m.id, reading: '999999999999.999' },
    });
    expect(wide.body.total).toBe('999999999999.998');
  });

  it('rolls over on the old meter and then continues on the new one', async () => {
    const old = await installed({ digits: 4 }, '9000');
    const r = await w.admin.post(`/api/v1/meters/${old.id}/replace`, {
      newMeter: meterBody(b1, { digits: 6 }),
      finalReading: '2.25',
      initialReading: '0.5',
      reason: '换表',
    });
    expect(r.status).toBe(200);
    const c = await w.admin.post('/api/v1/meters/consumption', {
      from: { meterId: old.id, reading: '9999.5' },
      to: { meterId: r.body.new.id, reading: '100.75' },
    });
    // (10000 - 9999.5 + 2.25) + (100.75 - 0.5)
    expect(c.body.total).toBe('103.000');
  });
});

describe('remove, suspend, resume, transfer', () => {
  it('removes with a final reading and frees the address on the line', async () => {
    const m = await installed();
    const r = await w.admin.post(`/api/v1/meters/${m.id}/remove`, {
      finalReading: '77.125',
      reason: '销户拆表',
    });
    expect(r.body).toMatchObject({ status: 'removed', accountId: null, route: null });
    expect((await history(m.id)).at(-1)).toMatchObject({
      kind: 'remove',
      readings: { final: { totalVolume: '77.125' } },
      fromAccountId: accA,
    });
    const reuse = await w.admin.post(
      '/api/v1/meters',
      meterBody(b1, { commAddress: m.commAddress, route: serial }),
    );
    expect(reuse.status).toBe(201);
    expect((await w.admin.post(`/api/v1/meters/${m.id}/suspend`, { reason: 'x' })).body.error.code).toBe(
      'METER_STATE_INVALID',
    );
  });

  it('suspends and resumes; status follows the events', async () => {
    const m = await installed();
    expect((await w.admin.post(`/api/v1/meters/${m.id}/resume`, { reason: 'x' })).body.error.code).toBe(
      'METER_STATE_INVALID',
    );
    expect((await w.admin.post(`/api/v1/meters/${m.id}/suspend`, { reason: '欠费停用' })).body.status).toBe(
      'suspended',
    );
    expect((await w.admin.post(`/api/v1/meters/${m.id}/resume`, { reason: '已缴费' })).body.status).toBe(
      'installed',
    );
    expect((await history(m.id)).map((e: { kind: string; reason: string }) => [e.kind, e.reason])).toEqual([
      ['install', '新装'],
      ['suspend', '欠费停用'],
      ['resume', '已缴费'],
    ]);
  });

  it('transfers to another account with a final reading (过户), visible in both accounts’ history', async () => {
    const m = await installed();
    const r = await w.admin.post(`/api/v1/meters/${m.id}/transfer`, {
      toAccountId: accB,
      finalReading: '42.001',
      reason: '房屋出售过户',
    });
    expect(r.status).toBe(200);
    expect(r.body.accountId).toBe(accB);
    expect((await history(m.id)).at(-1)).toMatchObject({
      kind: 'transfer',
      readings: { final: { totalVolume: '42.001' } },
      fromAccountId: accA,
      toAccountId: accB,
    });
    const ofA = (await w.admin.get(`/api/v1/accounts/${accA}/meter-history`)).body.items;
    const ofB = (await w.admin.get(`/api/v1/accounts/${accB}/meter-history`)).body.items;
    expect(
      ofA.filter((e: { meterId: string }) => e.meterId === m.id).map((e: { kind: string }) => e.kind),
    ).toEqual(['install', 'transfer']);
    expect(
      ofB.filter((e: { meterId: string }) => e.meterId === m.id).map((e: { kind: string }) => e.kind),
    ).toEqual(['install', 'transfer']);
    const same = await w.admin.post(`/api/v1/meters/${m.id}/transfer`, {
      toAccountId: accB,
      finalReading: '43',
      reason: 'x',
    });
    expect(same.body.error.code).toBe('REQ_VALIDATION');
    const missing = await w.admin.post(`/api/v1/meters/${m.id}/transfer`, {
      toAccountId: crypto.randomUUID(),
      finalReading: '43',
      reason: 'x',
    });
    expect(missing.body.error.code).toBe('REQ_VALIDATION');
    expect((await w.admin.get(`/api/v1/meters/${m.id}`)).body.accountId).toBe(accB);
    expect((await w.admin.get(`/api/v1/accounts/${crypto.randomUUID()}/meter-history`)).status).toBe(404);
  });

  it('keeps meter_events append-only', async () => {
    const m = await installed();
    await expect(
      withTenant(w.p.running.platform.db, w.tenantId, (tx) =>
        tx.execute(sql`update meter_events set reason = 'forged' where meter_id = ${m.id}`),
      ),
    ).rejects.toThrow();
    expect((await history(m.id))[0].reason).toBe('新装');
  });
});

describe('master and sub-meters', () => {
  it('links sub-meters, refuses cycles and unlinks', async () => {
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => w.admin.post('/api/v1/meters', meterBody(b1))));
    expect((await w.admin.put(`/api/v1/meters/${a.body.id}/children/${b.body.id}`, {})).status).toBe(204);
    expect((await w.admin.put(`/api/v1/meters/${b.body.id}/children/${c.body.id}`, {})).status).toBe(204);
    expect((await w.admin.put(`/api/v1/meters/${a.body.id}/children/${b.body.id}`, {})).status).toBe(204);
    expect((await w.admin.get(`/api/v1/meters/${a.body.id}/children`)).body.childIds).toEqual([b.body.id]);
    for (const [p, ch] of [
      [c, a],
      [b, a],
      [a, a],
    ]) {
      const r = await w.admin.put(`/api/v1/meters/${p.body.id}/children/${ch.body.id}`, {});
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('METER_RELATION_CYCLE');
    }
    expect((await w.admin.delete(`/api/v1/meters/${a.body.id}/children/${b.body.id}`)).status).toBe(204);
    expect((await w.admin.delete(`/api/v1/meters/${a.body.id}/children/${b.body.id}`)).status).toBe(404);
    expect((await w.admin.get(`/api/v1/meters/${a.body.id}/children`)).body.childIds).toEqual([]);
    expect((await w.admin.put(`/api/v1/meters/${c.body.id}/children/${a.body.id}`, {})).status).toBe(204);
  });
});

describe('lifecycle: permissions, scope, tenants, bad input', () => {
  let m: { id: string };
  let far: { id: string };
  let foreign: string;
  let foreignAccount: string;
  beforeAll(async () => {
    m = await installed();
    far = (await w.admin.post('/api/v1/meters', meterBody(b3))).body;
    await w.admin.post(`/api/v1/meters/${far.id}/install`, { initialReading: '0', reason: '新装' });
    foreign = (await w.other.post('/api/v1/meters', meterBody(w.otherAreaId))).body.id;
    foreignAccount = await makeAccount(w, w.otherTenantId, w.otherAreaId, 'B-9');
    await w.other.post(`/api/v1/meters/${foreign}/install`, {
      initialReading: '0',
      reason: '新装',
      accountId: foreignAccount,
    });
  });

  const actions = (id: string): [string, unknown][] => [
    [`/api/v1/meters/${id}/install`, { initialReading: '0', reason: 'x' }],
    [
      `/api/v1/meters/${id}/replace`,
      { newMeter: meterBody(b1), finalReading: '1', initialReading: '0', reason: 'x' },
    ],
    [`/api/v1/meters/${id}/remove`, { finalReading: '1', reason: 'x' }],
    [`/api/v1/meters/${id}/suspend`, { reason: 'x' }],
    [`/api/v1/meters/${id}/resume`, { reason: 'x' }],
    [`/api/v1/meters/${id}/transfer`, { toAccountId: accB, finalReading: '1', reason: 'x' }],
  ];

  it('a user without meters.write gets AUTH_FORBIDDEN on every action and nothing changes', async () => {
    const reader = await makeUser(w, 'l-reader', ['areas.read', 'meters.read', 'customers.read'], []);
    for (const [path, body] of actions(m.id)) {
      const r = await reader.post(path, body);
      expect(r.body.error.code, path).toBe('AUTH_FORBIDDEN');
    }
    expect((await reader.put(`/api/v1/meters/${m.id}/children/${far.id}`, {})).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    expect(await history(m.id)).toHaveLength(1);
    expect((await reader.get(`/api/v1/meters/${m.id}/history`)).status).toBe(200);
  });

  it('an area-scoped user cannot act on meters or accounts outside their building', async () => {
    const keeper = await makeUser(
      w,
      'l-keeper',
      ['areas.read', 'meters.read', 'meters.write', 'customers.read'],
      [b1],
    );
    for (const [path, body] of actions(far.id)) {
      const r = await keeper.post(path, body);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await keeper.get(`/api/v1/meters/${far.id}/history`)).status).toBe(404);
    expect((await keeper.put(`/api/v1/meters/${m.id}/children/${far.id}`, {})).status).toBe(404);
    const toFar = await keeper.post(`/api/v1/meters/${m.id}/transfer`, {
      toAccountId: accFar,
      finalReading: '1',
      reason: 'x',
    });
    expect(toFar.body.error.code).toBe('REQ_VALIDATION');
    expect((await keeper.get(`/api/v1/accounts/${accFar}/meter-history`)).status).toBe(404);
    expect((await w.admin.get(`/api/v1/meters/${far.id}`)).body.status).toBe('installed');
    expect((await w.admin.get(`/api/v1/meters/${m.id}`)).body.accountId).toBe(accA);
  });

  it('another tenant’s meters and accounts answer 404 and stay unchanged', async () => {
    for (const [path, body] of actions(foreign)) {
      const r = await w.admin.post(path, body);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await w.admin.get(`/api/v1/meters/${foreign}/history`)).status).toBe(404);
    expect((await w.admin.get(`/api/v1/accounts/${foreignAccount}/meter-history`)).status).toBe(404);
    const toForeign = await w.admin.post(`/api/v1/meters/${m.id}/transfer`, {
      toAccountId: foreignAccount,
      finalReading: '1',
      reason: 'x',
    });
    expect(toForeign.body.error.code).toBe('REQ_VALIDATION');
    const c = await w.admin.post('/api/v1/meters/consumption', {
      from: { meterId: foreign, reading: '0' },
      to: { meterId: foreign, reading: '1' },
    });
    expect(c.status).toBe(404);
    const theirs = await w.other.get(`/api/v1/meters/${foreign}`);
    expect(theirs.body).toMatchObject({ status: 'installed', accountId: foreignAccount });
    expect((await w.other.get(`/api/v1/meters/${foreign}/history`)).body.items).toHaveLength(1);
  });

  it('answers wrong types, NUL bytes, huge values and empty bodies with REQ_VALIDATION and writes nothing', async () => {
    const bad: [string, unknown][] = [
      [`/api/v1/meters/${m.id}/remove`, {}],
      [`/api/v1/meters/${m.id}/remove`, { finalReading: 12.5, reason: 'x' }],
      [`/api/v1/meters/${m.id}/remove`, { finalReading: '1'.repeat(40), reason: 'x' }],
      [`/api/v1/meters/${m.id}/remove`, { finalReading: '123456789', reason: 'x' }],
      [`/api/v1/meters/${m.id}/remove`, { finalReading: '1', reason: 'x\u0000' }],
      [`/api/v1/meters/${m.id}/remove`, { finalReading: '1', reason: '' }],
      [`/api/v1/meters/${m.id}/remove`, { finalReading: '1', reason: 'x', at: 'yesterday' }],
      [`/api/v1/meters/${m.id}/remove`, { finalReading: '1', reason: 'x', at: '2099-01-01T00:00:00Z' }],
      [`/api/v1/meters/${m.id}/suspend`, { reason: 'x'.repeat(501) }],
      [`/api/v1/meters/${m.id}/transfer`, { toAccountId: 'nope', finalReading: '1', reason: 'x' }],
      [`/api/v1/meters/${m.id}/replace`, { finalReading: '1', initialReading: '0', reason: 'x' }],
      [
        `/api/v1/meters/${m.id}/replace`,
        { newMeterId: m.id, finalReading: '1', initialReading: '0', reason: 'x' },
      ],
      [
        `/api/v1/meters/${m.id}/replace`,
        {
          newMeter: { ...meterBody(b1), assetNo: 'a\u0000' },
          finalReading: '1',
          initialReading: '0',
          reason: 'x',
        },
      ],
      [
        '/api/v1/meters/consumption',
        { from: { meterId: m.id, reading: 1 }, to: { meterId: m.id, reading: '2' } },
      ],
      ['/api/v1/meters/consumption', {}],
    ];
    for (const [path, body] of bad) {
      const r = await w.admin.post(path, body);
      expect(r.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    expect(await history(m.id)).toHaveLength(1);
    expect((await w.admin.get(`/api/v1/meters/${m.id}`)).body.status).toBe('installed');
  });
});
