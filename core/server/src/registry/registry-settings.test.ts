import { defineTransport, secret } from '@quadmeter/sdk';
import { recordingLogger } from '@quadmeter/sdk/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../logger.ts';
import { createRegistry } from './create-registry.ts';
import { caught, notifier } from './test-fixtures.ts';

describe('registry: setup declarations', () => {
  it('records and forwards declarations, hooks of push transports included', async () => {
    const forwarded: string[] = [];
    const push = defineTransport({
      kind: 'transport',
      id: 'transport-push',
      version: '0.1.0',
      apiVersion: 1,
      title: { 'zh-CN': '推送', en: 'Push' },
      protocols: ['nbiot'],
      mode: 'push',
      routes: (router) => router.route('POST', '/uplink', () => ({ status: 204 })),
    });
    const registry = createRegistry({
      logger: recordingLogger(),
      plugins: [
        notifier('a', {
          setup: (ctx) => {
            ctx.route('GET', '/templates', () => ({ status: 200 }));
            ctx.queue('deliver', async () => {});
            ctx.schedule('deliver', '*/5 * * * *', { batch: 10 });
          },
        }),
        notifier('broken', {
          optional: true,
          setup: (ctx) => {
            ctx.route('GET', '/half', () => ({ status: 200 }));
            throw new Error('bad template');
          },
        }),
        push,
      ],
    });
    await registry.setup((id) => ({
      route: (m, p) => void forwarded.push(`${id} api ${m} ${p}`),
      hook: (m, p) => void forwarded.push(`${id} hook ${m} ${p}`),
      queue: (n) => void forwarded.push(`${id} queue ${n}`),
      schedule: (n, c) => void forwarded.push(`${id} schedule ${n} ${c}`),
    }));
    expect(forwarded).toEqual([
      'notifier-a api GET /templates',
      'notifier-a queue deliver',
      'notifier-a schedule deliver */5 * * * *',
      'transport-push hook POST /uplink',
    ]);
    const [a, broken, t] = registry.list();
    expect(a.declared).toEqual({
      routes: [{ scope: 'api', method: 'GET', path: '/templates', permission: 'plugins.read' }],
      queues: ['deliver'],
      schedules: [{ name: 'deliver', cron: '*/5 * * * *' }],
    });
    expect(broken).toMatchObject({ status: 'failed', error: 'bad template', declared: { routes: [] } });
    expect(t.declared.routes).toEqual([{ scope: 'hooks', method: 'POST', path: '/uplink' }]);
  });
});

describe('registry: route options', () => {
  it('checks a route’s permission against the catalogue and defaults it by method', async () => {
    const registry = createRegistry({
      logger: recordingLogger(),
      permissions: new Set(['plugins.read', 'plugins.manage', 'meters.read']),
      plugins: [
        notifier('a', {
          setup: (ctx) => {
            ctx.route('GET', '/list', () => ({ status: 200 }));
            ctx.route('POST', '/sync', () => ({ status: 204 }));
            ctx.route('GET', '/meters', () => ({ status: 200 }), { permission: 'meters.read' });
            ctx.hook('POST', '/bulk', () => ({ status: 204 }), { bodyLimitKb: 4096 });
          },
        }),
        notifier('typo', {
          optional: true,
          setup: (ctx) => ctx.route('GET', '/x', () => ({ status: 200 }), { permission: 'meter.read' }),
        }),
        notifier('limit', {
          optional: true,
          setup: (ctx) => ctx.hook('POST', '/x', () => ({ status: 200 }), { bodyLimitKb: -1 }),
        }),
      ],
    });
    await registry.setup();
    const [a, typo, limit] = registry.list();
    expect(a.declared.routes).toEqual([
      { scope: 'api', method: 'GET', path: '/list', permission: 'plugins.read' },
      { scope: 'api', method: 'POST', path: '/sync', permission: 'plugins.manage' },
      { scope: 'api', method: 'GET', path: '/meters', permission: 'meters.read' },
      { scope: 'hooks', method: 'POST', path: '/bulk', bodyLimitKb: 4096 },
    ]);
    expect(typo).toMatchObject({ status: 'failed', error: expect.stringContaining("'meter.read'") });
    expect(limit).toMatchObject({ status: 'failed', error: expect.stringContaining('bodyLimitKb') });
  });
});

describe('registry: config and tenant settings', () => {
  const settings = z.object({
    maxDailyUsage: z.number().positive().default(10),
    unit: z.enum(['m3', 'L']).default('m3'),
  });
  const config = z.object({ appKey: z.string(), appSecret: secret(z.string()) });

  it('parses config, redacts secrets, and stops on a required plugin with bad config', () => {
    const registry = createRegistry({
      logger: createLogger('silent'),
      plugins: [notifier('a', { config })],
      configFor: () => ({ appKey: 'k', appSecret: 's3cret' }),
    });
    expect(registry.redactedConfig('notifier-a')).toEqual({ appKey: 'k', appSecret: '[redacted]' });
    const e = caught(() =>
      createRegistry({ logger: recordingLogger(), plugins: [notifier('a', { config })] }),
    );
    expect(e.code).toBe('CONFIG_INVALID');
    expect((e.details as { fields: { path: string }[] }).fields.map((f) => f.path)).toEqual([
      'appKey',
      'appSecret',
    ]);
  });

  it('renders the JSON Schema and validates settings field by field', () => {
    const registry = createRegistry({
      logger: recordingLogger(),
      plugins: [notifier('a', { tenantSettings: settings }), notifier('b')],
    });
    expect(registry.tenantSettingsJsonSchema('notifier-b')).toEqual({ type: 'object', properties: {} });
    const json = registry.tenantSettingsJsonSchema('notifier-a') as {
      type: string;
      properties: Record<string, { default?: unknown }>;
    };
    expect(json.type).toBe('object');
    expect(json.properties.maxDailyUsage.default).toBe(10);
    expect(registry.validateTenantSettings('notifier-a', {})).toEqual({ maxDailyUsage: 10, unit: 'm3' });
    const e = caught(() =>
      registry.validateTenantSettings('notifier-a', { maxDailyUsage: -1, unit: 'gallon' }),
    );
    expect(e.code).toBe('PLUGIN_SETTINGS_INVALID');
    expect((e.details as { path: string }[]).map((d) => d.path)).toEqual(['maxDailyUsage', 'unit']);
    expect(registry.validateTenantSettings('notifier-b', {})).toEqual({});
    expect(caught(() => registry.validateTenantSettings('notifier-zzz', {})).code).toBe('PLUGIN_NOT_FOUND');
  });
});
