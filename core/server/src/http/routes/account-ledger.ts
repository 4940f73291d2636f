import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Platform } from '../../platform.ts';
import { getAccount } from '../../services/archives/accounts.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { recordAudit } from '../../services/audit/record.ts';
import {
  allocate,
  balanceOf,
  listEntries,
  postEntries,
  statementOf,
  statementXlsx,
} from '../../services/billing/ledger/index.ts';
import { XLSX_TYPE } from '../../services/imports/sheets.ts';
import type { AppEnv } from '../env.ts';
import { ErrorSchema, IdParam, inTenant, jsonRoute, z } from '../route-kit.ts';
import {
  AdjustmentBody,
  AdjustmentResult,
  LedgerPage,
  LedgerQuery,
  Statement,
  StatementQuery,
  StatementXlsxQuery,
} from './ledger-schemas.ts';

const tag = 'ledger';

/**
 * An account's ledger, statement (对账单, JSON and xlsx) and manual adjustments, on the accounts
 * router: the account must lie in the actor's area scope (else 404), as every account route.
 */
export function addAccountLedgerRoutes(p: Platform, r: OpenAPIHono<AppEnv>) {
  const today = () => todayIn(p.config.QUADMETER_TIMEZONE);

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/ledger',
      tag,
      summary: "An account's ledger entries, newest first, with the balance after each (keyset pages)",
      params: IdParam,
      query: LedgerQuery,
      response: LedgerPage,
    }),
    async (c) => {
      const page = await inTenant(p, c, 'billing.read', async (tx, { actor }) => {
        const account = await getAccount(tx, actor, c.req.valid('param').id);
        const q = c.req.valid('query');
        const { items, next } = await listEntries(tx, account.id, q);
        return { balanceFen: (await balanceOf(tx, account.id)).balanceFen, items, next };
      });
      return c.json(page, 200);
    },
  );

  r.openapi(
    jsonRoute({
      method: 'get',
      path: '/{id}/statement',
      tag,
      summary:
        'Account statement (对账单): opening balance, entries with running balance, closing, open items',
      params: IdParam,
      query: StatementQuery,
      response: Statement,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'billing.read', async (tx, { actor }) => {
        const account = await getAccount(tx, actor, c.req.valid('param').id);
        const s = await statementOf(tx, account.id, { ...c.req.valid('query'), asOf: today() });
        return {
          ...s,
          accountNumber: account.number,
          balanceFen: (await balanceOf(tx, account.id)).balanceFen,
        };
      });
      return c.json(out, 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/statement.xlsx',
      tags: [tag],
      summary: 'The account statement as xlsx',
      request: { params: IdParam, query: StatementXlsxQuery },
      responses: {
        200: {
          description: 'xlsx',
          content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...Object.fromEntries(
          [400, 401, 403, 404].map((s) => [
            s,
            { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
          ]),
        ),
      },
    }),
    async (c) => {
      const { lang, ...period } = c.req.valid('query');
      const { file, number } = await inTenant(p, c, 'billing.read', async (tx, { actor }) => {
        const account = await getAccount(tx, actor, c.req.valid('param').id);
        const s = await statementOf(tx, account.id, { ...period, asOf: today() });
        return { file: await statementXlsx(s, account.number, lang), number: account.number };
      });
      return c.body(new Uint8Array(file), 200, {
        'content-type': XLSX_TYPE,
        'content-disposition': `attachment; filename="statement-${encodeURIComponent(number)}-${period.from}-${period.to}.xlsx"`,
      }) as never;
    },
  );

  r.openapi(
    jsonRoute({
      method: 'post',
      path: '/{id}/adjustments',
      tag,
      summary: 'Post a manual adjustment (+ credit, − charge) with a reason; allocates the account',
      params: IdParam,
      body: AdjustmentBody,
      response: AdjustmentResult,
    }),
    async (c) => {
      const out = await inTenant(p, c, 'billing.run', async (tx, { actor, tenantId, meta }) => {
        const account = await getAccount(tx, actor, c.req.valid('param').id);
        const body = c.req.valid('json');
        const [entry] = await postEntries(tx, [
          {
            accountId: account.id,
            kind: 'adjustment',
            amountFen: body.amountFen,
            category: body.category,
            businessKey: `adj:${body.idempotencyKey ?? crypto.randomUUID()}`,
            occurredOn: body.occurredOn ?? today(),
            createdBy: actor.id,
            memo: body.reason,
            meta: { reason: body.reason },
          },
        ]);
        await allocate(tx, account.id, { asOf: today() });
        if (entry.created)
          await recordAudit(tx, tenantId, meta, {
            action: 'ledger.adjust',
            targetType: 'account',
            targetId: account.id,
            areaPath: account.areaPath,
            after: {
              entryId: entry.id,
              amountFen: entry.amountFen,
              category: entry.category,
              reason: body.reason,
            },
          });
        return { entry, balanceFen: (await balanceOf(tx, account.id)).balanceFen };
      });
      return c.json(out, 201);
    },
  );
}
