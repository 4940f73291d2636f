import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type AnyPlugin, defineTransport, secret } from '@quadmeter/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { decodeSecretKey } from '../../config.ts';
import { createLogger } from '../../logger.ts';
import { createSecretBox } from '../../secrets/secret-box.ts';

const FIRST = 'sk-live-FIRST-9f8e7d';
const SECOND = 'sk-live-SECOND-1a2b3c';
const seen: Record<string, unknown>[] = [];
let startedWith: unknown;

const vault = defineTransport({
  id: 'transport-vault',
  kind: 'transport',
  mode: 'push',
  protocols: ['test'],
  version: '0.1.0',
  apiVersion: 1,
  title: { 'zh-CN': '密钥测试', en: 'Vault' },
  config: z.object({ endpoint: z.url(), token: secret(z.string()) }),
  tenantSettings: z.object({
    region: z.string().default('sh'),
    apiKey: secret(z.string().min(8)).optional(),
  }),
  start(ctx) {
    startedWith = ctx.config;
  },
  routes(router) {
    // records what the plugin sees; the response carries nothing of it
    router.route('GET', '/peek', async (req, ctx) => {
      seen.push((await ctx.core.tenantSettings(req.query.tenant)) as Record<string, unknown>);
      return { status: 204 };
    });
  },
});

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});

let p: TestPlatform;
let admin: Client;
let tenantId: string;
const bodies: string[] = [];

async function put(settings: Record<string, unknown>) {
  const r = await admin.put('/api/v1/plugins/transport-vault/tenant', { enabled: true, settings });
  bodies.push(JSON.stringify(r.body));
  return r;
}

async function pluginSees() {
  const res = await fetch(`${p.baseUrl}/hooks/transport-vault/peek?tenant=${tenantId}`);
  bodies.push(await res.text());
  expect(res.status).toBe(204);
  return seen.at(-1);
}

beforeAll(async () => {
  p = await startTestPlatform(
    { QUADMETER_PLUGIN_TRANSPORT_VAULT: '{"endpoint":"https://vault.example","token":"instance-tok"}' },
    { plugins: [vault] as AnyPlugin[], logger: createLogger('trace', capture) },
  );
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
});
afterAll(async () => p?.stop());

describe('plugin secrets', () => {
  it('hands the plugin its instance config from QUADMETER_PLUGIN_<ID>', () => {
    expect(startedWith).toEqual({ endpoint: 'https://vault.example', token: 'instance-tok' });
  });

  it('encrypts secret settings at rest and redacts them in responses', async () => {
    const saved = await put({ region: 'bj', apiKey: FIRST });
    expect(saved.status).toBe(200);
    expect(saved.body.settings).toEqual({ region: 'bj', apiKey: '[redacted]' });
    const listed = await admin.get('/api/v1/plugins');
    bodies.push(JSON.stringify(listed.body));
    const item = listed.body.items.find((x: { id: string }) => x.id === 'transport-vault');
    expect(item.settings).toEqual({ region: 'bj', apiKey: '[redacted]' });

    const [row] = await p.running.platform.database.sql<{ settings: { region: string; apiKey: string } }[]>`
      select settings from plugin_settings where plugin_id = 'transport-vault'`;
    expect(row.settings.region).toBe('bj');
    expect(row.settings.apiKey).toMatch(/^enc:v1:[A-Za-z0-9+/=]+$/);
    expect(JSON.stringify(row.settings)).not.toContain(FIRST);
    // sealed with the key generated into the data dir (mode 600)
    const keyFile = join(p.running.platform.config.QUADMETER_DATA_DIR, 'secret.key');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const key = decodeSecretKey(await readFile(keyFile, 'utf8'));
    expect(createSecretBox(key as Buffer).open(row.settings.apiKey)).toBe(FIRST);
  });

  it('gives the plugin the decrypted value', async () => {
    expect(await pluginSees()).toEqual({ region: 'bj', apiKey: FIRST });
  });

  it('keeps the stored secret when a save leaves it empty, absent or redacted', async () => {
    for (const settings of [
      { region: 'gz', apiKey: '' },
      { region: 'sz' },
      { region: 'hz', apiKey: '[redacted]' },
    ]) {
      const r = await put(settings);
      expect(r.status).toBe(200);
      expect(r.body.settings).toEqual({ region: settings.region, apiKey: '[redacted]' });
      expect(await pluginSees()).toEqual({ region: settings.region, apiKey: FIRST });
    }
    expect((await put({ apiKey: SECOND })).status).toBe(200);
    expect(await pluginSees()).toEqual({ region: 'sh', apiKey: SECOND });
    const refused = await put({ apiKey: 'short' });
    expect(refused.body.error.code).toBe('PLUGIN_SETTINGS_INVALID');
    expect(await pluginSees()).toEqual({ region: 'sh', apiKey: SECOND });
  });

  it('writes no secret into the audit log', async () => {
    const rows = await p.running.platform.database.sql<{ before: unknown; after: unknown }[]>`
      select before, after from audit_log where action = 'plugins.configure' order by id`;
    expect(rows.length).toBe(5);
    expect(rows[0]).toEqual({
      before: null,
      after: { enabled: true, settings: { region: 'bj', apiKey: '[redacted]' } },
    });
    expect(rows[1].before).toEqual({ enabled: true, settings: { region: 'bj', apiKey: '[redacted]' } });
    const audit = await admin.get('/api/v1/audit?action=plugins.configure');
    bodies.push(JSON.stringify(audit.body));
    for (const text of [JSON.stringify(rows), JSON.stringify(audit.body)]) {
      expect(text).not.toContain(FIRST);
      expect(text).not.toContain(SECOND);
      expect(text).not.toContain('enc:v1:');
    }
  });

  it('never shows a secret in a response body or a log line', () => {
    expect(lines.length).toBeGreaterThan(10); // trace-level request logs were captured
    for (const text of [...bodies, ...lines]) {
      for (const s of [FIRST, SECOND, 'instance-tok']) expect(text).not.toContain(s);
    }
  });
});
