import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  updateSchedule,
} from '../../services/reading-tasks/schedules.ts';
import { auditedDelete } from '../audited-delete.ts';
import { IdParam, inTenant, jsonRoute, patchBody, router, z } from '../route-kit.ts';
import { Schedule, ScheduleBody, SchedulePatch } from './reading-schemas.ts';

const tag = 'reading-schedules';

/** 抄表计划: hourly, daily, weekly, monthly or cron reads of a meter, a group or an area. */
export function readingScheduleRoutes(p: Platform) {
  const r = router();
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Reading schedules (those reaching only your areas)',
      response: z.object({ items: z.array(Schedule) }),
    }),
    async (c) =>
      c.json(
        { items: await inTenant(p, c, 'meters.read', (tx, { actor }) => listSchedules(tx, actor)) },
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'One reading schedule',
      params: IdParam,
      response: Schedule,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'meters.read', (tx, { actor }) =>
          getSchedule(tx, actor, c.req.valid('param').id),
        ),
        200,
      ),
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Add a reading schedule',
      body: ScheduleBody,
      response: Schedule,
    }),
    async (c) => {
      const made = await inTenant(p, c, 'readings.schedule', async (tx, { actor, tenantId, meta }) => {
        const s = await createSchedule(tx, actor, tenantId, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'reading-schedules.create',
          targetType: 'reading-schedule',
          targetId: s.id,
          after: s,
        });
        return s;
      });
      return c.json(made, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag,
      summary: 'Change a reading schedule',
      params: IdParam,
      body: patchBody(SchedulePatch),
      response: Schedule,
    }),
    async (c) => {
      const after = await inTenant(p, c, 'readings.schedule', async (tx, { actor, tenantId, meta }) => {
        const res = await updateSchedule(tx, actor, c.req.valid('param').id, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'reading-schedules.update',
          targetType: 'reading-schedule',
          targetId: res.after.id,
          before: res.before,
          after: res.after,
        });
        return res.after;
      });
      return c.json(after, 200);
    },
  );
  auditedDelete(r, p, {
    tag,
    summary: 'Delete a reading schedule',
    permission: 'readings.schedule',
    remove: deleteSchedule,
    audit: (before) => ({
      action: 'reading-schedules.delete',
      targetType: 'reading-schedule',
      targetId: before.id,
      before,
    }),
  });
  return r;
}
