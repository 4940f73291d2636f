import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { withTenant } from '../../db/tenant.ts';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { requirePermission, requireTenant } from '../../services/identity/actor.ts';
import { createTask, retryTask } from '../../services/reading-tasks/service.ts';
import { findTask, listTasks, taskResults, taskSummary } from '../../services/reading-tasks/store.ts';
import { zone } from '../../services/readings/zone.ts';
import type { AppEnv } from '../env.ts';
import { IdParam, inTenant, jsonRoute, router, z } from '../route-kit.ts';
import {
  ResultPage,
  ResultQuery,
  StartTask,
  TaskDetail,
  TaskListQuery,
  TaskPage,
} from './reading-schemas.ts';

const tag = 'reading-tasks';
/** how often the live stream looks at the task, and for how long at most */
const STREAM_POLL_MS = 1_000;
const STREAM_MAX_MS = 3_600_000;

export function readingTaskRoutes(p: Platform) {
  const r = router();
  const z0 = zone(p.config.QUADMETER_TIMEZONE);
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Start a reading task: one meter, a batch, a group or an area; real-time or frozen',
      body: StartTask,
      response: TaskDetail,
    }),
    async (c) => {
      const detail = await inTenant(p, c, 'meters.read-now', async (tx, { actor, tenantId, meta }) => {
        const id = (await createTask(tx, actor, tenantId, c.req.valid('json'), {
          jobs: p.jobs,
          zone: z0,
        })) as string;
        const task = await findTask(tx, actor, id);
        await recordAudit(tx, tenantId, meta, {
          action: 'reading-tasks.start',
          targetType: 'reading-task',
          targetId: id,
          after: task,
        });
        return {
          task,
          summary: await taskSummary(tx, actor, id),
          results: await taskResults(tx, actor, id, { limit: 200 }),
        };
      });
      return c.json(detail, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Reading task history, newest first (tasks reaching your areas)',
      query: TaskListQuery,
      response: TaskPage,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) => listTasks(tx, actor, c.req.valid('query'))),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'A task: status, success per line, concentrator and area, first page of per-meter results',
      params: IdParam,
      response: TaskDetail,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const detail = await inTenant(p, c, 'meters.read', async (tx, { actor }) => ({
        task: await findTask(tx, actor, id),
        summary: await taskSummary(tx, actor, id),
        results: await taskResults(tx, actor, id, { limit: 200 }),
      }));
      return c.json(detail, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/meters',
      tag,
      summary: 'Per-meter results of a task (your areas), in asset-number order',
      params: IdParam,
      query: ResultQuery,
      response: ResultPage,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const page = await inTenant(p, c, 'meters.read', async (tx, { actor }) => {
        await findTask(tx, actor, id);
        return await taskResults(tx, actor, id, c.req.valid('query'));
      });
      return c.json(page, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/retry',
      tag,
      summary: 'Read the failed meters of a finished task again (补抄)',
      params: IdParam,
      body: z.object({}).strict(),
      status: 200,
      response: z.object({ retried: z.number() }),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const res = await inTenant(p, c, 'meters.read-now', async (tx, { actor, tenantId, meta }) => {
        const out = await retryTask(tx, actor, tenantId, id, p.jobs);
        await recordAudit(tx, tenantId, meta, {
          action: 'reading-tasks.retry',
          targetType: 'reading-task',
          targetId: id,
          after: out,
        });
        return out;
      });
      return c.json(res, 200);
    },
  );
  // a stream, not JSON: documented here, served by a plain handler
  r.openAPIRegistry.registerPath({
    method: 'get',
    path: '/{id}/stream',
    tags: [tag],
    summary:
      'Live progress (server-sent events): `progress` per change (status, round, counts, per line), then `done`',
    request: { params: IdParam },
    responses: {
      200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
    },
  });
  r.get('/:id/stream', (c) => streamProgress(p, c));
  return r;
}

/**
 * Live progress as server-sent events: `progress` (status, round, counts and per-line counts)
 * whenever it changes, then `done` when the task has finished. It reads the database, so it
 * follows a task whichever server process runs it.
 */
async function streamProgress(p: Platform, c: Context<AppEnv>) {
  const id = IdParam.parse({ id: c.req.param('id') }).id;
  const actor = c.get('actor');
  requirePermission(actor, 'meters.read');
  const tenantId = requireTenant(actor);
  await inTenant(p, c, 'meters.read', (tx) => findTask(tx, actor, id));
  return streamSSE(c, async (stream) => {
    let last = '';
    const until = Date.now() + STREAM_MAX_MS;
    while (!stream.aborted && Date.now() < until) {
      const { task, summary } = await withTenant(p.db, tenantId, async (tx) => ({
        task: await findTask(tx, actor, id),
        summary: await taskSummary(tx, actor, id),
      }));
      const data = JSON.stringify({
        status: task.status,
        round: task.round,
        total: summary.total,
        pending: summary.pending,
        success: summary.success,
        failed: summary.failed,
        rate: summary.rate,
        lines: summary.lines,
      });
      if (data !== last) await stream.writeSSE({ event: 'progress', data });
      last = data;
      if (task.status === 'done' || task.status === 'failed') {
        await stream.writeSSE({ event: 'done', data: JSON.stringify({ status: task.status }) });
        return;
      }
      await stream.sleep(STREAM_POLL_MS);
    }
  });
}
