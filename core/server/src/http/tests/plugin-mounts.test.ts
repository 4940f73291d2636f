import { type AnyPlugin, defineTransport } from '@quadmeter/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client as C, Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { installedPlugins } from '../../installed-plugins.ts';

const received: { tenantId?: string; data: unknown }[] = [];

// A push transport as an integrator would write one: a public hook, an authenticated route, a queue.
const probe = defineTransport({
  id: 'transport-probe',
  kind: 'transport',
  mode: 'push',
  protocols: ['test'],
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '测试通道', en: 'Probe transport' },
  routes(router) {
    router.route('POST', '/uplink/{device}', (req) => ({
      status: 202,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        device: req.params.device,
        bytes: req.body.length,
        signed: req.headers['x-sig'] ?? null,
      }),
    }));
  },
  setup(ctx) {
    ctx.route('GET', '/whoami', (req) => ({ status: 200, body: JSON.stringify({ tenantId: req.tenantId }) }));
    ctx.queue('inbox', async (job) => {
      received.push({ tenantId: job.tenantId, data: job.data });
    });
  },
});

// An optional plugin whose start fails must be disabled without stopping the platform.
const broken = defineTransport({
  id: 'transport-broken',
  kind: 'transport',
  mode: 'push',
  protocols: ['test'],
  optional: true,
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '坏插件', en: 'Broken' },
  start() {
    throw new Error('port already in use');
  },
});

let p: TestPlatform;
let admin: C;
beforeAll(async () => {
  p = await startTestPlatform({}, { plugins: [...installedPlugins, probe, broken] as AnyPlugin[] });
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
});
afterAll(async () => p?.stop());

describe('plugin routes, hooks and queues', () => {
  it('mounts a public hook under /hooks/<id> with the raw body', async () => {
    const res = await fetch(`${p.baseUrl}/hooks/transport-probe/uplink/dev-7`, {
      method: 'POST',
      headers: { 'x-sig': 'abc' },
      body: new Uint8Array([0x68, 1, 2, 0x16]),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ device: 'dev-7', bytes: 4, signed: 'abc' });
  });

  it('mounts authenticated routes under /api/v1/plugins/<id> and hands on the tenant', async () => {
    const anonymous = await new Client(p.baseUrl).get('/api/v1/plugins/transport-probe/whoami');
    expect(anonymous.body.error.code).toBe('AUTH_REQUIRED');
    const me = await admin.get('/api/v1/auth/me');
    const r = await admin.get('/api/v1/plugins/transport-probe/whoami');
    expect(r.body).toEqual({ tenantId: me.body.tenant.id });
  });

  it('runs the plugin’s queue with the tenant id of each job', async () => {
    const tenantId = crypto.randomUUID();
    await p.running.platform.jobs.send('transport-probe.inbox', tenantId, { frame: '68..16' });
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual([{ tenantId, data: { frame: '68..16' } }]);
  });

  it('lists a failed optional plugin as failed while the rest runs', async () => {
    const items = (await admin.get('/api/v1/plugins')).body.items;
    const b = items.find((x: { id: string }) => x.id === 'transport-broken');
    expect(b.status).toBe('failed');
    expect(b.error).toContain('port already in use');
    expect(items.find((x: { id: string }) => x.id === 'transport-probe').status).toBe('running');
  });
});
