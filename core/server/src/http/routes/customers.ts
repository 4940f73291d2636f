import type { Platform } from '../../platform.ts';
import { listAccounts } from '../../services/archives/accounts.ts';
import { factHistory, insertFact } from '../../services/archives/customer-facts.ts';
import { listCustomers } from '../../services/archives/customer-list.ts';
import {
  createCustomer,
  customerDto,
  deleteCustomer,
  getCustomer,
  shownCustomer,
  updateCustomer,
} from '../../services/archives/customers.ts';
import { targetHistory } from '../../services/archives/history.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { recordAudit } from '../../services/audit/record.ts';
import { auditedDelete } from '../audited-delete.ts';
import { IdParam, inTenant, jsonRoute, patchBody, router, z } from '../route-kit.ts';
import {
  Account,
  AccountListQuery,
  Customer,
  CustomerCreate,
  CustomerDetail,
  CustomerListQuery,
  CustomerPatch,
  Fact,
  FactInput,
  FactsCurrent,
  HistoryEntry,
  pageSchema,
} from './archive-schemas.ts';
import { registerCustomerExport } from './customer-export.ts';

const tag = 'customers';

export function customerRoutes(p: Platform) {
  const r = router();
  const today = () => todayIn(p.config.QUADMETER_TIMEZONE);
  registerCustomerExport(r, p); // before '/{id}', so export.xlsx is not taken for an id

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/',
      tag,
      summary: 'Customers within your scope (filters, search q, keyset pages)',
      query: CustomerListQuery,
      response: pageSchema(Customer),
    }),
    async (c) =>
      c.json(
        await inTenant(p, c, 'customers.read', (tx, { actor }) =>
          listCustomers(tx, actor, c.req.valid('query')),
        ),
        200,
      ),
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/',
      tag,
      summary: 'Add a customer',
      body: CustomerCreate,
      response: Customer,
    }),
    async (c) => {
      const made = await inTenant(p, c, 'customers.write', async (tx, { actor, tenantId, meta }) => {
        const row = await createCustomer(tx, actor, tenantId, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'customers.create',
          targetType: 'customer',
          targetId: row.id,
          areaPath: row.areaPath,
          after: { ...customerDto(row), facts: c.req.valid('json').facts ?? [] },
        });
        return shownCustomer(actor, row);
      });
      return c.json(made, 201);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}',
      tag,
      summary: 'One customer with the facts in force today',
      params: IdParam,
      response: CustomerDetail,
    }),
    async (c) => {
      const detail = await inTenant(p, c, 'customers.read', async (tx, { actor }) => {
        const row = await getCustomer(tx, actor, c.req.valid('param').id);
        const { current } = await factHistory(tx, row.id, today());
        return { ...shownCustomer(actor, row), facts: current };
      });
      return c.json(detail, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'patch',
      path: '/{id}',
      tag,
      summary: 'Change a customer (status closed closes it)',
      params: IdParam,
      body: patchBody(CustomerPatch),
      response: Customer,
    }),
    async (c) => {
      const changed = await inTenant(p, c, 'customers.write', async (tx, { actor, tenantId, meta }) => {
        const { before, after } = await updateCustomer(
          tx,
          actor,
          c.req.valid('param').id,
          c.req.valid('json'),
        );
        await recordAudit(tx, tenantId, meta, {
          action:
            before.status !== after.status && after.status === 'closed'
              ? 'customers.close'
              : 'customers.update',
          targetType: 'customer',
          targetId: after.id,
          areaPath: after.areaPath,
          before: customerDto(before),
          after: customerDto(after),
        });
        return shownCustomer(actor, after);
      });
      return c.json(changed, 200);
    },
  );

  auditedDelete(r, p, {
    tag,
    summary: 'Delete a customer that holds no accounts (otherwise close it with PATCH status)',
    permission: 'customers.write',
    remove: deleteCustomer,
    audit: (before) => ({
      action: 'customers.delete',
      targetType: 'customer',
      targetId: before.id,
      areaPath: before.areaPath,
      before: customerDto(before),
    }),
  });

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/facts',
      tag,
      summary: 'Effective-dated facts: every value and the one in force today',
      params: IdParam,
      response: z.object({ items: z.array(Fact), current: FactsCurrent }),
    }),
    async (c) => {
      const facts = await inTenant(p, c, 'customers.read', async (tx, { actor }) => {
        const row = await getCustomer(tx, actor, c.req.valid('param').id);
        return await factHistory(tx, row.id, today());
      });
      return c.json(facts, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/facts',
      tag,
      summary: 'Record a fact from a date on (same kind and date replaces)',
      params: IdParam,
      body: FactInput,
      response: Fact,
    }),
    async (c) => {
      const fact = await inTenant(p, c, 'customers.write', async (tx, { actor, tenantId, meta }) => {
        const row = await getCustomer(tx, actor, c.req.valid('param').id, true);
        const saved = await insertFact(tx, tenantId, row.id, c.req.valid('json'));
        await recordAudit(tx, tenantId, meta, {
          action: 'customers.fact',
          targetType: 'customer',
          targetId: row.id,
          areaPath: row.areaPath,
          after: saved,
        });
        return saved;
      });
      return c.json(fact, 201);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/history',
      tag,
      summary: 'Change history from the audit log, newest first (PII masked without customers.pii)',
      params: IdParam,
      response: z.object({ items: z.array(HistoryEntry) }),
    }),
    async (c) => {
      const items = await inTenant(p, c, 'customers.read', async (tx, { actor }) => {
        const row = await getCustomer(tx, actor, c.req.valid('param').id);
        return await targetHistory(tx, actor, 'customer', row.id);
      });
      return c.json({ items }, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/accounts',
      tag,
      summary: 'The accounts of one customer',
      params: IdParam,
      query: AccountListQuery.omit({ customerId: true }),
      response: pageSchema(Account),
    }),
    async (c) => {
      const page = await inTenant(p, c, 'customers.read', async (tx, { actor }) => {
        const row = await getCustomer(tx, actor, c.req.valid('param').id);
        return await listAccounts(tx, actor, { ...c.req.valid('query'), customerId: row.id }, today());
      });
      return c.json(page, 200);
    },
  );
  return r;
}
