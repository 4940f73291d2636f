import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secret } from '@quadmeter/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { loadConfig } from './config.ts';
import { type Jobs, startJobs } from './jobs/jobs.ts';
import { createLogger } from './logger.ts';
import { pluginConfigSource } from './plugin-config.ts';
import { type PluginHostDeps, startPlugins } from './plugin-host.ts';
import { notifier } from './registry/test-fixtures.ts';
import { createSecretBox } from './secrets/secret-box.ts';

let t: TestDatabase;
let jobs: Jobs;
let dir: string;
beforeAll(async () => {
  t = await createTestDatabase();
  jobs = await startJobs(t.url, createLogger('silent'));
  dir = await mkdtemp(join(tmpdir(), 'qm-plugin-config-'));
});
afterAll(async () => {
  await jobs?.stop();
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const deps = (extra: Partial<PluginHostDeps>): PluginHostDeps => ({
  logger: createLogger('silent'),
  db: t.database.db,
  jobs,
  secrets: createSecretBox(Buffer.alloc(32, 1)),
  plugins: [],
  ...extra,
});

describe('plugin host: schedules', () => {
  it('schedules in the configured zone, Asia/Shanghai by default', async () => {
    const freezer = notifier('freezer', {
      setup: (ctx) => {
        ctx.queue('freeze', async () => {});
        ctx.schedule('freeze', '0 0 * * *', { kind: 'daily' });
      },
    });
    const host = await startPlugins(
      deps({ plugins: [freezer], timezone: loadConfig({}).QUADMETER_TIMEZONE }),
    );
    const rows = await t.database.sql<{ name: string; cron: string; timezone: string }[]>`
      select name, cron, timezone from pgboss.schedule where name = 'notifier-freezer.freeze'`;
    expect(rows).toEqual([{ name: 'notifier-freezer.freeze', cron: '0 0 * * *', timezone: 'Asia/Shanghai' }]);
    await host.stop();
    const other = notifier('berlin', { setup: (ctx) => ctx.schedule('tick', '0 0 * * *') });
    const h2 = await startPlugins(
      deps({
        plugins: [other],
        timezone: loadConfig({ QUADMETER_TIMEZONE: 'Europe/Berlin' }).QUADMETER_TIMEZONE,
      }),
    );
    const [row] = await t.database.sql<{ timezone: string }[]>`
      select timezone from pgboss.schedule where name = 'notifier-berlin.tick'`;
    expect(row.timezone).toBe('Europe/Berlin');
    await h2.stop();
  });
});

describe('plugin host: instance config', () => {
  const config = z.object({
    appKey: z.string(),
    appSecret: secret(z.string()),
    region: z.string().default('cn'),
  });

  it('reads each plugin’s config from the config file and QUADMETER_PLUGIN_<ID> variables', async () => {
    const file = join(dir, 'plugins.json');
    await writeFile(file, JSON.stringify({ 'notifier-sms': { appKey: 'from-file', appSecret: 'f' } }));
    const seen: unknown[] = [];
    const sms = notifier('sms', { config, start: (ctx) => void seen.push(ctx.config) });
    const mail = notifier('mail-out', { config, start: (ctx) => void seen.push(ctx.config) });
    const env = {
      QUADMETER_PLUGINS_CONFIG: file,
      QUADMETER_PLUGIN_NOTIFIER_SMS: '{"appSecret":"from-env"}',
      QUADMETER_PLUGIN_NOTIFIER_MAIL_OUT: '{"appKey":"m","appSecret":"s","region":"hk"}',
    };
    const host = await startPlugins(
      deps({ plugins: [sms, mail], configFor: pluginConfigSource(loadConfig(env)) }),
    );
    expect(seen).toEqual([
      { appKey: 'from-file', appSecret: 'from-env', region: 'cn' },
      { appKey: 'm', appSecret: 's', region: 'hk' },
    ]);
    expect(host.registry.redactedConfig('notifier-sms')).toEqual({
      appKey: 'from-file',
      appSecret: '[redacted]',
      region: 'cn',
    });
    await host.stop();
  });

  it('fails start with CONFIG_INVALID naming plugin and field for a required plugin; disables an optional one', async () => {
    const env = { QUADMETER_PLUGIN_NOTIFIER_SMS: '{"appKey":42}' };
    const configFor = pluginConfigSource(loadConfig(env));
    await expect(
      startPlugins(deps({ plugins: [notifier('sms', { config })], configFor })),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining("'notifier-sms'"),
      details: {
        pluginId: 'notifier-sms',
        fields: [
          { path: 'appKey', message: expect.any(String) },
          { path: 'appSecret', message: expect.any(String) },
        ],
      },
    });
    const host = await startPlugins(
      deps({ plugins: [notifier('sms', { config, optional: true }), notifier('fine')], configFor }),
    );
    expect(host.registry.list().map((p) => [p.id, p.status])).toEqual([
      ['notifier-sms', 'failed'],
      ['notifier-fine', 'running'],
    ]);
    await host.stop();
  });

  it('refuses a variable or file that is not JSON, naming it', async () => {
    expect(() =>
      pluginConfigSource(loadConfig({ QUADMETER_PLUGIN_NOTIFIER_SMS: '{appKey:1}' }))('notifier-sms'),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('QUADMETER_PLUGIN_NOTIFIER_SMS'),
      }),
    );
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '[1,2]');
    expect(() => pluginConfigSource(loadConfig({ QUADMETER_PLUGINS_CONFIG: bad }))).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(() =>
      pluginConfigSource(loadConfig({ QUADMETER_PLUGINS_CONFIG: join(dir, 'missing.json') })),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
