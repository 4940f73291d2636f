import { Hono } from 'hono';
import type { Platform } from '../platform.ts';
import type { AppEnv } from './env.ts';
import { healthRoutes } from './routes/health.ts';

/**
 * The HTTP face of a worker or gateway node (docs/scaling.md): /healthz (with the role) and
 * /readyz only, so a process manager or load balancer can probe it; everything else is 404.
 */
export function healthApp(p: Platform) {
  const app = new Hono<AppEnv>();
  app.route('/', healthRoutes(p));
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'not an api node' } }, 404));
  return app;
}
