import { AppError } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { Platform } from '../../platform.ts';
import { getAccount } from '../../services/archives/accounts.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { requireWholeTenant } from '../../services/identity/actor.ts';
import { listHolidays, saveHolidays } from '../../services/prepaid/calendar.ts';
import { evaluateAccount } from '../../services/prepaid/evaluate.ts';
import { assignGroup, retrySupply, setKeepPower } from '../../services/prepaid/manual.ts';
import { prepaidDeps } from '../../services/prepaid/notices.ts';
import { clearLevel, policyFor, readLevel, saveLevel } from '../../services/prepaid/policy.ts';
import { type PolicyLevel, resolvePolicy } from '../../services/prepaid/policy-types.ts';
import { listPrepaid, prepaidBoard, prepaidPanel } from '../../services/prepaid/read.ts';
import { isPrepaid, markDirty } from '../../services/prepaid/store.ts';
import { IdParam, inTenant, jsonRoute, router } from '../route-kit.ts';
import { deductionRoutes } from './prepaid-deductions.ts';
import {
  AccountPolicyView,
  AssignGroupBody,
  BoardQuery,
  BoardView,
  GroupBody,
  GroupList,
  GroupView,
  HolidaysBody,
  HolidaysView,
  KeepPowerBody,
  ListQuery,
  ListView,
  PanelView,
  PolicyLevelBody,
  TenantPolicyView,
  YearParam,
} from './prepaid-schemas.ts';

const tag = 'prepaid';
const READ = 'billing.read';
const MANAGE = 'prepaid.manage';

async function groupView(tx: Tx, id: string) {
  const [g] = await tx.execute<{ id: string; name: string; accounts: number }>(sql`
    select g.id::text as id, g.name, (select count(*)::int from prepaid_accounts p where p.group_id = g.id) as accounts
    from prepaid_groups g where g.id = ${id}`);
  if (!g) throw new AppError('RESOURCE_NOT_FOUND', 'No such prepaid group', { id });
  return { ...g, policy: await readLevel(tx, { level: 'group', groupId: id }) };
}

async function sameNameTaken(tx: Tx, name: string, except?: string) {
  const [x] = await tx.execute(sql`select 1 from prepaid_groups where name = ${name}
    ${except ? sql`and id <> ${except}` : sql``}`);
  if (x) throw new AppError('RESOURCE_CONFLICT', 'A prepaid group of that name exists', { name });
}

/**
 * Software prepaid (decision 0031): the status board and its drill-down, each account's prepaid
 * panel with manual keep-power (保电), retry of a failed cut or reconnect, policy group and
 * override; the tenant default policy, policy groups and the holiday calendar (tenant-wide users).
 * Reading needs billing.read, changing prepaid.manage; accounts follow area scope (else 404).
 */
export function prepaidRoutes(p: Platform) {
  const r = router();
  const deps = () => prepaidDeps(p.jobs, p.config.QUADMETER_TIMEZONE);
  deductionRoutes(p, r);

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/board',
      tag,
      summary: 'Prepaid accounts per state and area',
      query: BoardQuery,
      response: BoardView,
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, READ, (tx, { actor }) => prepaidBoard(tx, actor, c.req.valid('query').areaId)),
        200,
      ),
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/accounts',
      tag,
      summary: 'Prepaid accounts in a state or area (drill-down)',
      query: ListQuery,
      response: ListView,
    }),
    async (c) => {
      const q = c.req.valid('query');
      const out = await inTenant(p, c, READ, (tx, { actor }) =>
        listPrepaid(tx, actor, { ...q, failed: q.failed === 'true' }),
      );
      return c.json(out as never, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/accounts/{id}',
      tag,
      summary: "An account's prepaid panel",
      params: IdParam,
      response: PanelView,
    }),
    async (c) =>
      c.json(
        (await inTenant(p, c, READ, (tx, { actor }) =>
          prepaidPanel(tx, actor, c.req.valid('param').id),
        )) as never,
        200,
      ),
  );

  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/accounts/{id}/keep-power',
      tag,
      summary: 'Switch manual keep-power (保电) of a prepaid account',
      params: IdParam,
      body: KeepPowerBody,
      response: PanelView,
    }),
    async (c) => {
      const out = await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        const account = await getAccount(tx, actor, c.req.valid('param').id);
        const { on } = c.req.valid('json');
        const changed = await setKeepPower(
          tx,
          deps(),
          tenantId,
          account.id,
          on,
          actor.displayName || actor.name,
        );
        if (changed)
          await recordAudit(tx, tenantId, meta, {
            action: on ? 'prepaid.keep-power.on' : 'prepaid.keep-power.off',
            targetType: 'account',
            targetId: account.id,
            areaPath: account.areaPath,
            after: { keepPower: on },
          });
        return await prepaidPanel(tx, actor, account.id);
      });
      return c.json(out as never, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/accounts/{id}/retry',
      tag,
      summary: 'Send a failed cut or reconnect again',
      params: IdParam,
      status: 200,
      response: PanelView,
    }),
    async (c) => {
      const out = await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        const account = await getAccount(tx, actor, c.req.valid('param').id);
        await retrySupply(tx, deps(), tenantId, account.id, actor.displayName || actor.name);
        await recordAudit(tx, tenantId, meta, {
          action: 'prepaid.retry',
          targetType: 'account',
          targetId: account.id,
          areaPath: account.areaPath,
        });
        return await prepaidPanel(tx, actor, account.id);
      });
      return c.json(out as never, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/accounts/{id}/group',
      tag,
      summary: 'Put a prepaid account into a policy group (null: none)',
      params: IdParam,
      body: AssignGroupBody,
      response: PanelView,
    }),
    async (c) => {
      const out = await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        const account = await getAccount(tx, actor, c.req.valid('param').id);
        const { groupId } = c.req.valid('json');
        await assignGroup(tx, deps(), tenantId, account.id, groupId);
        await recordAudit(tx, tenantId, meta, {
          action: 'prepaid.group.assign',
          targetType: 'account',
          targetId: account.id,
          areaPath: account.areaPath,
          after: { groupId },
        });
        return await prepaidPanel(tx, actor, account.id);
      });
      return c.json(out as never, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/accounts/{id}/policy',
      tag,
      summary: "An account's policy override and the policy in force",
      params: IdParam,
      response: AccountPolicyView,
    }),
    async (c) => {
      const out = await inTenant(p, c, READ, async (tx, { actor }) => {
        const account = await getAccount(tx, actor, c.req.valid('param').id);
        return {
          stored: await readLevel(tx, { level: 'account', accountId: account.id }),
          effective: await policyFor(tx, account.id),
        };
      });
      return c.json(out, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/accounts/{id}/policy',
      tag,
      summary: "Set an account's policy override (null fields inherit)",
      params: IdParam,
      body: PolicyLevelBody,
      response: AccountPolicyView,
    }),
    async (c) => {
      const out = await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        const account = await getAccount(tx, actor, c.req.valid('param').id);
        const before = await readLevel(tx, { level: 'account', accountId: account.id });
        if (!(await isPrepaid(tx, account.id)))
          throw new AppError('PREPAID_NOT_PREPAID', undefined, { id: account.id });
        // the account's prepaid row carries its group, so the override is checked against it
        await tx.execute(sql`insert into prepaid_accounts (tenant_id, account_id) values (${tenantId}, ${account.id})
          on conflict (tenant_id, account_id) do nothing`);
        const stored = await saveLevel(
          tx,
          tenantId,
          { level: 'account', accountId: account.id },
          c.req.valid('json') as PolicyLevel,
        );
        await evaluateAccount(tx, deps(), tenantId, account.id);
        await recordAudit(tx, tenantId, meta, {
          action: 'prepaid.policy.account',
          targetType: 'account',
          targetId: account.id,
          areaPath: account.areaPath,
          before,
          after: stored,
        });
        return { stored, effective: await policyFor(tx, account.id) };
      });
      return c.json(out, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'delete',
      path: '/accounts/{id}/policy',
      tag,
      summary: "Remove an account's policy override",
      params: IdParam,
      status: 204,
    }),
    async (c) => {
      await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        const account = await getAccount(tx, actor, c.req.valid('param').id);
        const before = await readLevel(tx, { level: 'account', accountId: account.id });
        if (!(await clearLevel(tx, { level: 'account', accountId: account.id })))
          throw new AppError('RESOURCE_NOT_FOUND', 'The account has no policy override', { id: account.id });
        await evaluateAccount(tx, deps(), tenantId, account.id);
        await recordAudit(tx, tenantId, meta, {
          action: 'prepaid.policy.account.clear',
          targetType: 'account',
          targetId: account.id,
          areaPath: account.areaPath,
          before,
        });
      });
      return c.body(null, 204);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/policy',
      tag,
      summary: 'The tenant default prepaid policy',
      response: TenantPolicyView,
    }),
    async (c) => {
      const out = await inTenant(p, c, READ, async (tx) => {
        const stored = await readLevel(tx, { level: 'tenant' });
        return { stored, effective: resolvePolicy([stored]) };
      });
      return c.json(out, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/policy',
      tag,
      summary: 'Set the tenant default prepaid policy (tenant-wide users)',
      body: PolicyLevelBody,
      response: TenantPolicyView,
    }),
    async (c) => {
      const out = await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const before = await readLevel(tx, { level: 'tenant' });
        const stored = await saveLevel(tx, tenantId, { level: 'tenant' }, c.req.valid('json') as PolicyLevel);
        // every prepaid account is looked at again under the new policy
        await markDirty(tx, tenantId);
        await recordAudit(tx, tenantId, meta, {
          action: 'prepaid.policy.tenant',
          targetType: 'prepaid-policy',
          targetId: tenantId,
          before,
          after: stored,
        });
        return { stored, effective: resolvePolicy([stored]) };
      });
      return c.json(out, 200);
    },
  );

  r.openapi(
    jsonRoute({ method: 'get', path: '/groups', tag, summary: 'Prepaid policy groups', response: GroupList }),
    async (c) => {
      const out = await inTenant(p, c, READ, async (tx) => {
        const ids = await tx.execute<{ id: string }>(
          sql`select id::text as id from prepaid_groups order by name`,
        );
        return { items: await Promise.all(ids.map((g) => groupView(tx, g.id))) };
      });
      return c.json(out, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/groups',
      tag,
      summary: 'Create a prepaid policy group (tenant-wide users)',
      body: GroupBody,
      response: GroupView,
    }),
    async (c) => {
      const out = await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const b = c.req.valid('json');
        await sameNameTaken(tx, b.name);
        const [g] = await tx.execute<{ id: string }>(sql`
          insert into prepaid_groups (tenant_id, name) values (${tenantId}, ${b.name}) returning id::text as id`);
        await saveLevel(tx, tenantId, { level: 'group', groupId: g.id }, b.policy as PolicyLevel);
        const view = await groupView(tx, g.id);
        await recordAudit(tx, tenantId, meta, {
          action: 'prepaid.group.create',
          targetType: 'prepaid-group',
          targetId: g.id,
          after: view,
        });
        return view;
      });
      return c.json(out, 201);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/groups/{id}',
      tag,
      summary: 'Rename a prepaid policy group and set its policy (tenant-wide users)',
      params: IdParam,
      body: GroupBody,
      response: GroupView,
    }),
    async (c) => {
      const out = await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const id = c.req.valid('param').id;
        const before = await groupView(tx, id);
        const b = c.req.valid('json');
        await sameNameTaken(tx, b.name, id);
        await tx.execute(sql`update prepaid_groups set name = ${b.name} where id = ${id}`);
        await saveLevel(tx, tenantId, { level: 'group', groupId: id }, b.policy as PolicyLevel);
        await markDirty(tx, tenantId, sql`group_id = ${id}`);
        const after = await groupView(tx, id);
        await recordAudit(tx, tenantId, meta, {
          action: 'prepaid.group.update',
          targetType: 'prepaid-group',
          targetId: id,
          before,
          after,
        });
        return after;
      });
      return c.json(out, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'delete',
      path: '/groups/{id}',
      tag,
      summary: 'Delete a prepaid policy group (its accounts fall back to the default)',
      params: IdParam,
      status: 204,
    }),
    async (c) => {
      await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const id = c.req.valid('param').id;
        const before = await groupView(tx, id);
        await markDirty(tx, tenantId, sql`group_id = ${id}`);
        await tx.execute(sql`delete from prepaid_groups where id = ${id}`);
        await recordAudit(tx, tenantId, meta, {
          action: 'prepaid.group.delete',
          targetType: 'prepaid-group',
          targetId: id,
          before,
        });
      });
      return c.body(null, 204);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/holidays/{year}',
      tag,
      summary: "The tenant's holiday calendar for a year",
      params: YearParam,
      response: HolidaysView,
    }),
    async (c) => {
      const year = Number(c.req.valid('param').year);
      const days = await inTenant(p, c, READ, (tx) => listHolidays(tx, year));
      return c.json({ year, days }, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'put',
      path: '/holidays/{year}',
      tag,
      summary: "Replace a year's holidays and make-up working days (tenant-wide users)",
      params: YearParam,
      body: HolidaysBody,
      response: HolidaysView,
    }),
    async (c) => {
      const year = Number(c.req.valid('param').year);
      const { days } = c.req.valid('json');
      const bad = days.findIndex((d) => !d.day.startsWith(`${year}-`));
      if (bad >= 0)
        throw new AppError('REQ_VALIDATION', 'Every day must lie in the year of the path', [
          { path: `days.${bad}.day`, message: `must be in ${year}` },
        ]);
      const seen = new Set<string>();
      days.forEach((d, i) => {
        if (seen.has(d.day))
          throw new AppError('REQ_VALIDATION', 'A day appears twice', [
            { path: `days.${i}.day`, message: 'repeated' },
          ]);
        seen.add(d.day);
      });
      const saved = await inTenant(p, c, MANAGE, async (tx, { actor, tenantId, meta }) => {
        requireWholeTenant(actor);
        const before = await listHolidays(tx, year);
        const after = await saveHolidays(
          tx,
          tenantId,
          year,
          days.map((d) => ({ ...d, name: d.name ?? '' })),
        );
        // pending cuts are looked at again against the new calendar
        await markDirty(tx, tenantId, sql`state = 'cut_pending'`);
        await recordAudit(tx, tenantId, meta, {
          action: 'prepaid.holidays.update',
          targetType: 'prepaid-holidays',
          targetId: String(year),
          before,
          after,
        });
        return after;
      });
      return c.json({ year, days: saved }, 200);
    },
  );

  return r;
}
