import { billingModes } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import {
  accountDto,
  billingModeHistory,
  billingModeOn,
  createAccount,
  deleteAccount,
  getAccount,
  listAccounts,
  setBillingMode,
  updateAccount,
} from '../../services/archives/accounts.ts';
import { targetHistory } from '../../services/archives/history.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { auditedDelete } from '../audited-delete.ts';
import { IdParam, inTenant, jsonRoute, patchBody, router, z } from '../route-kit.ts';
import { addAccountLedgerRoutes } from './account-ledger.ts';
import {
  Account,
  AccountCreate,
  AccountListQuery,
  AccountPatch,
  BillingModeEntry,
  DateText,
  HistoryEntry,
  pageSchema,
} from './archive-schemas.ts';
import { addAccountMeterHistory } from './meter-lifecycle.ts';

const tag = 'accounts';

const AccountDetail = Account.extend({ billingModes: z.array(BillingModeEntry) }).openapi('AccountDetail');

export function accountRoutes(p: Platform) {
  const r = router();
  const today = () => todayIn(p.config.QUADMETER_TIMEZONE);

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Accounts within your scope, by number (keyset pages)',
      query: AccountListQuery,
      response: pageSchema(Account),
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'customers.read', (tx, { actor }) =>
          listAccounts(tx, actor, c.req.valid('query'), today()),
        ),
        200,
      ),
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Open an account',
      body: AccountCreate,
      response: Account,
    }),
    async (c) => {
      const made = await inTenant(p, c, 'customers.write', async (tx, { actor, tenantId, meta }) => {
        const input = c.req.valid('json');
        const row = await createAccount(tx, actor, tenantId, input, today());
        const dto = accountDto(row, await billingModeOn(tx, row.id, today()));
        await recordAudit(tx, tenantId, meta, {
          action: 'accounts.create',
          targetType: 'account',
          targetId: row.id,
          areaPath: row.areaPath,
          after: { ...dto, billingModes: await billingModeHistory(tx, row.id) },
        });
        return dto;
      });
      return c.json(made, 201);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'One account with its billing-mode history',
      params: IdParam,
      response: AccountDetail,
    }),
    async (c) => {
      const detail = await inTenant(p, c, 'customers.read', async (tx, { actor }) => {
        const row = await getAccount(tx, actor, c.req.valid('param').id);
        return {
          ...accountDto(row, await billingModeOn(tx, row.id, today())),
          billingModes: await billingModeHistory(tx, row.id),
        };
      });
      return c.json(detail, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag,
      summary: 'Change an account',
      params: IdParam,
      body: patchBody(AccountPatch),
      response: Account,
    }),
    async (c) => {
      const changed = await inTenant(p, c, 'customers.write', async (tx, { actor, tenantId, meta }) => {
        const { before, after } = await updateAccount(
          tx,
          actor,
          c.req.valid('param').id,
          c.req.valid('json'),
        );
        const mode = await billingModeOn(tx, after.id, today());
        const dto = accountDto(after, mode);
        await recordAudit(tx, tenantId, meta, {
          action:
            before.status !== after.status && after.status === 'closed'
              ? 'accounts.close'
              : 'accounts.update',
          targetType: 'account',
          targetId: after.id,
          areaPath: after.areaPath,
          before: accountDto(before, mode),
          after: dto,
        });
        return dto;
      });
      return c.json(changed, 200);
    },
  );

  auditedDelete(r, p, {
    tag,
    summary: 'Delete an account that holds no meters',
    permission: 'customers.write',
    remove: deleteAccount,
    audit: (before) => ({
      action: 'accounts.delete',
      targetType: 'account',
      targetId: before.id,
      areaPath: before.areaPath,
      before: accountDto(before, null),
    }),
  });

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/billing-modes',
      tag,
      summary: 'Switch prepaid/postpaid from a date on (same date replaces)',
      params: IdParam,
      body: z.object({ mode: z.enum(billingModes), effectiveFrom: DateText }).strict(),
      response: z.object({ billingModes: z.array(BillingModeEntry) }),
    }),
    async (c) => {
      const out = await inTenant(p, c, 'customers.write', async (tx, { actor, tenantId, meta }) => {
        const row = await getAccount(tx, actor, c.req.valid('param').id);
        const { mode, effectiveFrom } = c.req.valid('json');
        await setBillingMode(tx, tenantId, row.id, mode, effectiveFrom);
        await recordAudit(tx, tenantId, meta, {
          action: 'accounts.billing-mode',
          targetType: 'account',
          targetId: row.id,
          areaPath: row.areaPath,
          after: { mode, effectiveFrom },
        });
        return { billingModes: await billingModeHistory(tx, row.id) };
      });
      return c.json(out, 201);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/history',
      tag,
      summary: 'Change history of an account, newest first',
      params: IdParam,
      response: z.object({ items: z.array(HistoryEntry) }),
    }),
    async (c) => {
      const items = await inTenant(p, c, 'customers.read', async (tx, { actor }) => {
        const row = await getAccount(tx, actor, c.req.valid('param').id);
        return await targetHistory(tx, actor, 'account', row.id);
      });
      return c.json({ items }, 200);
    },
  );
  addAccountMeterHistory(p, r);
  addAccountLedgerRoutes(p, r);
  return r;
}
