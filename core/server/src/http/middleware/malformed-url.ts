import { AppError } from '@quadmeter/sdk';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

/**
 * Refuses a path that is not validly percent-encoded (`/%`, `/a%zz`) before any route or the admin
 * fallback tries to decode it; otherwise `decodeURIComponent` throws deep inside a handler.
 */
export function rejectMalformedUrl(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    const start = url.indexOf('/', url.indexOf('//') + 2);
    const end = url.search(/[?#]/);
    const rawPath = start < 0 ? '/' : url.slice(start, end < 0 ? undefined : end);
    try {
      decodeURIComponent(rawPath);
    } catch {
      throw new AppError('REQ_MALFORMED_URL');
    }
    await next();
  };
}
