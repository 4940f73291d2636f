import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../env.ts';

/**
 * One policy for every response. The admin (Vite build) and Swagger UI load only their own
 * scripts; Element Plus and Swagger UI set inline styles, and both use data: images and fonts.
 */
export const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers (CSP, nosniff, no framing, referrer policy), HSTS only when the client came
 * over https, and `Cache-Control: no-store` on API responses that did not choose their own caching
 * (they carry sessions, tokens and tenant data).
 */
export function securityHeaders(): MiddlewareHandler<AppEnv>[] {
  const base = secureHeaders({
    contentSecurityPolicy,
    xFrameOptions: 'DENY',
    referrerPolicy: 'strict-origin-when-cross-origin',
    strictTransportSecurity: false,
  });
  const extra: MiddlewareHandler<AppEnv> = async (c, next) => {
    await next();
    if (c.get('scheme') === 'https') c.res.headers.set('Strict-Transport-Security', HSTS);
    if (c.req.path.startsWith('/api/') && !c.res.headers.has('cache-control'))
      c.res.headers.set('Cache-Control', 'no-store');
  };
  return [base, extra];
}
