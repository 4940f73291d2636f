import type { TransportFailure } from '@quadmeter/sdk';

/** How long one command API call may take before it counts as a timeout (retryable). */
export const API_TIMEOUT_MS = 10_000;

export type ApiAnswer =
  | { ok: true; status: number; json: Record<string, unknown> }
  | { ok: false; error: TransportFailure };

export function failure(
  code: string,
  message: string,
  retryable: boolean,
): { ok: false; error: TransportFailure } {
  return { ok: false, error: { code, message: message.slice(0, 300), retryable } };
}

/**
 * One JSON call of a platform's open API. 5xx, 429, timeouts and network errors are retryable
 * (`NBIOT_PLATFORM_UNAVAILABLE`); 401/403 are `NBIOT_PLATFORM_AUTH_FAILED` and other 4xx
 * `NBIOT_PLATFORM_REFUSED` (not retryable); a 2xx whose body is no JSON object is
 * `NBIOT_PLATFORM_ANSWER_INVALID`.
 */
export async function callApi(
  url: string,
  init: { method: 'POST' | 'GET'; headers: Record<string, string>; body?: string },
  signal?: AbortSignal,
): Promise<ApiAnswer> {
  const timeout = AbortSignal.timeout(API_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'error',
    });
  } catch (e) {
    const why = timeout.aborted ? 'timed out' : e instanceof Error ? e.message : String(e);
    return failure('NBIOT_PLATFORM_UNAVAILABLE', `platform API not reached: ${why}`, true);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 500 || res.status === 429)
    return failure('NBIOT_PLATFORM_UNAVAILABLE', `platform API answered ${res.status}`, true);
  if (res.status === 401 || res.status === 403)
    return failure(
      'NBIOT_PLATFORM_AUTH_FAILED',
      `platform API refused the credentials (${res.status})`,
      false,
    );
  if (res.status >= 400)
    return failure(
      'NBIOT_PLATFORM_REFUSED',
      `platform API answered ${res.status}: ${text.slice(0, 200)}`,
      false,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return failure(
      'NBIOT_PLATFORM_ANSWER_INVALID',
      `platform API answered ${res.status} without a JSON object`,
      false,
    );
  return { ok: true, status: res.status, json: json as Record<string, unknown> };
}
