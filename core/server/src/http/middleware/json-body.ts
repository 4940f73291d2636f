import { AppError } from '@quadmeter/sdk';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../env.ts';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The one route whose body is a file (xlsx or CSV); it applies its own media types and size limit. */
export function isFileUpload(method: string, path: string): boolean {
  return method === 'POST' && /^\/api\/v1\/imports\/?$/.test(path);
}

/** Size limit, media type and JSON syntax for API bodies, each with its own error code. */
export function jsonBody(limitKb: number): MiddlewareHandler<AppEnv>[] {
  const limit = bodyLimit({
    maxSize: limitKb * 1024,
    onError: () => {
      throw new AppError('REQ_BODY_TOO_LARGE', `The request body exceeds ${limitKb} KiB`);
    },
  });
  const limitUnlessUpload: MiddlewareHandler<AppEnv> = async (c, next) =>
    isFileUpload(c.req.method, c.req.path) ? await next() : await limit(c, next);
  const parse: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (!WITH_BODY.has(c.req.method) || isFileUpload(c.req.method, c.req.path)) return await next();
    const length = c.req.header('content-length');
    const hasBody =
      (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
    if (!hasBody) return await next();
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) throw new AppError('REQ_UNSUPPORTED_MEDIA');
    try {
      await c.req.json(); // parsed once and cached for the validators
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('REQ_JSON_MALFORMED');
    }
    await next();
  };
  return [limitUnlessUpload, parse];
}
