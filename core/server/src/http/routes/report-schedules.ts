import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import {
  createSchedule,
  deleteSchedule,
  listSchedules,
  runScheduleNow,
  type ScheduleInput,
  updateSchedule,
} from '../../services/reports/schedules.ts';
import type { AppEnv } from '../env.ts';
import { IdParam, inTenant, jsonRoute } from '../route-kit.ts';
import { ReportSchedule, ScheduleBody, ScheduleList } from './report-schemas.ts';

const tag = 'reports';
const PERM = 'reports.schedule';

/**
 * Scheduled reports (docs/decisions/0045-scheduled-reports.md): a report with parameters on a
 * cron, emailed to a bounded list. Registered before `/{report}` so `schedules` is no report id.
 */
export function registerScheduleRoutes(r: OpenAPIHono<AppEnv>, p: Platform) {
  const zone = p.config.QUADMETER_TIMEZONE;
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/schedules',
      tag,
      summary: 'Report schedules',
      response: ScheduleList,
    }),
    async (c) => {
      const items = await inTenant(p, c, PERM, (tx, { actor }) => listSchedules(tx, actor));
      return c.json({ items }, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/schedules',
      tag,
      summary: 'Schedule a report by email',
      body: ScheduleBody,
      response: ReportSchedule,
    }),
    async (c) => {
      const b = c.req.valid('json') as ScheduleInput;
      const out = await inTenant(p, c, PERM, async (tx, { actor, tenantId, meta }) => {
        const s = await createSchedule(tx, actor, tenantId, b, zone);
        await recordAudit(tx, tenantId, meta, {
          action: 'report-schedules.create',
          targetType: 'report-schedule',
          targetId: s.id,
          after: { report: s.report, cron: s.cron, recipients: s.recipients },
        });
        return s;
      });
      return c.json(out, 201);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/schedules/{id}',
      tag,
      summary: 'Replace a report schedule',
      params: IdParam,
      body: ScheduleBody,
      response: ReportSchedule,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json') as ScheduleInput;
      const out = await inTenant(p, c, PERM, async (tx, { actor, tenantId, meta }) => {
        const s = await updateSchedule(tx, actor, id, b, zone);
        await recordAudit(tx, tenantId, meta, {
          action: 'report-schedules.update',
          targetType: 'report-schedule',
          targetId: s.id,
          after: { report: s.report, cron: s.cron, recipients: s.recipients, enabled: s.enabled },
        });
        return s;
      });
      return c.json(out, 200);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'delete',
      path: '/schedules/{id}',
      tag,
      summary: 'Delete a report schedule',
      params: IdParam,
      status: 204,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await inTenant(p, c, PERM, async (tx, { actor, tenantId, meta }) => {
        await deleteSchedule(tx, actor, id);
        await recordAudit(tx, tenantId, meta, {
          action: 'report-schedules.delete',
          targetType: 'report-schedule',
          targetId: id,
        });
      });
      return c.body(null, 204);
    },
  );
  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/schedules/{id}/run',
      tag,
      summary: 'Run a schedule at the next minute tick',
      params: IdParam,
      status: 200,
      response: ReportSchedule,
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await inTenant(p, c, PERM, (tx, { actor }) => runScheduleNow(tx, actor, id));
      return c.json(out, 200);
    },
  );
}
