import { z } from 'zod';
import { SDK_API_VERSION, SDK_MIN_API_VERSION } from './api-version.ts';
import type { HealthResult, PluginContext, SetupContext } from './context.ts';
import { type LocalizedText, localizedTextSchema } from './localized.ts';

export const pluginKinds = ['meter-type', 'transport', 'payment', 'notifier'] as const;
export type PluginKind = (typeof pluginKinds)[number];

/** The id prefix each kind must use: `meter-water`, `transport-dlt645`, … */
export const kindPrefix: Readonly<Record<PluginKind, string>> = {
  'meter-type': 'meter',
  transport: 'transport',
  payment: 'payment',
  notifier: 'notifier',
};

type Awaitable<T> = T | Promise<T>;

/** Fields and hooks every plugin has, whatever its kind. */
export interface PluginHeader<C = unknown, S = unknown> {
  id: string;
  /** semver of the plugin package */
  version: string;
  /** the SDK API major the plugin targets (`SDK_API_VERSION` when written) */
  apiVersion: number;
  title: LocalizedText;
  /** ids of plugins that must be set up and started before this one */
  dependsOn?: readonly string[];
  /** a broken optional plugin is disabled instead of stopping the platform */
  optional?: boolean;
  /** instance-wide configuration; mark secrets with `secret()` */
  config?: z.ZodType<C>;
  /** per-tenant settings; every field should have a default so `{}` parses */
  tenantSettings?: z.ZodType<S>;
  /** declare routes, queues and schedules; no I/O */
  setup?(ctx: SetupContext<C>): Awaitable<void>;
  /** open ports, subscribe */
  start?(ctx: PluginContext<C>): Awaitable<void>;
  /** release everything; idempotent; give up when `ctx.signal` aborts */
  stop?(ctx: PluginContext<C>): Awaitable<void>;
  health?(ctx: PluginContext<C>): Awaitable<HealthResult>;
}

export const PLUGIN_ID_PATTERN = /^(meter|transport|payment|notifier)-[a-z0-9]+(?:-[a-z0-9]+)*$/;

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export const fnSchema = z.custom<(...args: never[]) => unknown>(
  (v) => typeof v === 'function',
  'must be a function',
);

export const zodSchemaSchema = z.custom<z.ZodType>(
  (v) => typeof v === 'object' && v !== null && '_zod' in v,
  'must be a zod schema',
);

/** Structural check of the common header; kind-specific fields are checked by each kind. */
export const pluginHeaderSchema = z
  .looseObject({
    kind: z.enum(pluginKinds),
    id: z.string().regex(PLUGIN_ID_PATTERN, 'must be `<kind>-<name>` in kebab case'),
    version: z.string().regex(SEMVER, 'must be a semantic version such as 1.2.3'),
    apiVersion: z
      .number()
      .int()
      .min(SDK_MIN_API_VERSION, `API ${SDK_MIN_API_VERSION} is the oldest this SDK runs`)
      .max(SDK_API_VERSION, `targets a newer plugin API than this SDK (${SDK_API_VERSION})`),
    title: localizedTextSchema,
    dependsOn: z.array(z.string().regex(PLUGIN_ID_PATTERN, 'must be a plugin id')).optional(),
    optional: z.boolean().optional(),
    config: zodSchemaSchema.optional(),
    tenantSettings: zodSchemaSchema.optional(),
    setup: fnSchema.optional(),
    start: fnSchema.optional(),
    stop: fnSchema.optional(),
    health: fnSchema.optional(),
  })
  .superRefine((p, ctx) => {
    const prefix = kindPrefix[p.kind];
    if (typeof p.id === 'string' && prefix && !p.id.startsWith(`${prefix}-`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['id'],
        message: `a ${p.kind} plugin id must start with '${prefix}-'`,
      });
    }
    const deps = Array.isArray(p.dependsOn) ? p.dependsOn : [];
    if (deps.includes(p.id))
      ctx.addIssue({ code: 'custom', path: ['dependsOn'], message: 'must not name itself' });
    if (new Set(deps).size !== deps.length) {
      ctx.addIssue({ code: 'custom', path: ['dependsOn'], message: 'must not repeat an id' });
    }
  });
