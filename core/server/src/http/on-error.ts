import { AppError, type ErrorCode, errorCatalogue } from '@quadmeter/sdk';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { dbError } from './db-errors.ts';
import type { AppEnv } from './env.ts';

export function zodDetails(error: ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}

/** Turns anything thrown into an AppError; unknown errors become INTERNAL. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError('REQ_VALIDATION', undefined, zodDetails(err));
  if (err instanceof HTTPException) {
    const code: ErrorCode =
      err.status === 413
        ? 'REQ_BODY_TOO_LARGE'
        : err.status === 400
          ? 'REQ_JSON_MALFORMED'
          : err.status === 401
            ? 'AUTH_REQUIRED'
            : 'INTERNAL';
    return new AppError(code);
  }
  // hono's path decoding throws URIError for a malformed escape such as `/%`
  if (err instanceof URIError) return new AppError('REQ_MALFORMED_URL');
  const fromDb = dbError(err);
  if (fromDb) return fromDb;
  return new AppError('INTERNAL', undefined, undefined, { cause: err });
}

export function errorBody(e: AppError, requestId: string) {
  return {
    error: {
      code: e.code,
      message: e.message,
      requestId,
      ...(e.details !== undefined && { details: e.details }),
    },
  };
}

/** The one HTTP error mapper: `{ error: { code, message, requestId, details? } }`, never a stack. */
export function onError(err: unknown, c: Context<AppEnv>) {
  const e = toAppError(err);
  const requestId = c.get('requestId') ?? 'unknown';
  if (e.code === 'INTERNAL') {
    c.get('log')?.error({ err: err instanceof Error ? err : String(err) }, 'unhandled error');
    return c.json(errorBody(new AppError('INTERNAL', errorCatalogue.INTERNAL.message), requestId), 500);
  }
  if (e.code === 'DB_UNAVAILABLE') c.get('log')?.warn({ err }, 'database unavailable');
  if (e.code === 'AUTH_THROTTLED') c.header('Retry-After', String(15 * 60));
  return c.json(errorBody(e, requestId), e.status as 400);
}
