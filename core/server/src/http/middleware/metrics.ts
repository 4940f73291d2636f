import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { httpDuration, httpRequests } from '../../metrics/registry.ts';
import type { AppEnv } from '../env.ts';

/**
 * The route pattern that answered (`/api/v1/meters/:id`), never the raw path, so the label's
 * values stay few; middleware (method ALL) is skipped. Nothing matched: the admin's static files
 * for a page request, `unmatched` for an API or hook path.
 */
function routeOf(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const handlers = matchedRoutes(c).filter((r) => r.method !== 'ALL');
  const last = handlers[handlers.length - 1];
  if (last) return last.path;
  const path = c.req.path;
  return path.startsWith('/api/') || path.startsWith('/hooks/') ? 'unmatched' : 'static';
}

/** Counts every answered request by method, route pattern and status, and times it. */
export function requestMetrics(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = routeOf(c);
      httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
      httpDuration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
    }
  };
}
