import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';

let p: TestPlatform;
let admin: Client;
let scoped: Client;
type Area = { id: string; name: string; parentId: string | null; path: string[] };
let all: Area[];
let building: Area;
let otherBuilding: Area;
let outsider: string;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  all = (await admin.get('/api/v1/areas')).body.items;
  building = all.find((a) => a.name === '1号楼')!;
  otherBuilding = all.find((a) => a.name === '3号楼')!;
  const role = await admin.post('/api/v1/roles', {
    name: '楼栋管理员',
    permissions: ['areas.read', 'areas.manage', 'users.read', 'users.manage', 'audit.read', 'roles.read'],
  });
  outsider = (
    await admin.post('/api/v1/users', {
      username: 'west',
      displayName: 'West',
      password: 'west-password',
      roleIds: [role.body.id],
      areaIds: [otherBuilding.id],
    })
  ).body.id;
  const made = await admin.post('/api/v1/users', {
    username: 'keeper',
    displayName: '楼管',
    password: 'keeper-password',
    roleIds: [role.body.id],
    areaIds: [building.id],
  });
  expect(made.status).toBe(201);
  scoped = await loggedIn(p.baseUrl, 'demo', 'keeper', 'keeper-password');
});
afterAll(async () => p?.stop());

describe('area scope', () => {
  it('lists only the granted building and what lies below it', async () => {
    const items: Area[] = (await scoped.get('/api/v1/areas')).body.items;
    expect(items.map((a) => a.name).sort()).toEqual(['1单元', '1号楼']);
    for (const a of items) expect(a.path).toContain(building.id);
  });

  it('cannot read, change, move into or delete areas outside it', async () => {
    const r1 = await scoped.patch(`/api/v1/areas/${otherBuilding.id}`, { name: 'x' });
    expect(r1.status).toBe(404);
    expect(r1.body.error.code).toBe('AREA_OUT_OF_SCOPE');
    expect((await scoped.delete(`/api/v1/areas/${otherBuilding.id}`)).body.error.code).toBe(
      'AREA_OUT_OF_SCOPE',
    );
    expect(
      (await scoped.post('/api/v1/areas', { parentId: otherBuilding.id, name: 'x', kind: 'unit' })).body.error
        .code,
    ).toBe('AREA_OUT_OF_SCOPE');
    expect(
      (await scoped.post('/api/v1/areas', { parentId: null, name: 'x', kind: 'company' })).body.error.code,
    ).toBe('AUTH_FORBIDDEN');
    const unit = (await scoped.get('/api/v1/areas')).body.items.find((a: Area) => a.name === '1单元');
    expect(
      (await scoped.patch(`/api/v1/areas/${unit.id}`, { parentId: otherBuilding.id })).body.error.code,
    ).toBe('AREA_OUT_OF_SCOPE');
    expect((await scoped.patch(`/api/v1/areas/${building.id}`, { parentId: otherBuilding.id })).status).toBe(
      404,
    );
    const after: Area[] = (await admin.get('/api/v1/areas')).body.items;
    expect(after.find((a) => a.id === otherBuilding.id)!.name).toBe('3号楼');
  });

  it('works inside it: adds, renames, moves within and deletes', async () => {
    const room = await scoped.post('/api/v1/areas', { parentId: building.id, name: '2单元', kind: 'unit' });
    expect(room.status).toBe(201);
    expect(room.body.path).toEqual([...building.path, room.body.id]);
    const unit1 = (await scoped.get('/api/v1/areas')).body.items.find((a: Area) => a.name === '1单元');
    const moved = await scoped.patch(`/api/v1/areas/${room.body.id}`, {
      parentId: unit1.id,
      name: '2单元(改)',
    });
    expect(moved.body.path).toEqual([...unit1.path, room.body.id]);
    expect(
      (await scoped.patch(`/api/v1/areas/${unit1.id}`, { parentId: room.body.id })).body.error.code,
    ).toBe('AREA_CYCLE');
    expect((await scoped.delete(`/api/v1/areas/${unit1.id}`)).body.error.code).toBe('AREA_NOT_EMPTY');
    expect((await scoped.delete(`/api/v1/areas/${room.body.id}`)).status).toBe(204);
  });

  it('sees and manages only users scoped inside it', async () => {
    const list = await scoped.get('/api/v1/users');
    expect(list.body.items.map((u: { username: string }) => u.username)).toEqual(['keeper']);
    expect((await scoped.get(`/api/v1/users/${outsider}`)).status).toBe(404);
    expect((await scoped.patch(`/api/v1/users/${outsider}`, { displayName: 'x' })).status).toBe(404);
    expect((await scoped.delete(`/api/v1/users/${outsider}`)).status).toBe(404);
    const whole = await scoped.post('/api/v1/users', {
      username: 'boss2',
      displayName: 'B',
      password: 'boss2-password',
      roleIds: [],
      areaIds: [],
    });
    expect(whole.body.error.code).toBe('AUTH_FORBIDDEN');
    const outside = await scoped.post('/api/v1/users', {
      username: 'boss3',
      displayName: 'B',
      password: 'boss3-password',
      roleIds: [],
      areaIds: [otherBuilding.id],
    });
    expect(outside.body.error.code).toBe('AREA_OUT_OF_SCOPE');
    const adminRole = (await scoped.get('/api/v1/roles')).body.items.find(
      (r: { builtin: boolean; permissions: string[] }) => r.permissions.includes('payments.refund'),
    );
    const escalate = await scoped.post('/api/v1/users', {
      username: 'boss4',
      displayName: 'B',
      password: 'boss4-password',
      roleIds: [adminRole.id],
      areaIds: [building.id],
    });
    expect(escalate.body.error.code).toBe('AUTH_FORBIDDEN');
    const ok = await scoped.post('/api/v1/users', {
      username: 'helper',
      displayName: 'H',
      password: 'helper-password',
      roleIds: [],
      areaIds: [building.id],
    });
    expect(ok.status).toBe(201);
  });

  it('sees only audit entries filed inside its subtree', async () => {
    const mine = await scoped.get('/api/v1/audit?pageSize=200');
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBeGreaterThan(0);
    const text = JSON.stringify(mine.body);
    expect(text).not.toContain(otherBuilding.id);
    expect(text).not.toContain('"west"');
    const everything = await admin.get('/api/v1/audit?pageSize=200');
    expect(everything.body.total).toBeGreaterThan(mine.body.total);
  });
});
