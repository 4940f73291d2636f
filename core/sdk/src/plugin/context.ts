import type { GatewayAddress, IngestOutcome, RawReading } from '../kinds/reading.ts';
import type { ControlUpdate } from '../kinds/transport.ts';
import type { HookOptions, HttpMethod, RouteHandler, RouteOptions } from './http.ts';
import type { Logger } from './logger.ts';

export interface IngestResult {
  /** one outcome per reading, in the order given */
  outcomes: IngestOutcome[];
  stored: number;
  duplicate: number;
  rejected: number;
  unmatched: number;
}

/** Which tenant's concentrator a gateway event concerned; `matched: false` when none (or several). */
export type GatewayOutcome = { matched: true; tenantId: string; gatewayId: string } | { matched: false };

/** What the core offers a running plugin. The server implements it, one instance per plugin. */
export interface CoreApi {
  /**
   * Hand readings to the core: it resolves each route to (tenant, meter) through the device
   * registry (among the tenants that enabled this plugin), validates with the meter-type plugin,
   * stores idempotently and keeps consumption rollups. One outcome per reading; a bad reading never
   * fails its neighbours.
   */
  ingestReadings(readings: readonly RawReading[]): Promise<IngestResult>;
  /** a concentrator logged in (online) or out / dropped its link (offline) */
  gatewayOnline(gateway: GatewayAddress, online: boolean, at?: string): Promise<GatewayOutcome>;
  /** a concentrator's heartbeat: marks it online with its last heartbeat time */
  gatewayHeartbeat(gateway: GatewayAddress, at?: string): Promise<GatewayOutcome>;
  /** the tenants that enabled this plugin */
  enabledTenants(): Promise<string[]>;
  /** this plugin's parsed settings for a tenant (the schema's defaults when never saved) */
  tenantSettings(tenantId: string): Promise<unknown>;
  /**
   * Report the later outcome of a command `control()` answered `queued` (a platform's result
   * callback, a LoRa ack). `matched: false` when no command of this plugin's tenants has that id
   * or platform reference (a replayed or forged callback changes nothing). A command already
   * finished is left as it is (`changed: false`).
   */
  controlUpdate(tenantId: string, update: ControlUpdate): Promise<{ matched: boolean; changed: boolean }>;
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

/** Runs one job of a plugin queue; `ctx` is the running plugin's context (core API included). */
export type QueueHandler<C = unknown> = (job: QueueJob, ctx: PluginContext<C>) => Promise<void>;

/** Declarations a plugin may make during `setup`; the registry records each one. */
export interface PluginSetupApi<C = unknown> {
  /**
   * An authenticated route under `/api/v1/plugins/<id>`. It answers only while the plugin runs
   * and is enabled for the caller's tenant, to callers holding `options.permission` (a key of the
   * core permission catalogue; default `plugins.read` for GET, `plugins.manage` otherwise).
   */
  route(method: HttpMethod, path: string, handler: RouteHandler<C>, options?: RouteOptions): void;
  /**
   * A public callback under `/hooks/<id>` (the handler must authenticate the caller itself). The
   * body is handed on as raw bytes, up to the platform's body limit or `options.bodyLimitKb`.
   */
  hook(method: HttpMethod, path: string, handler: RouteHandler<C>, options?: HookOptions): void;
  /** a job queue owned by the plugin; the name is prefixed with the plugin id by the server */
  queue(name: string, handler: QueueHandler<C>): void;
  /**
   * A recurring job on one of the plugin's queues, cron in five fields, evaluated in the
   * platform's time zone (`QUADMETER_TIMEZONE`, Asia/Shanghai by default), never implicitly UTC.
   */
  schedule(name: string, cron: string, data?: Record<string, unknown>): void;
}

export interface SetupContext<C = unknown> extends PluginSetupApi<C> {
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
