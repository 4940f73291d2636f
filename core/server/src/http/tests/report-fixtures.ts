import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { Client } from '../../../test/client.ts';
import type { TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { demoAreas, inDemo } from './archive-fixtures.ts';
import { runWithBills } from './document-fixtures.ts';
import { customerWithAccount } from './payment-fixtures.ts';

/** Today in the tenant zone (Asia/Shanghai), YYYY-MM-DD. */
export function localToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

export interface Estate {
  /** area ids: the two communities and the marker areas created below them */
  sun: string;
  xfl: string;
  sunArea: string;
  xflArea: string;
  /** params that select the fixture rows, per report */
  params: Record<string, Record<string, unknown>>;
}

/**
 * One copy of every report's source rows in each of two communities: 阳光花园小区 (names carry
 * "SUN") and 幸福里小区 (names carry "XFL"), so a scoped user's output can be searched for the
 * other community's marker in any format. Rows are written straight into the tables (the
 * engines that normally write them have their own tests).
 */
export async function buildEstate(p: TestPlatform, admin: Client): Promise<Estate> {
  const areas = await demoAreas(admin);
  const sun = areas.阳光花园小区!.id;
  const xfl = areas.幸福里小区!.id;
  const mk = async (parentId: string, name: string) => {
    const r = await admin.post('/api/v1/areas', { parentId, name, kind: 'building' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const sunArea = await mk(sun, 'SUN-AREA');
  const xflArea = await mk(xfl, 'XFL-AREA');
  const accounts = {
    SUN: (await customerWithAccount(admin, sunArea, 'SUN1')).accountId,
    XFL: (await customerWithAccount(admin, xflArea, 'XFL1')).accountId,
  };
  const shift = await admin.post('/api/v1/cashier-shifts', { openingFloatFen: 0 });
  expect(shift.status).toBe(201);
  const run = await runWithBills(p, [accounts.SUN, accounts.XFL]);
  const today = localToday();
  const month = today.slice(0, 7);
  await inDemo(p, async (tx) => {
    for (const [tag, area] of [
      ['SUN', sunArea],
      ['XFL', xflArea],
    ] as const) {
      const account = accounts[tag];
      const [c] = await tx.execute<{
        id: string;
      }>(sql`insert into concentrators (tenant_id, number, name, a1, a2, area_id)
        values (app_tenant_id(), ${`${tag}-C1`}, '', ${tag === 'SUN' ? '4101' : '4102'}, ${tag === 'SUN' ? 1 : 2}, ${area})
        returning id`);
      const ids: Record<string, string> = {};
      for (const [i, asset] of [`${tag}-W1`, `${tag}-P1`, `${tag}-S1`].entries()) {
        const [m] = await tx.execute<{
          id: string;
        }>(sql`insert into meters (tenant_id, kind, asset_no, comm_address,
            protocol, area_id, account_id, status)
          values (app_tenant_id(), 'meter-water', ${asset}, ${`${tag === 'SUN' ? 7 : 8}0000000000${i}`}, 'cjt188',
            ${area}, ${account}, 'active') returning id`);
        ids[asset] = m!.id;
      }
      const w = ids[`${tag}-W1`]!;
      const parent = ids[`${tag}-P1`]!;
      const child = ids[`${tag}-S1`]!;
      await tx.execute(sql`insert into meter_relations (tenant_id, parent_id, child_id)
        values (app_tenant_id(), ${parent}, ${child})`);
      await tx.execute(sql`insert into consumption_daily (tenant_id, meter_id, day, usage, readings)
        values (app_tenant_id(), ${w}, ${today}::date, 3.5, 2)`);
      await tx.execute(sql`insert into consumption_monthly (tenant_id, meter_id, month, usage, readings)
        select app_tenant_id(), id, ${`${month}-01`}::date, u, 10
        from (values (${w}::uuid, 35.5), (${parent}::uuid, 100), (${child}::uuid, 92)) v(id, u)`);
      await tx.execute(sql`insert into readings (tenant_id, meter_id, kind, ts, value, received_at, idem_key)
        values (app_tenant_id(), ${w}, 1, now(), 1234.5, now(), ${`k-${tag}`})`);
      const [t] = await tx.execute<{
        id: string;
      }>(sql`insert into reading_tasks (tenant_id, target, kind, status)
        values (app_tenant_id(), 'meters', 'realtime', 'done') returning id`);
      await tx.execute(sql`insert into reading_task_meters (tenant_id, task_id, meter_id, area_id, concentrator_id, outcome)
        values (app_tenant_id(), ${t!.id}, ${w}, ${area}, ${c!.id}, 'ok'),
          (app_tenant_id(), ${t!.id}, ${parent}, ${area}, ${c!.id}, 'timeout')`);
      await tx.execute(sql`insert into prepaid_accounts (tenant_id, account_id, state, balance_fen)
        values (app_tenant_id(), ${account}, 'cut', -1234)`);
      await tx.execute(sql`insert into payments (tenant_id, account_id, method, amount_fen, tendered_fen, change_fen,
          shift_id, idempotency_key, cashier_id, cashier_name)
        values (app_tenant_id(), ${account}, 'cash', 12345, 12345, 0, ${shift.body.id}, ${`idem-${tag}-0001`},
          (select cashier_id from cashier_shifts where id = ${shift.body.id}), ${`${tag}-CASHIER`})`);
      await tx.execute(sql`update bill_lines set label = ${`${tag}-FEE`}
        where bill_id in (select id from bills where account_id = ${account}) and line_no = 1`);
    }
  });
  expect(run.billIds).toHaveLength(2);
  return {
    sun,
    xfl,
    sunArea,
    xflArea,
    params: {
      'daily-reading': { day: today },
      'monthly-consumption': { month },
      'reading-success': { from: today, to: today },
      arrears: { asOf: '2026-12-31' },
      'prepaid-balances': {},
      'loss-analysis': { month },
      'payments-daily': { day: today },
      'tariff-revenue': { month: '2026-10' },
    },
  };
}

/** What marks each report's rows of 阳光花园小区 in every output format. */
export const sunMarker: Record<string, string> = {
  'daily-reading': 'SUN-W1',
  'monthly-consumption': 'SUN-AREA',
  'reading-success': 'SUN-C1',
  arrears: 'PA-SUN1',
  'prepaid-balances': 'PA-SUN1',
  'loss-analysis': 'SUN-P1',
  'payments-daily': 'SUN-CASHIER',
  'tariff-revenue': 'SUN-FEE',
};

/** A binary download (PDF, xlsx) through the client's session. */
export async function download(c: Client, path: string, body: unknown) {
  const res = await fetch(c.baseUrl + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(c.cookie && { cookie: c.cookie }),
      ...(c.csrf && { 'x-csrf-token': c.csrf }),
      ...(c.bearer && { authorization: `Bearer ${c.bearer}` }),
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

/** Every cell of every sheet as text (numbers as their JS text). */
export async function xlsxCells(bytes: Buffer): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  const out: string[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        out.push(
          typeof cell.value === 'object' && cell.value !== null
            ? JSON.stringify(cell.value)
            : String(cell.value),
        );
      }),
    ),
  );
  return out;
}

/** The text of every page of a PDF (pdf.js). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const parts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    parts.push(content.items.map((it) => ('str' in it ? it.str : '')).join(''));
  }
  await doc.destroy();
  return parts.join('\n');
}

/** Rows of the report layout table over all tenants. */
export async function layoutCount(p: TestPlatform): Promise<number> {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute<{ n: number }>(sql`select count(*)::int as n from report_layout_versions`),
  );
  return row!.n;
}
