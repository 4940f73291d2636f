/**
 * Framework-neutral HTTP shapes handed to plugins, so a plugin never depends on the server's web
 * framework. Header names are lower case; the body is the raw bytes as received (signatures are
 * computed over the exact bytes).
 */
import type { PluginContext } from './context.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PluginRequest {
  method: HttpMethod;
  /** path below the plugin's mount point, starting with '/' */
  path: string;
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
  /** set on authenticated `/api/v1/plugins/<id>/…` routes, absent on public hooks */
  tenantId?: string;
}

export interface PluginResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** Handles one request; `ctx` is the running plugin's context (core API included). */
export type RouteHandler<C = unknown> = (
  req: PluginRequest,
  ctx: PluginContext<C>,
) => PluginResponse | Promise<PluginResponse>;

/** Options of an authenticated plugin route. */
export interface RouteOptions {
  /**
   * The core permission a caller must hold (checked against the core catalogue at setup). When
   * absent: `plugins.read` for GET, `plugins.manage` for every other method.
   */
  permission?: string;
}

/** Options of a public hook. */
export interface HookOptions {
  /** the body limit for this hook in KiB, where a provider sends more than the platform default */
  bodyLimitKb?: number;
}

/** Router handed to push transports; paths are mounted under `/hooks/<plugin id>`. */
export interface HookRouter<C = unknown> {
  route(method: HttpMethod, path: string, handler: RouteHandler<C>, options?: HookOptions): void;
}
