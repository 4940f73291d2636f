import type { AnyPlugin, HttpMethod, LocalizedText, PluginContext } from '@quadmeter/sdk';

export type PluginStatus = 'registered' | 'running' | 'failed' | 'disabled' | 'stopped';

export interface Declared {
  routes: {
    scope: 'api' | 'hooks';
    method: HttpMethod;
    path: string;
    /** api routes: the permission a caller must hold */
    permission?: string;
    /** hooks: a body limit above the platform default, in KiB */
    bodyLimitKb?: number;
  }[];
  queues: string[];
  schedules: { name: string; cron: string }[];
}

/** One installed plugin as the registry tracks it. */
export interface Entry {
  id: string;
  /** the definition; for an optional plugin whose definition is broken, whatever was installed */
  plugin: AnyPlugin;
  valid: boolean;
  status: PluginStatus;
  error?: string;
  /** the stable code of the failure (PLUGIN_API_INCOMPATIBLE, PLUGIN_SETUP_FAILED, …) */
  errorCode?: string;
  /** where an external plugin was loaded from; absent for the built-in ones */
  source?: string;
  config: unknown;
  declared: Declared;
  setUp: boolean;
  /** aborts the running plugin's `ctx.signal` */
  controller?: AbortController;
  ctx?: PluginContext<unknown>;
}

/** What `list()` shows about a plugin (safe for the admin: no config, no functions). */
export interface PluginInfo {
  id: string;
  kind: string;
  version: string;
  apiVersion: number;
  title: LocalizedText;
  dependsOn: string[];
  optional: boolean;
  status: PluginStatus;
  error?: string;
  /** the stable code of the failure, when failed or disabled */
  errorCode?: string;
  /** where an external plugin was loaded from (config file or QUADMETER_PLUGINS); absent when built in */
  source?: string;
  declared: Declared;
}

export interface StopReport {
  errors: { id: string; error: Error }[];
}

export function emptyDeclared(): Declared {
  return { routes: [], queues: [], schedules: [] };
}
