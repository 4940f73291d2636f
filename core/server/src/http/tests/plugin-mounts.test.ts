import { request } from 'node:http';
import { type AnyPlugin, defineTransport } from '@quadmeter/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Client as C, Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { installedPlugins } from '../../installed-plugins.ts';

const received: { tenantId?: string; data: unknown }[] = [];
const brokenJobs: unknown[] = [];
const stoppableJobs: unknown[] = [];
let brokenHookRuns = 0;
let bigHookRuns = 0;
let uplinkRuns = 0;

async function errorOf(res: Response) {
  return ((await res.json()) as { error: Record<string, unknown> }).error;
}

/** A POST of `size` zero bytes, announced or chunked; the server may close while the body streams. */
function postBytes(url: string, size: number, chunked = false): Promise<{ status: number; body: string }> {
  const headers = chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(size) };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (e) => setTimeout(() => reject(e), 1000)); // a response that arrived wins
    const chunk = Buffer.alloc(64 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(done: () => boolean, ms = 10_000) {
  for (let waited = 0; !done() && waited < ms; waited += 100) await sleep(100);
}

// A push transport as an integrator would write one: public hooks, authenticated routes, a queue.
const probe = defineTransport({
  id: 'transport-probe',
  kind: 'transport',
  mode: 'push',
  protocols: ['test'],
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '测试通道', en: 'Probe transport' },
  tenantSettings: z.object({ apn: z.string().default('cmnet') }),
  routes(router) {
    router.route('POST', '/uplink/{device}', (req) => {
      uplinkRuns++;
      return {
        status: 202,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          device: req.params.device,
          bytes: req.body.length,
          signed: req.headers['x-sig'] ?? null,
        }),
      };
    });
    router.route(
      'POST',
      '/bulk',
      (req) => {
        bigHookRuns++;
        return { status: 200, body: String(req.body.length) };
      },
      { bodyLimitKb: 4096 },
    );
  },
  setup(ctx) {
    ctx.route('GET', '/whoami', (req) => ({ status: 200, body: JSON.stringify({ tenantId: req.tenantId }) }));
    ctx.route('GET', '/meters', () => ({ status: 200, body: '[]' }), { permission: 'meters.read' });
    ctx.route('POST', '/resync', () => ({ status: 204 }));
    // the handler reaches the core through the context it is handed, no module global needed
    ctx.hook('GET', '/ctx', async (req, pctx) => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        pluginId: pctx.pluginId,
        settings: await pctx.core.tenantSettings(req.query.tenant),
      }),
    }));
    ctx.queue('inbox', async (job, jctx) => {
      received.push({ tenantId: job.tenantId, data: { ...(job.data as object), by: jctx.pluginId } });
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
  setup(ctx) {
    ctx.hook('POST', '/uplink', () => {
      brokenHookRuns++;
      return { status: 204 };
    });
    ctx.queue('inbox', async (job) => void brokenJobs.push(job.data));
  },
  start() {
    throw new Error('port already in use');
  },
});

const stoppable = defineTransport({
  id: 'transport-stoppable',
  kind: 'transport',
  mode: 'push',
  protocols: ['test'],
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '可停止', en: 'Stoppable' },
  routes(router) {
    router.route('GET', '/ping', () => ({ status: 200, body: 'pong' }));
  },
  setup(ctx) {
    ctx.queue('inbox', async (job) => void stoppableJobs.push(job.data));
  },
});

let p: TestPlatform;
let admin: C;
let other: C;
let viewer: C;
beforeAll(async () => {
  p = await startTestPlatform(
    {},
    {
      plugins: [...installedPlugins, probe, broken, stoppable] as AnyPlugin[],
    },
  );
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const op = await loggedIn(p.baseUrl, 'platform', 'operator', p.operator.password);
  const created = await op.post('/api/v1/tenants', {
    code: 'other',
    name: '另一家公司',
    adminUsername: 'boss',
    adminPassword: 'other-password',
  });
  expect(created.status).toBe(201);
  other = await loggedIn(p.baseUrl, 'other', 'boss', 'other-password');
  const role = await admin.post('/api/v1/roles', { name: '插件查看', permissions: ['plugins.read'] });
  const user = await admin.post('/api/v1/users', {
    username: 'viewer',
    displayName: 'Viewer',
    password: 'viewer-password',
    roleIds: [role.body.id],
    areaIds: [],
  });
  expect(user.status).toBe(201);
  viewer = await loggedIn(p.baseUrl, 'demo', 'viewer', 'viewer-password');
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

  it('refuses an oversized hook body with 413 before the handler runs, unless the hook raised its limit', async () => {
    const runs = uplinkRuns;
    const huge = await postBytes(`${p.baseUrl}/hooks/transport-probe/uplink/dev-7`, 20 * 1024 * 1024);
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body).error.code).toBe('REQ_BODY_TOO_LARGE');
    // without a content-length (chunked), the limit counts the bytes as they arrive
    const chunked = await postBytes(`${p.baseUrl}/hooks/transport-probe/uplink/dev-7`, 3 * 1024 * 1024, true);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe('REQ_BODY_TOO_LARGE');
    expect(uplinkRuns).toBe(runs);
    // 2 MiB: above the 1 MiB default, within the hook's 4 MiB
    const big = await fetch(`${p.baseUrl}/hooks/transport-probe/bulk`, {
      method: 'POST',
      body: new Uint8Array(2 * 1024 * 1024),
    });
    expect(big.status).toBe(200);
    expect(await big.text()).toBe(String(2 * 1024 * 1024));
    const tooBig = await fetch(`${p.baseUrl}/hooks/transport-probe/bulk`, {
      method: 'POST',
      body: new Uint8Array(5 * 1024 * 1024),
    });
    expect(tooBig.status).toBe(413);
    expect(bigHookRuns).toBe(1);
  });

  it('hands route and hook handlers the running plugin context with the core API', async () => {
    const me = await admin.get('/api/v1/auth/me');
    const tenantId = me.body.tenant.id;
    const saved = await admin.put('/api/v1/plugins/transport-probe/tenant', {
      enabled: true,
      settings: { apn: 'iot.demo' },
    });
    expect(saved.status).toBe(200);
    const res = await fetch(`${p.baseUrl}/hooks/transport-probe/ctx?tenant=${tenantId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pluginId: 'transport-probe', settings: { apn: 'iot.demo' } });
  });

  it('mounts authenticated routes under /api/v1/plugins/<id> and hands on the tenant', async () => {
    const anonymous = await new Client(p.baseUrl).get('/api/v1/plugins/transport-probe/whoami');
    expect(anonymous.body.error.code).toBe('AUTH_REQUIRED');
    await admin.put('/api/v1/plugins/transport-probe/tenant', { enabled: true, settings: {} });
    const me = await admin.get('/api/v1/auth/me');
    const r = await admin.get('/api/v1/plugins/transport-probe/whoami');
    expect(r.body).toEqual({ tenantId: me.body.tenant.id });
  });

  it('answers PLUGIN_DISABLED where the plugin is not enabled for the caller’s tenant', async () => {
    // demo enabled it (previous test); the other tenant never did
    const r = await other.get('/api/v1/plugins/transport-probe/whoami');
    expect(r.body.error.code).toBe('PLUGIN_DISABLED');
    expect(r.status).toBe(409);
    // enabling it elsewhere does not enable it here, and disabling it here does not disable it there
    await other.put('/api/v1/plugins/transport-probe/tenant', { enabled: true, settings: {} });
    await admin.put('/api/v1/plugins/transport-probe/tenant', { enabled: false, settings: {} });
    expect((await admin.get('/api/v1/plugins/transport-probe/whoami')).body.error.code).toBe(
      'PLUGIN_DISABLED',
    );
    expect((await other.get('/api/v1/plugins/transport-probe/whoami')).status).toBe(200);
    await admin.put('/api/v1/plugins/transport-probe/tenant', { enabled: true, settings: {} });
  });

  it('checks the permission each route declares (plugins.read / plugins.manage by default)', async () => {
    expect((await viewer.get('/api/v1/plugins/transport-probe/whoami')).status).toBe(200);
    const meters = await viewer.get('/api/v1/plugins/transport-probe/meters');
    expect(meters.status).toBe(403);
    expect(meters.body.error).toMatchObject({
      code: 'AUTH_FORBIDDEN',
      details: { permission: 'meters.read' },
    });
    const resync = await viewer.post('/api/v1/plugins/transport-probe/resync');
    expect(resync.body.error).toMatchObject({
      code: 'AUTH_FORBIDDEN',
      details: { permission: 'plugins.manage' },
    });
    expect((await admin.get('/api/v1/plugins/transport-probe/meters')).status).toBe(200);
    expect((await admin.post('/api/v1/plugins/transport-probe/resync')).status).toBe(204);
  });

  it('runs the plugin’s queue with the tenant id of each job, handing it the context', async () => {
    const tenantId = crypto.randomUUID();
    await p.running.platform.jobs.send('transport-probe.inbox', tenantId, { frame: '68..16' });
    await until(() => received.length > 0);
    expect(received).toEqual([{ tenantId, data: { frame: '68..16', by: 'transport-probe' } }]);
  });

  it('lists a failed optional plugin as failed while the rest runs', async () => {
    const items = (await admin.get('/api/v1/plugins')).body.items;
    const b = items.find((x: { id: string }) => x.id === 'transport-broken');
    expect(b.status).toBe('failed');
    expect(b.error).toContain('port already in use');
    expect(items.find((x: { id: string }) => x.id === 'transport-probe').status).toBe('running');
  });

  it('answers 503 PLUGIN_UNAVAILABLE on the hooks of a plugin whose start failed, and runs none of its jobs', async () => {
    const res = await fetch(`${p.baseUrl}/hooks/transport-broken/uplink`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(503);
    expect(await errorOf(res)).toMatchObject({
      code: 'PLUGIN_UNAVAILABLE',
      details: { pluginId: 'transport-broken', status: 'failed' },
    });
    expect(brokenHookRuns).toBe(0);
    const jobs = p.running.platform.jobs;
    await jobs.send('transport-broken.inbox', crypto.randomUUID(), { n: 1 });
    const before = received.length;
    await jobs.send('transport-probe.inbox', crypto.randomUUID(), { n: 2 });
    await until(() => received.length > before);
    await sleep(1500); // a second polling round for the broken queue, had it a worker
    expect(received.length).toBe(before + 1);
    expect(brokenJobs).toEqual([]);
  });

  it('after a plugin is stopped, its hooks answer 503 and its workers stop', async () => {
    expect((await fetch(`${p.baseUrl}/hooks/transport-stoppable/ping`)).status).toBe(200);
    const jobs = p.running.platform.jobs;
    await jobs.send('transport-stoppable.inbox', crypto.randomUUID(), { n: 1 });
    await until(() => stoppableJobs.length > 0);
    const report = await p.running.platform.pluginHost.stopPlugin('transport-stoppable');
    expect(report.errors).toEqual([]);
    const res = await fetch(`${p.baseUrl}/hooks/transport-stoppable/ping`);
    expect(res.status).toBe(503);
    expect(await errorOf(res)).toMatchObject({
      code: 'PLUGIN_UNAVAILABLE',
      details: { status: 'stopped' },
    });
    await jobs.send('transport-stoppable.inbox', crypto.randomUUID(), { n: 2 });
    await sleep(2500);
    expect(stoppableJobs).toEqual([{ n: 1 }]);
    const [row] = await p.running.platform.database.sql<{ state: string }[]>`
      select state from pgboss.job where name = 'transport-stoppable.inbox' and data->'data'->>'n' = '2'`;
    expect(row.state).toBe('created');
  });
});
