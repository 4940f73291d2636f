import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';

// What the admin needs to name things in a person's language instead of showing keys and ids.

let p: TestPlatform;
let admin: Client;
type Role = { id: string; name: string; description: string; builtin: boolean; builtinKey: string | null };
type Entry = {
  action: string;
  targetType: string;
  targetId: string | null;
  targetName: string | null;
  targetTitle: unknown;
};

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
});
afterAll(async () => p?.stop());

const audit = async (action: string): Promise<Entry[]> =>
  (await admin.get(`/api/v1/audit?action=${action}&pageSize=100`)).body.items;

describe('roles name their built-in key', () => {
  it('gives built-in roles their key and custom roles null', async () => {
    const made = await admin.post('/api/v1/roles', { name: '自定义角色', permissions: ['users.read'] });
    expect(made.status).toBe(201);
    expect(made.body.builtinKey).toBeNull();
    const items: Role[] = (await admin.get('/api/v1/roles')).body.items;
    const keys = Object.fromEntries(items.map((r) => [r.name, r.builtinKey]));
    expect(keys).toEqual({ 系统管理员: 'admin', 抄表员: 'reader', 收费员: 'cashier', 自定义角色: null });
  });

  it('stores single-language descriptions for the built-in roles of a new tenant', async () => {
    const items: Role[] = (await admin.get('/api/v1/roles')).body.items;
    const builtin = items.filter((r) => r.builtin).map((r) => [r.builtinKey, r.description]);
    expect(Object.fromEntries(builtin)).toEqual({
      admin: '全部权限',
      reader: '负责所辖区域抄表',
      cashier: '负责收费',
    });
  });
});

describe('the permission catalogue', () => {
  it('also titles the operator-only permission, apart from the assignable ones', async () => {
    const r = await admin.get('/api/v1/permissions');
    expect(r.status).toBe(200);
    expect(r.body.items.map((x: { key: string }) => x.key)).not.toContain('tenants.manage');
    expect(r.body.operator).toEqual([
      {
        key: 'tenants.manage',
        group: 'platform',
        kind: 'menu',
        title: { 'zh-CN': '管理租户', en: 'Manage tenants' },
      },
    ]);
  });
});

describe('audit entries name their target', () => {
  it('names users, roles, areas and plugins, and deleted targets by the name they had', async () => {
    const role = (await admin.post('/api/v1/roles', { name: '审计角色', permissions: ['areas.read'] })).body;
    const user = (
      await admin.post('/api/v1/users', {
        username: 'named-user',
        displayName: '有名字的人',
        password: 'named-password',
        roleIds: [role.id],
        areaIds: [],
      })
    ).body;
    expect((await admin.patch(`/api/v1/users/${user.id}`, { displayName: '改过名' })).status).toBe(200);
    const area = (await admin.post('/api/v1/areas', { parentId: null, name: '审计小区', kind: 'community' }))
      .body;
    expect(
      (await admin.put('/api/v1/plugins/meter-water/tenant', { enabled: true, settings: {} })).status,
    ).toBe(200);
    const gone = (
      await admin.post('/api/v1/users', {
        username: 'gone-user',
        displayName: 'Gone',
        password: 'gone-password',
        roleIds: [],
        areaIds: [],
      })
    ).body;
    expect((await admin.delete(`/api/v1/users/${gone.id}`)).status).toBe(204);

    const [updated] = await audit('users.update');
    expect([updated.targetType, updated.targetId, updated.targetName]).toEqual([
      'user',
      user.id,
      'named-user',
    ]);
    const [roleMade] = await audit('roles.create');
    expect(roleMade.targetName).toBe('审计角色');
    const [areaMade] = await audit('areas.create');
    expect([areaMade.targetId, areaMade.targetName]).toEqual([area.id, '审计小区']);
    const [plugin] = await audit('plugins.configure');
    expect([plugin.targetName, plugin.targetTitle]).toEqual([
      'meter-water',
      { 'zh-CN': '水表', en: 'Water meter' },
    ]);
    const [deleted] = await audit('users.delete');
    expect([deleted.targetId, deleted.targetName]).toEqual([gone.id, 'gone-user']);
    const [login] = await audit('auth.login');
    expect(login.targetName).toBe('admin');
  });
});

describe('plugin settings schemas', () => {
  it('title every tenant setting in Chinese and English', async () => {
    const items: { id: string; settingsSchema: { properties?: Record<string, Record<string, unknown>> } }[] =
      (await admin.get('/api/v1/plugins')).body.items;
    expect(items.length).toBeGreaterThan(0);
    const untitled = items.flatMap((plugin) =>
      Object.entries(plugin.settingsSchema.properties ?? {})
        .filter(([, s]) => {
          const t = s['x-title'] as Record<string, string> | undefined;
          return !t?.['zh-CN'] || !t.en || s.title !== t.en;
        })
        .map(([key]) => `${plugin.id}.${key}`),
    );
    expect(untitled).toEqual([]);
    const water = items.find((x) => x.id === 'meter-water')!.settingsSchema.properties!;
    expect(water.meterDigits['x-title']).toEqual({ 'zh-CN': '计数器整数位数', en: 'Counter digits' });
    expect(water.displayUnit['x-enum-titles']).toEqual({
      m3: { 'zh-CN': '立方米（m³）', en: 'Cubic metres (m³)' },
      L: { 'zh-CN': '升（L）', en: 'Litres (L)' },
    });
  });
});

describe('the OpenAPI document', () => {
  it('describes the new fields for generated clients', async () => {
    const doc = (await admin.get('/api/openapi.json')).body;
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.Role.properties)).toContain('builtinKey');
    expect(Object.keys(schemas.AuditEntry.properties)).toEqual(
      expect.arrayContaining(['targetName', 'targetTitle']),
    );
  });
});
