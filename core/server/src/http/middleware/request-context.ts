import { randomUUID } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../logger.ts';
import type { AppEnv } from '../env.ts';
import { clientAddress, originalScheme, type TrustProxy } from '../trust-proxy.ts';

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Request id (taken from X-Request-Id when well-formed), client address and scheme (from
 * X-Forwarded-For / -Proto only when the socket peer is a trusted proxy) and a child logger.
 */
export function requestContext(logger: Logger, trusted: TrustProxy = () => false): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && SAFE_ID.test(given) ? given : randomUUID();
    let peer = 'unknown';
    try {
      peer = getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      // not served by node (tests calling app.request): keep 'unknown'
    }
    const ip = clientAddress(peer, c.req.header('x-forwarded-for'), trusted);
    const socketScheme = new URL(c.req.url).protocol.replace(':', '');
    c.set('scheme', originalScheme(socketScheme, peer, c.req.header('x-forwarded-proto'), trusted));
    const log = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('ip', ip);
    c.set('log', log);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    // the route's logger: after authentication it names the tenant and the actor too
    (c.get('log') ?? log).debug(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  };
}
