import {
  type AnyPlugin,
  AppError,
  fieldIssues,
  type HealthResult,
  type Logger,
  type PluginContext,
  type PluginKind,
  type PluginOfKind,
  redact,
} from '@quadmeter/sdk';
import { z } from 'zod';
import { dependantsOf, fail } from './failures.ts';
import {
  type MakeContext,
  type MakeSetupApi,
  type Runtime,
  setupAll,
  startAll,
  stopAll,
} from './lifecycle.ts';
import { checkDefinitions, definitionError, dependencyOrder } from './plan.ts';
import { messageOf, runHook } from './run-hook.ts';
import { type Entry, emptyDeclared, type PluginInfo, type PluginStatus, type StopReport } from './types.ts';

export interface RegistryOptions {
  /** the installed plugin definitions, in the order they were listed */
  plugins: readonly unknown[];
  logger: Logger;
  /** raw instance config of a plugin (from the config file or env); `{}` when absent */
  configFor?: (id: string) => unknown;
  hookTimeoutMs?: number;
  /** the core permission catalogue: api routes may only require permissions from it */
  permissions?: ReadonlySet<string>;
  /**
   * plugins loaded from outside the build (quadmeter.config.json, QUADMETER_PLUGINS), after the
   * installed ones; always optional: a broken one is failed with its reason, never a stop
   */
  external?: readonly ExternalPlugin[];
}

/** An external plugin as the loader found it: a definition, or why there is none. */
export interface ExternalPlugin {
  /** the package name or path it was listed as */
  source: string;
  /** the plugin's id, or the source's name when it could not be loaded */
  id: string;
  plugin?: unknown;
  error?: AppError;
}

export type Registry = ReturnType<typeof createRegistry>;

function entryOf(id: string, plugin: AnyPlugin, valid: boolean): Entry {
  return {
    id,
    plugin,
    valid,
    status: 'registered',
    config: undefined,
    declared: emptyDeclared(),
    setUp: false,
  };
}

function missingDeps(e: Entry, known: ReadonlySet<string>): string[] {
  return (e.plugin.dependsOn ?? []).filter((d: string) => !known.has(d));
}

/** An external plugin whose id is already taken (built in, or listed twice) is not loaded. */
function clashing(x: ExternalPlugin, taken: Set<unknown>): ExternalPlugin {
  if (x.error) {
    const id = taken.has(x.id) ? `${x.id}@${x.source}` : x.id;
    taken.add(id);
    return { ...x, id };
  }
  if (!taken.has(x.id)) {
    taken.add(x.id);
    return x;
  }
  const id = `${x.id}@${x.source}`;
  taken.add(id);
  const error = new AppError(
    'PLUGIN_LOAD_FAILED',
    `External plugin '${x.id}' (${x.source}) has the id of a plugin already installed`,
    { pluginId: x.id, source: x.source },
  );
  return { source: x.source, id, error };
}

/** Validates, orders and configures the installed plugins; see ARCHITECTURE.md §3. */
export function createRegistry(options: RegistryOptions) {
  const logger = options.logger;
  const builtIn = new Set(options.plugins.map((p) => (p as { id?: unknown } | null)?.id));
  const external = (options.external ?? []).map((x) => clashing(x, builtIn));
  const loaded = external.filter((x) => !x.error);
  const checked = checkDefinitions([
    ...options.plugins,
    ...loaded.map((x) => ({ ...(x.plugin as object), optional: true })),
  ]);
  const entries = new Map(checked.map((c) => [c.id, entryOf(c.id, c.plugin, c.issues.length === 0)]));
  for (const x of external) {
    const e = entries.get(x.id) ?? entryOf(x.id, { id: x.id, optional: true } as unknown as AnyPlugin, false);
    e.source = x.source;
    entries.set(x.id, e);
  }
  const depsOf = new Map(
    checked.map((c) => [c.id, Array.isArray(c.plugin.dependsOn) ? [...c.plugin.dependsOn] : []]),
  );
  const order = dependencyOrder([...entries.keys()], depsOf).map((id) => entries.get(id) as Entry);
  const rt: Runtime = {
    order,
    logger,
    hookTimeoutMs: options.hookTimeoutMs ?? 10_000,
    permissions: options.permissions,
  };
  const known = new Set(entries.keys());

  for (const x of external) if (x.error) fail(entries.get(x.id) as Entry, x.error, order, logger);
  for (const c of checked)
    if (c.issues.length > 0) fail(entries.get(c.id) as Entry, definitionError(c.id, c.issues), order, logger);
  for (const e of order) {
    if (e.status !== 'registered') continue;
    const missing = missingDeps(e, known);
    if (missing.length > 0) {
      const err = new AppError(
        'PLUGIN_DEPENDENCY_MISSING',
        `Plugin '${e.id}' depends on ${missing.map((m) => `'${m}'`).join(', ')}, not installed`,
        {
          pluginId: e.id,
          missing,
        },
      );
      fail(e, err, order, logger);
      continue;
    }
    const parsed = e.plugin.config?.safeParse(options.configFor?.(e.id) ?? {});
    if (parsed && !parsed.success) {
      const fields = fieldIssues(parsed.error);
      const list = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
      const err = new AppError(
        'CONFIG_INVALID',
        `The configuration of plugin '${e.id}' is invalid: ${list}`,
        {
          pluginId: e.id,
          fields,
        },
      );
      fail(e, err, order, logger);
      continue;
    }
    e.config = parsed ? parsed.data : (options.configFor?.(e.id) ?? {});
  }

  const find = (id: string): Entry => {
    const e = entries.get(id);
    if (!e) throw new AppError('PLUGIN_NOT_FOUND', `No plugin '${id}' is installed`, { pluginId: id });
    return e;
  };
  const usableStatus = (e: Entry) => e.valid && e.status !== 'failed' && e.status !== 'disabled';

  const info = (e: Entry): PluginInfo => {
    const p = e.plugin as Partial<AnyPlugin>;
    return {
      id: e.id,
      kind: String(p.kind ?? ''),
      version: String(p.version ?? ''),
      apiVersion: typeof p.apiVersion === 'number' ? p.apiVersion : 0,
      title: p.title && typeof p.title === 'object' ? p.title : { 'zh-CN': e.id, en: e.id },
      dependsOn: [...(depsOf.get(e.id) ?? [])],
      optional: p.optional === true,
      status: e.status,
      ...(e.error === undefined ? {} : { error: e.error }),
      ...(e.errorCode === undefined ? {} : { errorCode: e.errorCode }),
      ...(e.source === undefined ? {} : { source: e.source }),
      declared: structuredClone(e.declared),
    };
  };

  return {
    /** runs every plugin's `setup` in dependency order; `makeSetupApi` mounts what they declared */
    setup: (makeSetupApi?: MakeSetupApi): Promise<void> => setupAll(rt, makeSetupApi),
    /** runs `start` in dependency order; the caller adds `core` to the context the registry prepares */
    start: (makeContext: MakeContext): Promise<void> => startAll(rt, makeContext),
    /** stops running plugins in reverse order; never throws, reports the errors */
    stop: (): Promise<StopReport> => stopAll(rt),
    /** stops one running plugin, after the running plugins that depend on it */
    stopPlugin: (id: string): Promise<StopReport> =>
      stopAll(rt, new Set([find(id).id, ...dependantsOf(id, order).map((d) => d.id)])),
    list: (): PluginInfo[] => order.map(info),
    /** the plugin's status; undefined when not installed */
    status: (id: string): PluginStatus | undefined => entries.get(id)?.status,
    /** the context of a running plugin (handed to its route, hook and queue handlers) */
    context(id: string): PluginContext<unknown> | undefined {
      const e = entries.get(id);
      return e?.status === 'running' ? e.ctx : undefined;
    },
    async health(id: string): Promise<HealthResult> {
      const e = find(id);
      if (e.status !== 'running' || !e.ctx)
        return { ok: false, detail: e.error ? `${e.status}: ${e.error}` : e.status };
      const hook = e.plugin.health;
      if (!hook) return { ok: true };
      const ctx = e.ctx;
      try {
        const h = await runHook(id, 'health', rt.hookTimeoutMs, () => hook.call(e.plugin, ctx));
        if (typeof h?.ok !== 'boolean') return { ok: false, detail: 'the health answer has no boolean ok' };
        return h.detail === undefined ? { ok: h.ok } : { ok: h.ok, detail: String(h.detail) };
      } catch (err) {
        if (err instanceof AppError && err.code === 'PLUGIN_HOOK_TIMEOUT')
          return { ok: false, detail: 'timeout' };
        return { ok: false, detail: messageOf(err) };
      }
    },
    /** the definition, whatever its status; undefined when not installed */
    get: (id: string): AnyPlugin | undefined =>
      entries.get(id)?.valid ? entries.get(id)?.plugin : undefined,
    /** the definition of a plugin that may be used; PLUGIN_NOT_FOUND or PLUGIN_DISABLED otherwise */
    usable(id: string): AnyPlugin {
      const e = find(id);
      if (!usableStatus(e))
        throw new AppError('PLUGIN_DISABLED', `Plugin '${id}' is ${e.status}`, {
          pluginId: id,
          status: e.status,
        });
      return e.plugin;
    },
    /** the usable plugins of one kind, in dependency order */
    ofKind: <K extends PluginKind>(kind: K): PluginOfKind<K>[] =>
      order.filter((e) => usableStatus(e) && e.plugin.kind === kind).map((e) => e.plugin as PluginOfKind<K>),
    tenantSettingsJsonSchema(id: string): Record<string, unknown> {
      const schema = find(id).plugin.tenantSettings;
      if (!schema) return { type: 'object', properties: {} };
      return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    },
    /** the parsed settings (defaults filled in), or PLUGIN_SETTINGS_INVALID listing each field */
    validateTenantSettings(id: string, value: unknown): unknown {
      const schema = find(id).plugin.tenantSettings ?? z.object({});
      const parsed = schema.safeParse(value ?? {});
      if (parsed.success) return parsed.data;
      throw new AppError(
        'PLUGIN_SETTINGS_INVALID',
        `The settings for plugin '${id}' are invalid`,
        fieldIssues(parsed.error),
      );
    },
    /** the parsed instance config with every secret replaced by '[redacted]' */
    redactedConfig: (id: string): unknown => {
      const e = find(id);
      return redact(e.valid ? e.plugin.config : undefined, e.config);
    },
  };
}
