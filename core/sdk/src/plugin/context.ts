import type { RawReading } from '../kinds/reading.ts';
import type { HttpMethod, RouteHandler } from './http.ts';
import type { Logger } from './logger.ts';

export interface IngestResult {
  accepted: number;
  rejected: number;
}

/** What the core offers a running plugin. The server implements it, one instance per plugin. */
export interface CoreApi {
  /** hand readings to the core; it resolves meters, validates with the meter-type plugin, stores */
  ingestReadings(tenantId: string, readings: readonly RawReading[]): Promise<IngestResult>;
  /** this plugin's parsed settings for a tenant (the schema's defaults when never saved) */
  tenantSettings(tenantId: string): Promise<unknown>;
}

export interface HealthResult {
  ok: boolean;
  detail?: string;
}

export interface QueueJob {
  id: string;
  name: string;
  tenantId?: string;
  data: unknown;
}

export type QueueHandler = (job: QueueJob) => Promise<void>;

/** Declarations a plugin may make during `setup`; the registry records each one. */
export interface PluginSetupApi {
  /** an authenticated route under `/api/v1/plugins/<id>` */
  route(method: HttpMethod, path: string, handler: RouteHandler): void;
  /** a public callback under `/hooks/<id>` (the handler must authenticate the caller itself) */
  hook(method: HttpMethod, path: string, handler: RouteHandler): void;
  /** a job queue owned by the plugin; the name is prefixed with the plugin id by the server */
  queue(name: string, handler: QueueHandler): void;
  /** a recurring job on one of the plugin's queues, cron in five fields */
  schedule(name: string, cron: string, data?: Record<string, unknown>): void;
}

export interface SetupContext<C = unknown> extends PluginSetupApi {
  pluginId: string;
  logger: Logger;
  config: C;
}

export interface PluginContext<C = unknown> {
  pluginId: string;
  logger: Logger;
  config: C;
  /** aborts when the plugin must stop (or, inside `stop`, when its deadline passes) */
  signal: AbortSignal;
  core: CoreApi;
}
