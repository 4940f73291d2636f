import { ApiError, toApiError } from './api-error.ts';

export { ApiError } from './api-error.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | boolean | null | undefined>;

interface HttpHooks {
  /** The CSRF token of the current session, sent on every mutating request. */
  csrfToken: () => string | null;
  /** Called when an authenticated call comes back 401 (session expired or revoked). */
  onUnauthorized: () => void;
}

const hooks: HttpHooks = { csrfToken: () => null, onUnauthorized: () => {} };

/** Wires the client to the session store and router (done once in main.ts). */
export function configureHttp(h: Partial<HttpHooks>): void {
  Object.assign(hooks, h);
}

export const API_BASE = '/api/v1';

/** Calls that answer 401 as part of their normal flow and must not bounce to the login page. */
const AUTH_PATHS = new Set(['/auth/login', '/auth/me']);

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return API_BASE + path + (qs ? `?${qs}` : '');
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A request body sent as it is (a file) rather than as JSON. */
export interface RawBody {
  raw: Blob;
  type: string;
}

function isRaw(body: unknown): body is RawBody {
  return typeof body === 'object' && body !== null && (body as RawBody).raw instanceof Blob;
}

export async function request<T>(method: Method, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = isRaw(body) ? body.type : 'application/json';
  if (method !== 'GET') {
    const token = hooks.csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : isRaw(body) ? body.raw : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK_ERROR', e instanceof Error ? e.message : String(e));
  }
  const data = await readBody(res);
  if (!res.ok) {
    const err = toApiError(res.status, data);
    if (res.status === 401 && !AUTH_PATHS.has(path)) hooks.onUnauthorized();
    throw err;
  }
  return data as T;
}

/** A POST that answers a file (PDF, xlsx, HTML): the bytes as a Blob, or the usual ApiError. */
export async function postForBlob(path: string, body: unknown): Promise<Blob> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const token = hooks.csrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  let res: Response;
  try {
    res = await fetch(buildUrl(path), {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK_ERROR', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    if (res.status === 401) hooks.onUnauthorized();
    throw toApiError(res.status, await readBody(res));
  }
  return await res.blob();
}

export const http = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  del: <T = void>(path: string) => request<T>('DELETE', path),
  /** Sends a file as the raw request body (`type` is its media type). */
  upload: <T>(path: string, body: RawBody, query?: Query) => request<T>('POST', path, body, query),
};

/** The URL of a list's streamed xlsx export for `filter`, headers in `lang` (for a plain download). */
export function xlsxExportUrl(path: string, filter: Query, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  return buildUrl(path, { ...filter, lang });
}

/** The list envelope of paginated endpoints. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
