/**
 * Framework-neutral HTTP shapes handed to plugins, so a plugin never depends on the server's web
 * framework. Header names are lower case; the body is the raw bytes as received (signatures are
 * computed over the exact bytes).
 */
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

export type RouteHandler = (req: PluginRequest) => PluginResponse | Promise<PluginResponse>;

/** Router handed to push transports; paths are mounted under `/hooks/<plugin id>`. */
export interface HookRouter {
  route(method: HttpMethod, path: string, handler: RouteHandler): void;
}
