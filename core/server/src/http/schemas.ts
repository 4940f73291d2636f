import { z } from '@hono/zod-openapi';

/** PostgreSQL `integer` bounds: values outside them would fail in the database (22003). */
export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

/**
 * Every request string goes through here: PostgreSQL text cannot hold a NUL character, so one
 * would otherwise fail deep in a query (22021) instead of answering REQ_VALIDATION.
 */
export function text(min = 0, max = 1000) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');
}

/** An integer that fits an `integer` column (optionally narrower). */
export function int32(min = INT32_MIN, max = INT32_MAX) {
  return z.number().int().min(min).max(max);
}

/** A PATCH body must change something: `{}` is REQ_VALIDATION rather than an empty UPDATE. */
export function patchBody<T extends z.ZodObject>(schema: T): T {
  return schema.refine((o) => Object.values(o).some((v) => v !== undefined), {
    message: 'at least one field must be given',
  });
}
