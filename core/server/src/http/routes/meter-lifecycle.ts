import type { Context } from 'hono';
import type { Tx } from '../../db/client.ts';
import type { Platform } from '../../platform.ts';
import {
  accountMeterHistory,
  type Ctx,
  installMeter,
  meterHistory,
  removeMeter,
  replaceMeter,
  suspendOrResume,
  transferMeter,
} from '../../services/archives/lifecycle.ts';
import { meterKinds } from '../../services/archives/meter-kinds.ts';
import type { MeterDto } from '../../services/archives/meters.ts';
import { recordAudit } from '../../services/audit/record.ts';
import type { AppEnv } from '../env.ts';
import { IdParam, inTenant, jsonRoute, type router, z } from '../route-kit.ts';
import { Meter, MeterEvent, meterFields, Reading, why } from './meter-schemas.ts';

const tag = 'meters';

/** Runs one lifecycle action and audits it with the meter's state before and after. */
async function act(
  p: Platform,
  c: Context<AppEnv>,
  action: string,
  id: string,
  fn: (tx: Tx, ctx: Ctx) => Promise<MeterDto>,
) {
  return inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
    const after = await fn(tx, { actor, tenantId, kinds: meterKinds(p.registry) });
    await recordAudit(tx, tenantId, meta, {
      action: `meters.${action}`,
      targetType: 'meter',
      targetId: id,
      areaPath: after.areaPath,
      after,
    });
    return after;
  });
}

export function meterLifecycleRoutes(p: Platform, r: ReturnType<typeof router>) {
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/install',
      tag,
      summary: 'Install an in-stock meter (安装)',
      status: 200,
      params: IdParam,
      body: z.object({ ...why, accountId: z.uuid().nullable().optional(), initialReading: Reading }).strict(),
      response: Meter,
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      return c.json(
        await act(p, c, 'install', id, (tx, ctx) => installMeter(tx, ctx, id, c.req.valid('json'))),
        200,
      );
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/replace',
      tag,
      summary: 'Replace a meter (换表) in one transaction',
      status: 200,
      params: IdParam,
      body: z
        .object({
          ...why,
          newMeter: z.object(meterFields).strict().optional(),
          newMeterId: z.uuid().optional(),
          finalReading: Reading,
          initialReading: Reading,
        })
        .strict()
        .refine((b) => (b.newMeter === undefined) !== (b.newMeterId === undefined), {
          message: 'give exactly one of newMeter and newMeterId',
          path: ['newMeter'],
        }),
      response: z.object({ old: Meter, new: Meter }),
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const out = await inTenant(p, c, 'meters.write', async (tx, { actor, tenantId, meta }) => {
        const res = await replaceMeter(
          tx,
          { actor, tenantId, kinds: meterKinds(p.registry) },
          id,
          c.req.valid('json'),
        );
        await recordAudit(tx, tenantId, meta, {
          action: 'meters.replace',
          targetType: 'meter',
          targetId: id,
          areaPath: res.old.areaPath,
          before: res.old,
          after: res.new,
        });
        return res;
      });
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/remove',
      tag,
      summary: 'Remove a meter from service (拆表)',
      status: 200,
      params: IdParam,
      body: z.object({ ...why, finalReading: Reading }).strict(),
      response: Meter,
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      return c.json(
        await act(p, c, 'remove', id, (tx, ctx) => removeMeter(tx, ctx, id, c.req.valid('json'))),
        200,
      );
    },
  );
  for (const kind of ['suspend', 'resume'] as const) {
    r.openapi(
      jsonRoute({
        method: 'post',
        path: `/{id}/${kind}`,
        tag,
        summary: kind === 'suspend' ? 'Suspend a meter (停用)' : 'Resume a suspended meter',
        status: 200,
        params: IdParam,
        body: z.object(why).strict(),
        response: Meter,
      }),
      async (c) => {
        const id = c.req.valid('param').id;
        return c.json(
          await act(p, c, kind, id, (tx, ctx) => suspendOrResume(tx, ctx, id, kind, c.req.valid('json'))),
          200,
        );
      },
    );
  }
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/transfer',
      tag,
      summary: 'Transfer a meter to another account (过户)',
      status: 200,
      params: IdParam,
      body: z.object({ ...why, toAccountId: z.uuid(), finalReading: Reading }).strict(),
      response: Meter,
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      return c.json(
        await act(p, c, 'transfer', id, (tx, ctx) => transferMeter(tx, ctx, id, c.req.valid('json'))),
        200,
      );
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/history',
      tag,
      summary: 'Lifecycle events of a meter',
      params: IdParam,
      response: z.object({ items: z.array(MeterEvent) }),
    }),
    async (c) =>
      c.json(
        {
          items: await inTenant(p, c, 'meters.read', (tx, { actor }) =>
            meterHistory(tx, actor, c.req.valid('param').id),
          ),
        },
        200,
      ),
  );
}

/**
 * `GET /accounts/{id}/meter-history`: lifecycle events of the meters an account holds or held.
 * Added to the accounts router (routes/accounts.ts).
 */
export function addAccountMeterHistory(p: Platform, r: ReturnType<typeof router>) {
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/meter-history',
      tag: 'accounts',
      summary: 'Lifecycle events of the account’s meters',
      params: IdParam,
      response: z.object({ items: z.array(MeterEvent) }),
    }),
    async (c) =>
      c.json(
        {
          items: await inTenant(p, c, 'meters.read', (tx, { actor }) =>
            accountMeterHistory(tx, actor, c.req.valid('param').id),
          ),
        },
        200,
      ),
  );
  return r;
}
