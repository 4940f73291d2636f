import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Platform } from '../../platform.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { requireWholeTenant } from '../../services/identity/actor.ts';
import { dayIn } from '../../services/prepaid/deduction/days.ts';
import { enqueueDeductionRun, openRun } from '../../services/prepaid/deduction/index.ts';
import { type DeductionRun, runColumns } from '../../services/prepaid/deduction/runs.ts';
import { readSettings, writeSettings } from '../../services/prepaid/deduction/settings.ts';
import { IdParam, inTenant, jsonRoute, type router } from '../route-kit.ts';
import {
  DeductionRunBody,
  DeductionRunList,
  DeductionRunQuery,
  DeductionRunView,
  DeductionSettingsBody,
} from './prepaid-deduction-schemas.ts';

const tag = 'prepaid';
const READ = 'billing.read';
const MANAGE = 'prepaid.manage';

/**
 * Prepaid deduction (decision 0030): the daily runs (list, one, run or catch up a day now) and the
 * tenant's deduction settings. Runs cover the whole tenant, so every route is for tenant-wide
 * users (AUTH_SCOPE_TENANT_WIDE otherwise); reading needs billing.read, acting prepaid.manage.
 */
export function deductionRoutes(p: Platform, r: ReturnType<typeof router>) {
  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/deduction-runs',
      tag,
      summary: 'Prepaid deduction runs, newest day first',
      query: DeductionRunQuery,
      response: DeductionRunList,
    }),
    async (c) => {
      const { page, pageSize } = c.req.valid('query');
      const out = await inTenant(p, c, READ, async (tx, { actor }) => {
        requireWholeTenant(actor);
        const items = (await tx.execute(sql`select ${runColumns} from prepaid_deduction_runs r
          order by r.day desc limit ${pageSize} offset ${(page - 1) * pageSize}`)) as unknown as DeductionRun[];
        const [n] = await tx.execute<{ n: number }>(
          sql`select count(*)::int as n from prepaid_deduction_runs`,
        );
        return { items, total: n.n };
      });
      return c.json(out as never, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/deduction-runs/{id}',
      tag,
      summary: 'One prepaid deduction run',
      params: IdParam,
      response: DeductionRunView,
    }),
    async (c) => {
      const out = await inTenant(p, c, READ, async (tx, { actor }) => {
        requireWholeTenant(actor);
        const [run] = (await tx.execute(sql`select ${runColumns} from prepaid_deduction_runs r
          where r.id = ${c.req.valid('param').id}`)) as unknown as DeductionRun[];
        if (!run) throw new AppError('RESOURCE_NOT_FOUND', 'No such deduction run');
        return run;
      });
      return c.json(out as never, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/deduction-runs',
      tag,
      summary: 'Run (or catch up) the deduction of a day now',
      body: DeductionRunBody,
      status: 201,
      response: DeductionRunView,
    }),
    async (c) => {
      const { day } = c.req.valid('json');
      const out = await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        if (day > dayIn(p.config.QUADMETER_TIMEZONE))
          throw new AppError('PREPAID_DEDUCTION_FUTURE_DAY', undefined, { day });
        const run = await openRun(tx, day, actor.kind === 'operator' ? null : actor.id);
        if (run.status === 'queued') await enqueueDeductionRun(p.jobs, tenantId, run.id, tx);
        await recordAudit(tx, tenantId, meta, {
          action: 'prepaid.deduction.run',
          targetType: 'prepaid-deduction-run',
          targetId: run.id,
          after: { day },
        });
        return run;
      });
      return c.json(out as never, 201);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/deduction-settings',
      tag,
      summary: "The tenant's deduction mode and daily run time",
      response: DeductionSettingsBody,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, READ, async (tx, { actor }) => {
          requireWholeTenant(actor);
          return await readSettings(tx);
        }),
        200,
      ),
  );

  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/deduction-settings',
      tag,
      summary: "Set the tenant's deduction mode and daily run time",
      body: DeductionSettingsBody,
      response: DeductionSettingsBody,
    }),
    async (c) => {
      const body = c.req.valid('json');
      const out = await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const before = await readSettings(tx);
        const after = await writeSettings(tx, body);
        await recordAudit(tx, tenantId, meta, {
          action: 'prepaid.deduction.settings',
          targetType: 'tenant',
          targetId: tenantId,
          before,
          after,
        });
        return after;
      });
      return c.json(out, 200);
    },
  );
}
