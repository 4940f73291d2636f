import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../test/platform.ts';
import { pluginSources } from './sources.ts';

/** A notifier as an integrator's package would export it, written as plain JavaScript. */
function notifierModule(name: string, extra: string): string {
  return `export default {
  kind: 'notifier',
  id: 'notifier-${name}',
  version: '1.0.0',
  apiVersion: 1,
  title: { 'zh-CN': '${name}', en: '${name}' },
  channel: '${name}',
  send: async () => ({ duplicate: false }),
  classify: () => 'drop',
  ${extra}
};
`;
}

async function writePackage(root: string, dir: string, source: string): Promise<void> {
  await mkdir(join(root, dir), { recursive: true });
  await writeFile(
    join(root, dir, 'package.json'),
    JSON.stringify({ name: dir, type: 'module', main: 'index.js' }),
  );
  await writeFile(join(root, dir, 'index.js'), source);
}

let root: string;
let p: TestPlatform;
let admin: Client;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qm-external-'));
  await writePackage(root, 'good', notifierModule('good', ''));
  await writePackage(root, 'newer', notifierModule('newer', '').replace('apiVersion: 1', 'apiVersion: 2'));
  await writePackage(
    root,
    'throws',
    notifierModule('throws', "setup() { throw new Error('no licence file'); },"),
  );
  await writePackage(root, 'dup', notifierModule('good', '').replace("'notifier-good'", "'meter-water'"));
  await writePackage(root, 'hangs', notifierModule('hangs', 'start: () => new Promise(() => {}),'));
  await writeFile(
    join(root, 'quadmeter.config.json'),
    JSON.stringify({ plugins: ['./good', './newer', './throws', './hangs', './absent', './dup'] }),
  );
  p = await startTestPlatform({
    QUADMETER_CONFIG: join(root, 'quadmeter.config.json'),
    QUADMETER_HOOK_TIMEOUT_MS: '300',
    QUADMETER_SIMULATORS: 'off',
  });
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
});
afterAll(async () => {
  await p?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('external plugins', () => {
  it('runs a good one beside the built-in plugins and disables each broken one with its code', async () => {
    const health = await fetch(`${p.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    const r = await admin.get('/api/v1/plugins');
    expect(r.status).toBe(200);
    const byId = new Map(r.body.items.map((x: { id: string }) => [x.id, x]));
    expect(byId.get('meter-water')).toMatchObject({ status: 'running' });
    expect(byId.get('meter-water')).not.toHaveProperty('source');
    expect(byId.get('notifier-good')).toMatchObject({
      status: 'running',
      source: './good',
      kind: 'notifier',
    });
    expect(byId.get('notifier-newer')).toMatchObject({
      status: 'failed',
      errorCode: 'PLUGIN_API_INCOMPATIBLE',
      source: './newer',
    });
    expect(byId.get('notifier-newer')).toHaveProperty('error', expect.stringContaining('newer plugin API'));
    expect(byId.get('notifier-throws')).toMatchObject({
      status: 'failed',
      errorCode: 'PLUGIN_SETUP_FAILED',
      error: 'no licence file',
    });
    expect(byId.get('notifier-hangs')).toMatchObject({ status: 'failed', errorCode: 'PLUGIN_HOOK_TIMEOUT' });
    expect(byId.get('notifier-hangs')).toHaveProperty('health', { ok: false, detail: expect.any(String) });
    expect(byId.get('absent')).toMatchObject({ status: 'failed', errorCode: 'PLUGIN_LOAD_FAILED' });
    // an external plugin cannot take a built-in plugin's id: it is refused, the built-in one runs on
    expect(byId.get('meter-water@./dup')).toMatchObject({
      status: 'failed',
      errorCode: 'PLUGIN_LOAD_FAILED',
      source: './dup',
    });
    expect(byId.get('meter-water')).toMatchObject({ status: 'running', kind: 'meter-type' });
    // the platform keeps serving its own routes
    expect((await admin.get('/api/v1/meters')).status).toBe(200);
    expect((await fetch(`${p.baseUrl}/healthz`)).status).toBe(200);
  });
});

describe('plugin sources', () => {
  it('reads the config file relative to itself, then QUADMETER_PLUGINS relative to the working dir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qm-sources-'));
    try {
      await writeFile(
        join(dir, 'quadmeter.config.json'),
        JSON.stringify({ plugins: ['./a', '@acme/meter-b'] }),
      );
      expect(pluginSources({ QUADMETER_PLUGINS: ' ./c , ,d ' }, dir)).toEqual([
        { spec: './a', base: dir, listedIn: join(dir, 'quadmeter.config.json') },
        { spec: '@acme/meter-b', base: dir, listedIn: join(dir, 'quadmeter.config.json') },
        { spec: './c', base: dir, listedIn: 'QUADMETER_PLUGINS' },
        { spec: 'd', base: dir, listedIn: 'QUADMETER_PLUGINS' },
      ]);
      const empty = await mkdtemp(join(tmpdir(), 'qm-sources-none-'));
      expect(pluginSources({}, empty)).toEqual([]);
      await rm(empty, { recursive: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a config file that is not JSON, lists non-strings, or holds NUL, with CONFIG_INVALID', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qm-sources-'));
    try {
      const file = join(dir, 'q.json');
      for (const text of [
        '{',
        JSON.stringify({ plugins: [1] }),
        JSON.stringify({ plugins: ['a\0b'] }),
        '[]',
      ]) {
        await writeFile(file, text);
        expect(() => pluginSources({ QUADMETER_CONFIG: file }, dir)).toThrow(
          expect.objectContaining({ code: 'CONFIG_INVALID' }),
        );
      }
      expect(() => pluginSources({ QUADMETER_CONFIG: join(dir, 'missing.json') }, dir)).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
