import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Client } from '../../../test/client.ts';
import type { TestPlatform } from '../../../test/platform.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import { tenantId } from './archive-fixtures.ts';
import { key } from './payment-fixtures.ts';

/** Takes a cash payment with `c` (whose shift is open) and returns its id. */
export async function pay(c: Client, accountId: string, amountFen = 500): Promise<string> {
  const r = await c.post('/api/v1/payments', {
    accountId,
    method: 'cash',
    amountFen,
    tenderedFen: amountFen,
    idempotencyKey: key(),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

/**
 * A finished bill run with one issued bill (two lines) per account, written straight into the
 * tables (the run engine has its own tests); answers the run id and the bill ids in order.
 */
export async function runWithBills(
  p: TestPlatform,
  accountIds: string[],
  tenant = 'demo',
  periodFrom = '2026-10-01',
  periodTo = '2026-11-01',
): Promise<{ runId: string; billIds: string[] }> {
  const t = await tenantId(p, tenant);
  return await withTenant(p.running.platform.db, t, async (tx) => {
    const [run] = await tx.execute<{
      id: string;
    }>(sql`insert into bill_runs (tenant_id, period_from, period_to, status)
      values (app_tenant_id(), ${periodFrom}, ${periodTo}, 'done') returning id`);
    const billIds: string[] = [];
    for (const [i, accountId] of accountIds.entries()) {
      const [bill] = await tx.execute<{
        id: string;
      }>(sql`insert into bills (tenant_id, number, run_id, account_id,
          area_id, period_from, period_to, status, total_fen, due_date, issued_at)
        select app_tenant_id(), ${`ZD-${run!.id.slice(0, 4)}-${i}`}, ${run!.id}, a.id, c.area_id, ${periodFrom},
          ${periodTo}, 'issued', 7920, '2026-11-15', now()
        from accounts a join customers c on c.id = a.customer_id where a.id = ${accountId} returning id`);
      await tx.execute(sql`insert into bill_lines (tenant_id, bill_id, line_no, category, component, label, quantity,
          unit, price, amount_fen)
        values (app_tenant_id(), ${bill!.id}, 1, 'usage', 'energy', '第一阶梯水费', 18, 'm³', 3.45, 6210),
          (app_tenant_id(), ${bill!.id}, 2, 'usage', 'sewage', '污水处理费', 18, 'm³', 0.95, 1710)`);
      billIds.push(bill!.id);
    }
    return { runId: run!.id, billIds };
  });
}

/** Rows of the document tables and document audit entries over all tenants. */
export async function documentCounts(p: TestPlatform) {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from documents)::int as documents,
      (select count(*) from documents where status = 'voided')::int as voided,
      (select count(*) from document_template_versions)::int as versions,
      (select count(*) from document_templates_current)::int as current,
      (select coalesce(sum(next_seq), 0)::int from document_series)::int as seq,
      (select count(*) from document_series)::int as series,
      (select count(*) from audit_log where action like 'document%')::int as audit`),
  );
  return row as Record<string, number>;
}
