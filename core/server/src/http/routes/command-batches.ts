import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { findBatch, listBatches } from '../../services/commands/batch-store.ts';
import { createBatch, decideBatch, previewBatch } from '../../services/commands/batches.ts';
import { IdParam, inTenant, jsonRoute, router } from '../route-kit.ts';
import {
  Batch,
  BatchListQuery,
  BatchPage,
  BatchPreview,
  CreateBatch,
  Decision,
  PreviewBatch,
} from './command-schemas.ts';

const tag = 'control';

/** Batch commands over an area, a group or a list, and their approval by a second person. */
export function commandBatchRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/preview',
      tag,
      summary: 'How many meters and customers a batch would touch, and whether it waits for approval',
      body: PreviewBatch,
      status: 200,
      response: BatchPreview,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.control', (tx, { actor }) =>
          previewBatch(tx, actor, c.req.valid('json')),
        ),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Create a batch: released at once, or (a cut above the threshold) waiting for approval',
      body: CreateBatch,
      status: 201,
      response: Batch,
    }),
    async (c) => {
      const batch = await inTenant(p, c, 'meters.control', async (tx, { actor, tenantId, meta }) => {
        const id = await createBatch(tx, actor, tenantId, c.req.valid('json'), p.jobs);
        const b = await findBatch(tx, actor, id);
        await recordAudit(tx, tenantId, meta, {
          action: 'command-batches.create',
          targetType: 'command-batch',
          targetId: id,
          after: b,
        });
        return b;
      });
      return c.json(batch, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Batches, newest first (those whose meters are all in your areas)',
      query: BatchListQuery,
      response: BatchPage,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) => listBatches(tx, actor, c.req.valid('query'))),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'A batch with its progress',
      params: IdParam,
      response: Batch,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await inTenant(p, c, 'meters.read', (tx, { actor }) => findBatch(tx, actor, id)), 200);
    },
  );
  for (const decision of ['approve', 'reject', 'cancel'] as const) {
    r.openapi(
      jsonRoute({
        method: 'post',
        path: `/{id}/${decision}`,
        tag,
        summary:
          decision === 'cancel'
            ? 'Withdraw your own pending batch'
            : `${decision === 'approve' ? 'Approve' : 'Reject'} a pending batch (not your own)`,
        params: IdParam,
        body: Decision,
        status: 200,
        response: Batch,
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const permission = decision === 'cancel' ? 'meters.control' : 'meters.control.approve';
        const b = await inTenant(p, c, permission, async (tx, { actor, tenantId, meta }) => {
          await decideBatch(tx, actor, tenantId, id, decision, c.req.valid('json').note, p.jobs);
          const after = await findBatch(tx, actor, id);
          await recordAudit(tx, tenantId, meta, {
            action: `command-batches.${decision}`,
            targetType: 'command-batch',
            targetId: id,
            after,
          });
          return after;
        });
        return c.json(b, 200);
      },
    );
  }
  return r;
}
