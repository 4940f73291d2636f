import { createRoute, OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import { AppError } from '@quadmeter/sdk';
import type { Context } from 'hono';
import type { Tx } from '../db/client.ts';
import { withTenant } from '../db/tenant.ts';
import type { Platform } from '../platform.ts';
import type { RequestMeta } from '../services/audit/record.ts';
import { type Actor, requirePermission, requireTenant } from '../services/identity/actor.ts';
import type { AppEnv } from './env.ts';
import { zodDetails } from './on-error.ts';

export { z };

/** A router whose validation failures become REQ_VALIDATION with the offending fields. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new AppError('REQ_VALIDATION', undefined, zodDetails(result.error));
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'AUTH_FORBIDDEN' }),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

const errors = {
  400: { description: 'Invalid request', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'Not authenticated', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'Forbidden', content: { 'application/json': { schema: ErrorSchema } } },
  404: { description: 'Not found', content: { 'application/json': { schema: ErrorSchema } } },
};

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface RouteSpec {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  params?: z.ZodObject;
  response?: z.ZodType;
  status?: 200 | 201 | 204;
}

type Flatten<T> = { [K in keyof T]: T[K] };

type StatusOf<S extends RouteSpec> = S extends { status: infer N extends number }
  ? N
  : S['method'] extends 'post'
    ? 201
    : 200;

/** The createRoute shape a spec stands for, so handlers get typed `c.req.valid(...)` and responses. */
type Built<S extends RouteSpec> = {
  method: S['method'];
  path: S['path'];
  request: Flatten<
    (S extends { body: infer B extends z.ZodType }
      ? { body: { content: { 'application/json': { schema: B } }; required: true } }
      : {}) &
      (S extends { query: infer Q extends z.ZodObject } ? { query: Q } : {}) &
      (S extends { params: infer P extends z.ZodObject } ? { params: P } : {})
  >;
  responses: {
    [K in StatusOf<S>]: S extends { response: infer R extends z.ZodType }
      ? { description: string; content: { 'application/json': { schema: R } } }
      : { description: string };
  };
} & Omit<RouteConfig, 'method' | 'path' | 'request' | 'responses'>;

/** One place that turns a compact spec into an OpenAPI route with the shared error responses. */
export function jsonRoute<const S extends RouteSpec>(spec: S): Built<S> {
  const status = spec.status ?? (spec.method === 'post' ? 201 : 200);
  return createRoute({
    method: spec.method,
    path: spec.path,
    tags: [spec.tag],
    summary: spec.summary,
    request: {
      ...(spec.body && { body: { content: { 'application/json': { schema: spec.body } }, required: true } }),
      ...(spec.query && { query: spec.query }),
      ...(spec.params && { params: spec.params }),
    },
    responses: {
      [status]: spec.response
        ? { description: 'OK', content: { 'application/json': { schema: spec.response } } }
        : { description: 'No content' },
      ...errors,
    },
  }) as unknown as Built<S>;
}

export function requestMeta(c: Context<AppEnv>): RequestMeta {
  return { actor: c.get('actor'), ip: c.get('ip'), requestId: c.get('requestId') };
}

/**
 * Checks the permission, then runs `fn` in the transaction bound to the actor's tenant: the
 * request's own (opened with the actor by `authenticate`) or, for operators, a new one. Every
 * tenant route goes through here.
 */
export async function inTenant<T>(
  p: Platform,
  c: Context<AppEnv>,
  permission: string,
  fn: (tx: Tx, ctx: { actor: Actor; tenantId: string; meta: RequestMeta }) => Promise<T>,
): Promise<T> {
  const actor = c.get('actor');
  requirePermission(actor, permission);
  const tenantId = requireTenant(actor);
  const ctx = { actor, tenantId, meta: requestMeta(c) };
  const tx = c.get('tx');
  if (tx) return await fn(tx, ctx);
  return await withTenant(p.db, tenantId, (t) => fn(t, ctx));
}
