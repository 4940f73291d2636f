import type { Tx } from '../../db/client.ts';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import type { Actor } from '../../services/identity/actor.ts';
import { IdParam, inTenant, jsonRoute, patchBody, router, z } from '../route-kit.ts';

interface Row {
  id: string;
  areaPath: string[];
}

/** What differs between the collector and the concentrator routes; the rest is this file. */
export interface GatewayCrud<F extends z.ZodRawShape, Q extends z.ZodObject, R extends Row> {
  /** singular, as the audit log names targets (`collector`) */
  noun: 'collector' | 'concentrator';
  plural: string;
  /** the Chinese name operators know it by */
  zh: string;
  fields: F;
  schema: z.ZodType<R>;
  query: Q;
  updateSummary: string;
  list(tx: Tx, actor: Actor, query: z.infer<Q>): Promise<R[]>;
  get(tx: Tx, actor: Actor, id: string): Promise<R>;
  create(tx: Tx, actor: Actor, tenantId: string, body: z.infer<z.ZodObject<F>>): Promise<R>;
  update(
    tx: Tx,
    actor: Actor,
    id: string,
    patch: Partial<z.infer<z.ZodObject<F>>>,
  ): Promise<{ before: R; after: R }>;
}

/**
 * `/collectors` and `/concentrators`: list within scope, one, add and change, each write audited
 * as `<plural>.create` / `<plural>.update`. Reads take `meters.read`, writes `meters.write`.
 */
export function gatewayRoutes<F extends z.ZodRawShape, Q extends z.ZodObject, R extends Row>(
  p: Platform,
  g: GatewayCrud<F, Q, R>,
) {
  const r = router();
  const tag = 'gateways';
  const body = z.object(g.fields).strict();
  // the generic route types cannot be followed through c.req.valid; the schemas above validated
  const valid = <T>(c: { req: { valid: (k: never) => unknown } }, k: string) => c.req.valid(k as never) as T;
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: `${g.plural[0].toUpperCase()}${g.plural.slice(1)} within your scope`,
      query: g.query,
      response: z.object({ items: z.array(g.schema) }),
    }),
    async (c) => {
      const items = await inTenant(p, c, 'meters.read', (tx, { actor }) =>
        g.list(tx, actor, valid<z.infer<Q>>(c, 'query')),
      );
      return c.json({ items } as never, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: `One ${g.noun}`,
      params: IdParam,
      response: g.schema,
    }),
    async (c) => {
      const row = await inTenant(p, c, 'meters.read', (tx, { actor }) =>
        g.get(tx, actor, c.req.valid('param').id),
      );
      return c.json(row as never, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: `Add a ${g.noun} (${g.zh})`,
      body,
      response: g.schema,
    }),
    async (c) => {
      const row = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const made = await g.create(tx, actor, tenantId, valid(c, 'json'));
        await recordAudit(tx, tenantId, meta, {
          action: `${g.plural}.create`,
          targetType: g.noun,
          targetId: made.id,
          areaPath: made.areaPath,
          after: made,
        });
        return made;
      });
      return c.json(row as never, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag,
      summary: g.updateSummary,
      params: IdParam,
      body: patchBody(body.partial()),
      response: g.schema,
    }),
    async (c) => {
      const row = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const { before, after } = await g.update(tx, actor, c.req.valid('param').id, valid(c, 'json'));
        await recordAudit(tx, tenantId, meta, {
          action: `${g.plural}.update`,
          targetType: g.noun,
          targetId: after.id,
          areaPath: after.areaPath,
          before,
          after,
        });
        return after;
      });
      return c.json(row as never, 200);
    },
  );
  return r;
}
