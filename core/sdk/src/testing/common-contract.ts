import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AnyPlugin } from '../kinds/any-plugin.ts';
import { validatePlugin } from '../kinds/any-plugin.ts';
import type { PluginContext } from '../plugin/context.ts';
import { redact, secretPaths } from '../plugin/secret.ts';
import { checkOrSkip, within } from './skip.ts';
import { makeSetupContext, makeTestContext } from './test-context.ts';

export interface CommonContractOptions {
  /** raw instance config to parse with the plugin's schema (default `{}`) */
  config?: unknown;
  /** check name → the written reason it cannot run here */
  skip?: { lifecycle?: string };
}

const HOOK_MS = 5_000;

function parsedConfig(plugin: AnyPlugin, raw: unknown): unknown {
  return plugin.config ? plugin.config.parse(raw ?? {}) : (raw ?? {});
}

function valueAt(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );
}

/** Checks every plugin kind shares: the definition, its schemas, and the lifecycle. */
export function describeCommonContract(plugin: AnyPlugin, options: CommonContractOptions = {}): void {
  describe('header', () => {
    it('the definition passes the registry checks', () => {
      expect(validatePlugin(plugin)).toEqual([]);
    });

    if (plugin.config) {
      it('the instance config parses and its secrets are redacted', () => {
        const config = parsedConfig(plugin, options.config);
        const redacted = redact(plugin.config, config);
        for (const path of secretPaths(plugin.config).filter((p) => !/[[*]/.test(p))) {
          const v = valueAt(config, path);
          if (v !== undefined) expect(valueAt(redacted, path)).toBe('[redacted]');
        }
      });
    }

    if (plugin.tenantSettings) {
      const schema = plugin.tenantSettings;
      it('tenant settings default from {} and render as a JSON Schema object', () => {
        expect(() => schema.parse({})).not.toThrow();
        const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { type?: string };
        expect(json.type).toBe('object');
      });
    }
  });

  describe('lifecycle', () => {
    const reason = options.skip?.lifecycle;
    const fresh = (): { ctx: PluginContext<unknown>; abort(): void } =>
      makeTestContext({ pluginId: plugin.id, config: parsedConfig(plugin, options.config) });

    checkOrSkip('setup only declares (paths start with /, names are kebab case)', reason, async () => {
      const { ctx, declared } = makeSetupContext(plugin.id, parsedConfig(plugin, options.config));
      await within(HOOK_MS, 'setup', plugin.setup?.(ctx));
      for (const r of declared.routes) expect(r.path.startsWith('/')).toBe(true);
      for (const q of declared.queues) expect(q).toMatch(/^[a-z][a-z0-9-]*$/);
      for (const s of declared.schedules) expect(s.cron.trim().split(/\s+/)).toHaveLength(5);
    });

    checkOrSkip('start, stop and a second stop all resolve', reason, async () => {
      const t = fresh();
      await within(HOOK_MS, 'start', plugin.start?.(t.ctx));
      t.abort();
      await within(HOOK_MS, 'stop', plugin.stop?.(t.ctx));
      await within(HOOK_MS, 'second stop', plugin.stop?.(t.ctx));
    });

    checkOrSkip('stop without start resolves when its signal is already aborted', reason, async () => {
      const t = fresh();
      t.abort();
      await within(HOOK_MS, 'stop', plugin.stop?.(t.ctx));
    });

    checkOrSkip('health answers { ok: boolean, detail?: string }', reason, async () => {
      const t = fresh();
      await within(HOOK_MS, 'start', plugin.start?.(t.ctx));
      try {
        const h = await within(HOOK_MS, 'health', plugin.health?.(t.ctx) ?? { ok: true });
        expect(typeof h.ok).toBe('boolean');
        if (h.detail !== undefined) expect(typeof h.detail).toBe('string');
      } finally {
        t.abort();
        await within(HOOK_MS, 'stop', plugin.stop?.(t.ctx));
      }
    });
  });
}
