import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArchiveWorld, archiveWorld, makeUser, meterBody } from './meters-fixtures.ts';

let w: ArchiveWorld;
let b1: string;
let b3: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  w = await archiveWorld();
  b1 = w.area['1号楼'].id;
  b3 = w.area['3号楼'].id;
  const mk = async (name: string, area: string, over: Record<string, unknown>) => {
    const r = await w.admin.post('/api/v1/meters', meterBody(area, { assetNo: name, ...over }));
    expect(r.status).toBe(201);
    ids[name] = r.body.id;
  };
  await mk('G-W1', b1, {});
  await mk('G-W3', b3, {});
  await mk('G-E1', b1, { kind: 'meter-power', protocol: 'dlt645-2007', commAddress: '000000000011' });
  await mk('G-E3', b3, { kind: 'meter-power', protocol: 'dlt645-2007', commAddress: '000000000013' });
  await w.admin.post(`/api/v1/meters/${ids['G-E1']}/install`, { initialReading: '0', reason: '新装' });
});
afterAll(async () => w?.p.stop());

const names = (items: { id: string }[]) =>
  items.map((m) => Object.entries(ids).find(([, id]) => id === m.id)?.[0] ?? m.id).sort();

describe('meter groups', () => {
  it('a static group resolves to its members', async () => {
    const g = await w.admin.post('/api/v1/meter-groups', {
      name: '重点表',
      kind: 'static',
      memberIds: [ids['G-W1'], ids['G-E3'], ids['G-W1']],
    });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ name: '重点表', kind: 'static', filter: null });
    expect([...g.body.memberIds].sort()).toEqual([ids['G-W1'], ids['G-E3']].sort());
    const m = await w.admin.get(`/api/v1/meter-groups/${g.body.id}/meters`);
    expect(names(m.body.items)).toEqual(['G-E3', 'G-W1']);
    expect(m.body.total).toBe(2);
    const patched = await w.admin.patch(`/api/v1/meter-groups/${g.body.id}`, { memberIds: [ids['G-W3']] });
    expect(patched.body.memberIds).toEqual([ids['G-W3']]);
    const dup = await w.admin.post('/api/v1/meter-groups', { name: '重点表', kind: 'static' });
    expect(dup.body.error.code).toBe('RESOURCE_CONFLICT');
    expect((await w.admin.delete(`/api/v1/meter-groups/${g.body.id}`)).status).toBe(204);
    expect((await w.admin.get(`/api/v1/meter-groups/${g.body.id}`)).status).toBe(404);
  });

  it('a saved filter resolves to the meters matching it now', async () => {
    const g = await w.admin.post('/api/v1/meter-groups', {
      name: '1号楼电表',
      kind: 'filter',
      filter: { areaId: b1, kind: 'meter-power', protocol: 'dlt645-2007' },
    });
    expect(g.status).toBe(201);
    expect(g.body.filter).toEqual({ areaId: b1, kind: 'meter-power', protocol: 'dlt645-2007' });
    expect(names((await w.admin.get(`/api/v1/meter-groups/${g.body.id}/meters`)).body.items)).toEqual([
      'G-E1',
    ]);
    const installed = await w.admin.post('/api/v1/meter-groups', {
      name: '在装电表',
      kind: 'filter',
      filter: { kind: 'meter-power', status: 'installed' },
    });
    expect(names((await w.admin.get(`/api/v1/meter-groups/${installed.body.id}/meters`)).body.items)).toEqual(
      ['G-E1'],
    );
    const wide = await w.admin.patch(`/api/v1/meter-groups/${g.body.id}`, {
      filter: { kind: 'meter-power' },
    });
    expect(wide.status).toBe(200);
    expect(names((await w.admin.get(`/api/v1/meter-groups/${g.body.id}/meters`)).body.items)).toEqual([
      'G-E1',
      'G-E3',
    ]);
    const mixed = await w.admin.patch(`/api/v1/meter-groups/${g.body.id}`, { memberIds: [ids['G-W1']] });
    expect(mixed.body.error.code).toBe('REQ_VALIDATION');
  });

  it('resolves within the caller’s scope; permissions, tenants and bad input hold', async () => {
    const g = await w.admin.post('/api/v1/meter-groups', {
      name: '全部水表',
      kind: 'static',
      memberIds: [ids['G-W1'], ids['G-W3']],
    });
    const f = await w.admin.post('/api/v1/meter-groups', {
      name: '全部电表',
      kind: 'filter',
      filter: { kind: 'meter-power' },
    });
    const keeper = await makeUser(w, 'mg-keeper', ['areas.read', 'meters.read', 'meters.write'], [b1]);
    expect(names((await keeper.get(`/api/v1/meter-groups/${g.body.id}/meters`)).body.items)).toEqual([
      'G-W1',
    ]);
    expect(names((await keeper.get(`/api/v1/meter-groups/${f.body.id}/meters`)).body.items)).toEqual([
      'G-E1',
    ]);
    expect((await keeper.get(`/api/v1/meter-groups/${g.body.id}`)).body.memberIds).toEqual([ids['G-W1']]);
    const add = await keeper.post('/api/v1/meter-groups', {
      name: 'K',
      kind: 'static',
      memberIds: [ids['G-W3']],
    });
    expect(add.body.error.code).toBe('REQ_VALIDATION');
    // a user holding less cannot change or delete a group that reaches more than they see
    expect((await keeper.patch(`/api/v1/meter-groups/${g.body.id}`, { memberIds: [] })).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    expect((await keeper.delete(`/api/v1/meter-groups/${g.body.id}`)).body.error.code).toBe('AUTH_FORBIDDEN');
    expect((await keeper.patch(`/api/v1/meter-groups/${f.body.id}`, { name: 'x' })).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    const unbounded = await keeper.post('/api/v1/meter-groups', {
      name: 'K2',
      kind: 'filter',
      filter: { kind: 'meter-gas' },
    });
    expect(unbounded.body.error.code).toBe('AUTH_FORBIDDEN');
    const elsewhere = await keeper.post('/api/v1/meter-groups', {
      name: 'K3',
      kind: 'filter',
      filter: { areaId: b3 },
    });
    expect(elsewhere.body.error.code).toBe('AUTH_FORBIDDEN');
    expect([...(await w.admin.get(`/api/v1/meter-groups/${g.body.id}`)).body.memberIds].sort()).toEqual(
      [ids['G-W1'], ids['G-W3']].sort(),
    );
    expect((await w.admin.get(`/api/v1/meter-groups/${f.body.id}`)).body.name).toBe('全部电表');
    // within their building they manage their own groups
    const own = await keeper.post('/api/v1/meter-groups', {
      name: 'K4',
      kind: 'static',
      memberIds: [ids['G-W1']],
    });
    expect(own.status).toBe(201);
    const ownFilter = await keeper.post('/api/v1/meter-groups', {
      name: 'K5',
      kind: 'filter',
      filter: { areaId: b1 },
    });
    expect(names((await keeper.get(`/api/v1/meter-groups/${ownFilter.body.id}/meters`)).body.items)).toEqual([
      'G-E1',
      'G-W1',
    ]);
    expect((await keeper.delete(`/api/v1/meter-groups/${own.body.id}`)).status).toBe(204);
    expect((await keeper.delete(`/api/v1/meter-groups/${ownFilter.body.id}`)).status).toBe(204);
    const reader = await makeUser(w, 'mg-reader', ['areas.read', 'meters.read'], []);
    const before = (await w.admin.get('/api/v1/meter-groups')).body.items.length;
    expect((await reader.post('/api/v1/meter-groups', { name: 'R', kind: 'static' })).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    expect((await reader.patch(`/api/v1/meter-groups/${g.body.id}`, { name: 'R' })).body.error.code).toBe(
      'AUTH_FORBIDDEN',
    );
    expect((await reader.delete(`/api/v1/meter-groups/${g.body.id}`)).body.error.code).toBe('AUTH_FORBIDDEN');

    const theirs = await w.other.post('/api/v1/meter-groups', { name: 'B组', kind: 'static' });
    for (const [method, path, body] of [
      ['GET', `/api/v1/meter-groups/${theirs.body.id}`],
      ['GET', `/api/v1/meter-groups/${theirs.body.id}/meters`],
      ['PATCH', `/api/v1/meter-groups/${theirs.body.id}`, { name: 'hijacked' }],
      ['DELETE', `/api/v1/meter-groups/${theirs.body.id}`],
    ] as [string, string, unknown?][]) {
      const r = await w.admin.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect(JSON.stringify((await w.admin.get('/api/v1/meter-groups')).body)).not.toContain(theirs.body.id);
    expect((await w.other.get(`/api/v1/meter-groups/${theirs.body.id}`)).body.name).toBe('B组');
    const foreignMember = await w.other.post('/api/v1/meter-groups', {
      name: 'B2',
      kind: 'static',
      memberIds: [ids['G-W1']],
    });
    expect(foreignMember.body.error.code).toBe('REQ_VALIDATION');

    for (const body of [
      {},
      { name: 'x', kind: 'dynamic' },
      { name: 'x\u0000', kind: 'static' },
      { name: 'x', kind: 'filter', filter: { status: 'broken' } },
      { name: 'x', kind: 'filter', filter: { colour: 'red' } },
      { name: 'x', kind: 'static', memberIds: ['nope'] },
      { name: 'x', kind: 'static', memberIds: [crypto.randomUUID()] },
      { name: 1, kind: 'static' },
    ]) {
      const r = await w.admin.post('/api/v1/meter-groups', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    expect((await w.admin.patch(`/api/v1/meter-groups/${g.body.id}`, {})).body.error.code).toBe(
      'REQ_VALIDATION',
    );
    expect((await w.admin.get('/api/v1/meter-groups')).body.items.length).toBe(before);
  });
});
