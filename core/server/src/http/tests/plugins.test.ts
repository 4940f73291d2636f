import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';

let p: TestPlatform;
let admin: Client;
beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
});
afterAll(async () => p?.stop());

describe('plugins', () => {
  it('lists the installed meter types with health, status and a settings JSON Schema', async () => {
    const r = await admin.get('/api/v1/plugins');
    expect(r.status).toBe(200);
    const ids = r.body.items.map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining(['meter-water', 'meter-power', 'meter-gas', 'meter-heat']));
    const water = r.body.items.find((x: { id: string }) => x.id === 'meter-water');
    expect(water).toMatchObject({
      kind: 'meter-type',
      status: 'running',
      health: { ok: true },
      enabled: true, // the demo tenant has the four meter types enabled
    });
    expect(water.title['zh-CN']).toBeTruthy();
    expect(water.settingsSchema.type).toBe('object');
    expect(Object.keys(water.settingsSchema.properties ?? {}).length).toBeGreaterThan(0);
  });

  it('enables a plugin for the tenant with validated settings, and refuses settings off the schema', async () => {
    const list = (await admin.get('/api/v1/plugins')).body.items;
    const water = list.find((x: { id: string }) => x.id === 'meter-water');
    const props = water.settingsSchema.properties as Record<string, { type?: string }>;
    const bad = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, v.type === 'string' ? 12345 : 'not-valid']),
    );
    const refused = await admin.put('/api/v1/plugins/meter-water/tenant', { enabled: true, settings: bad });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('PLUGIN_SETTINGS_INVALID');
    expect(refused.body.error.details.length).toBeGreaterThan(0);
    const ok = await admin.put('/api/v1/plugins/meter-water/tenant', { enabled: true, settings: {} });
    expect(ok.status).toBe(200);
    expect(ok.body.enabled).toBe(true);
    const again = (await admin.get('/api/v1/plugins')).body.items.find(
      (x: { id: string }) => x.id === 'meter-water',
    );
    expect(again.enabled).toBe(true);
    const audit = await admin.get('/api/v1/audit?action=plugins.configure');
    expect(audit.body.total).toBe(1);
    expect(
      (await admin.put('/api/v1/plugins/meter-nothing/tenant', { enabled: true, settings: {} })).body.error
        .code,
    ).toBe('PLUGIN_NOT_FOUND');
  });
});
