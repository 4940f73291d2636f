import { AppError } from '@quadmeter/sdk';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../env.ts';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The one route whose body is a file (xlsx or CSV); it applies its own media types and size limit. */
export function isFileUpload(method: string, path: string): boolean {
  return method === 'POST' && /^\/api\/v1\/imports\/?$/.test(path);
}

/** The field app's manual reading carries a photo (≤ 2 MiB, base64 in JSON): its own, larger limit. */
const PHOTO_JSON = /^\/api\/v1\/field\/meters\/[^/]+\/manual-readings\/?$/;
export const PHOTO_JSON_LIMIT_KB = 3 * 1024;

/** Size limit, media type and JSON syntax for API bodies, each with its own error code. */
export function jsonBody(limitKb: number): MiddlewareHandler<AppEnv>[] {
  const limit = bodyLimit({
    maxSize: limitKb * 1024,
    onError: () => {
      throw new AppError('REQ_BODY_TOO_LARGE', `The request body exceeds ${limitKb} KiB`);
    },
  });
  const photoLimit = bodyLimit({
    maxSize: Math.max(limitKb, PHOTO_JSON_LIMIT_KB) * 1024,
    onError: () => {
      throw new AppError('REQ_BODY_TOO_LARGE', `The request body exceeds ${PHOTO_JSON_LIMIT_KB} KiB`);
    },
  });
  const limitUnlessUpload: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (isFileUpload(c.req.method, c.req.path)) return await next();
    if (c.req.method === 'POST' && PHOTO_JSON.test(c.req.path)) return await photoLimit(c, next);
    return await limit(c, next);
  };
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
