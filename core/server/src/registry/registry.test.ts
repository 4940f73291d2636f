import { AppError } from '@quadmeter/sdk';
import { recordingLogger } from '@quadmeter/sdk/testing';
import { describe, expect, it } from 'vitest';
import { createRegistry } from './create-registry.ts';
import { caught, type Hooks, never, notifier, withCore } from './test-fixtures.ts';

describe('registry: definitions and order', () => {
  it('orders by dependsOn and keeps the installed order otherwise', async () => {
    const events: string[] = [];
    const track = (name: string): Hooks => ({
      start: () => void events.push(`start ${name}`),
      stop: () => void events.push(`stop ${name}`),
    });
    const registry = createRegistry({
      logger: recordingLogger(),
      plugins: [
        notifier('c', { dependsOn: ['notifier-b'], ...track('c') }),
        notifier('x', track('x')),
        notifier('b', { dependsOn: ['notifier-a'], ...track('b') }),
        notifier('a', track('a')),
      ],
    });
    expect(registry.list().map((p) => p.id)).toEqual([
      'notifier-x',
      'notifier-a',
      'notifier-b',
      'notifier-c',
    ]);
    await registry.setup();
    await registry.start(withCore);
    expect(registry.list().every((p) => p.status === 'running')).toBe(true);
    const report = await registry.stop();
    expect(report.errors).toEqual([]);
    expect(events).toEqual([
      'start x',
      'start a',
      'start b',
      'start c',
      'stop c',
      'stop b',
      'stop a',
      'stop x',
    ]);
    expect(registry.list().every((p) => p.status === 'stopped')).toBe(true);
  });

  it('names a dependency cycle', () => {
    const e = caught(() =>
      createRegistry({
        logger: recordingLogger(),
        plugins: [
          notifier('free'),
          notifier('a', { dependsOn: ['notifier-b'] }),
          notifier('b', { dependsOn: ['notifier-c'] }),
          notifier('c', { dependsOn: ['notifier-a'] }),
        ],
      }),
    );
    expect(e.code).toBe('PLUGIN_DEPENDENCY_CYCLE');
    expect(e.details).toEqual({ cycle: ['notifier-a', 'notifier-b', 'notifier-c', 'notifier-a'] });
    expect(e.message).toContain('notifier-a → notifier-b → notifier-c → notifier-a');
  });

  it('stops on a missing dependency of a required plugin', () => {
    const e = caught(() =>
      createRegistry({
        logger: recordingLogger(),
        plugins: [notifier('a', { dependsOn: ['notifier-gone'] })],
      }),
    );
    expect(e.code).toBe('PLUGIN_DEPENDENCY_MISSING');
    expect(e.details).toEqual({ pluginId: 'notifier-a', missing: ['notifier-gone'] });
  });

  it('fails an optional plugin with a missing dependency and disables its dependants', () => {
    const registry = createRegistry({
      logger: recordingLogger(),
      plugins: [
        notifier('a', { optional: true, dependsOn: ['notifier-gone'] }),
        notifier('b', { optional: true, dependsOn: ['notifier-a'] }),
        notifier('c'),
      ],
    });
    const byId = Object.fromEntries(registry.list().map((p) => [p.id, p]));
    expect(byId['notifier-a'].status).toBe('failed');
    expect(byId['notifier-a'].error).toContain('notifier-gone');
    expect(byId['notifier-b'].status).toBe('disabled');
    expect(byId['notifier-c'].status).toBe('registered');
    expect(registry.ofKind('notifier').map((p) => p.id)).toEqual(['notifier-c']);
    expect(caught(() => registry.usable('notifier-b')).code).toBe('PLUGIN_DISABLED');
    expect(caught(() => registry.usable('notifier-zzz')).code).toBe('PLUGIN_NOT_FOUND');
  });

  it('rejects invalid headers, naming the plugin and the fields', () => {
    const bad = caught(() =>
      createRegistry({
        logger: recordingLogger(),
        plugins: [{ ...notifier('a'), id: 'notifier_A', version: 'one' }],
      }),
    );
    expect(bad.code).toBe('PLUGIN_HEADER_INVALID');
    const details = bad.details as { pluginId: string; fields: { path: string }[] };
    expect(details.pluginId).toBe('notifier_A');
    expect(details.fields.map((f) => f.path)).toEqual(expect.arrayContaining(['id', 'version']));

    const newer = caught(() =>
      createRegistry({ logger: recordingLogger(), plugins: [{ ...notifier('a'), apiVersion: 2 }] }),
    );
    expect(newer.code).toBe('PLUGIN_API_INCOMPATIBLE');
    expect((newer.details as { fields: { path: string; message: string }[] }).fields).toEqual([
      { path: 'apiVersion', message: expect.stringContaining('newer') },
    ]);

    const kindPrefix = caught(() =>
      createRegistry({ logger: recordingLogger(), plugins: [{ ...notifier('a'), id: 'meter-a' }] }),
    );
    expect(kindPrefix.code).toBe('PLUGIN_HEADER_INVALID');

    const twice = caught(() =>
      createRegistry({ logger: recordingLogger(), plugins: [notifier('a'), notifier('a')] }),
    );
    expect(twice.code).toBe('PLUGIN_HEADER_INVALID');
    expect(twice.message).toContain('twice');
  });

  it('keeps a broken optional plugin as failed', () => {
    const registry = createRegistry({
      logger: recordingLogger(),
      plugins: [{ ...notifier('a'), optional: true, channel: 42 }, notifier('b')],
    });
    const [a, b] = registry.list();
    expect(a).toMatchObject({ id: 'notifier-a', status: 'failed' });
    expect(a.error).toContain('channel');
    expect(b.status).toBe('registered');
    expect(registry.get('notifier-a')).toBeUndefined();
  });
});

describe('registry: hooks', () => {
  it('times out a slow start of an optional plugin, aborts its signal and carries on', async () => {
    let signal: AbortSignal | undefined;
    const registry = createRegistry({
      logger: recordingLogger(),
      hookTimeoutMs: 50,
      plugins: [
        notifier('slow', {
          optional: true,
          start: (ctx) => {
            signal = ctx.signal;
            return never();
          },
        }),
        notifier('after', { optional: true, dependsOn: ['notifier-slow'] }),
        notifier('fine'),
      ],
    });
    await registry.setup();
    await registry.start(withCore);
    const byId = Object.fromEntries(registry.list().map((p) => [p.id, p]));
    expect(byId['notifier-slow'].status).toBe('failed');
    expect(byId['notifier-slow'].error).toContain('within 50 ms');
    expect(byId['notifier-after'].status).toBe('disabled');
    expect(byId['notifier-fine'].status).toBe('running');
    expect(signal?.aborted).toBe(true);
  });

  it('rethrows a required plugin failure after stopping what already started', async () => {
    const stopped: string[] = [];
    const registry = createRegistry({
      logger: recordingLogger(),
      hookTimeoutMs: 50,
      plugins: [
        notifier('first', { stop: () => void stopped.push('first') }),
        notifier('slow', { start: never, stop: () => void stopped.push('slow') }),
      ],
    });
    await registry.setup();
    await expect(registry.start(withCore)).rejects.toMatchObject({
      code: 'PLUGIN_HOOK_TIMEOUT',
      details: { pluginId: 'notifier-slow', hook: 'start' },
    });
    expect(stopped).toEqual(['slow', 'first']);
  });

  it('rethrows a required plugin error as is', async () => {
    const registry = createRegistry({
      logger: recordingLogger(),
      plugins: [
        notifier('a', {
          start: () => {
            throw new AppError('SERVICE_UNAVAILABLE', 'port busy');
          },
        }),
      ],
    });
    await registry.setup();
    await expect(registry.start(withCore)).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'port busy',
    });
    expect(registry.list()[0]).toMatchObject({ status: 'failed', error: 'port busy' });
  });

  it('refuses start before setup', async () => {
    const registry = createRegistry({ logger: recordingLogger(), plugins: [notifier('a')] });
    await expect(registry.start(withCore)).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('stops in reverse order, collects errors, and aborts a stop at its deadline', async () => {
    const order: string[] = [];
    let stopSignal: AbortSignal | undefined;
    let runSignal: AbortSignal | undefined;
    const registry = createRegistry({
      logger: recordingLogger(),
      hookTimeoutMs: 50,
      plugins: [
        notifier('a', { stop: () => void order.push('a') }),
        notifier('b', {
          start: (ctx) => {
            runSignal = ctx.signal;
          },
          stop: (ctx) => {
            order.push('b');
            stopSignal = ctx.signal;
            return never();
          },
        }),
        notifier('c', {
          stop: () => {
            order.push('c');
            throw new Error('close failed');
          },
        }),
      ],
    });
    await registry.setup();
    await registry.start(withCore);
    const report = await registry.stop();
    expect(order).toEqual(['c', 'b', 'a']);
    expect(report.errors.map((e) => e.id)).toEqual(['notifier-c', 'notifier-b']);
    expect(report.errors[0].error.message).toBe('close failed');
    expect((report.errors[1].error as AppError).code).toBe('PLUGIN_HOOK_TIMEOUT');
    expect(runSignal?.aborted).toBe(true);
    expect(stopSignal?.aborted).toBe(true);
    expect(registry.list().map((p) => p.status)).toEqual(['stopped', 'stopped', 'stopped']);
    expect((await registry.stop()).errors).toEqual([]);
  });

  it('health: answers, times out instead of hanging, and reports errors and status', async () => {
    let healthy = true;
    const registry = createRegistry({
      logger: recordingLogger(),
      hookTimeoutMs: 50,
      plugins: [
        notifier('ok', { health: () => ({ ok: healthy, detail: healthy ? undefined : 'no credit' }) }),
        notifier('hang', { health: () => new Promise(() => {}) }),
        notifier('boom', {
          health: () => {
            throw new Error('socket closed');
          },
        }),
        notifier('none'),
      ],
    });
    expect(await registry.health('notifier-ok')).toEqual({ ok: false, detail: 'registered' });
    await registry.setup();
    await registry.start(withCore);
    expect(await registry.health('notifier-ok')).toEqual({ ok: true });
    healthy = false;
    expect(await registry.health('notifier-ok')).toEqual({ ok: false, detail: 'no credit' });
    expect(await registry.health('notifier-hang')).toEqual({ ok: false, detail: 'timeout' });
    expect(await registry.health('notifier-boom')).toEqual({ ok: false, detail: 'socket closed' });
    expect(await registry.health('notifier-none')).toEqual({ ok: true });
    await expect(registry.health('notifier-zzz')).rejects.toMatchObject({ code: 'PLUGIN_NOT_FOUND' });
    await registry.stop();
  });
});
