import { PassThrough, Readable } from 'node:stream';
import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Tx } from '../../db/client.ts';
import { areas, customers } from '../../db/schema/index.ts';
import { uuidArray } from '../../db/sql-helpers.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Platform } from '../../platform.ts';
import type { Actor } from '../identity/actor.ts';
import { AreaLookup } from './area-lookup.ts';
import { loadCustomFields } from './custom-fields.ts';
import { customerColumns } from './customer-columns.ts';
import type { Lang } from './entity.ts';
import { headersFor } from './sheets.ts';

export interface CustomerFilter {
  area?: string;
  status?: 'active' | 'closed';
  type?: string;
  q?: string;
}

const BATCH = 1000;
/** Export carries the customer's own columns and facts; accounts are exported with their own list. */
const EXPORTED = customerColumns.filter(
  (c) =>
    !['accountNumber', 'billingMode', 'readingDay', 'billingCycleMonths', 'deposit', 'factsFrom'].includes(
      c.key,
    ),
);

/** 138****5678; ID numbers keep the first 4 and last 4. */
export function mask(value: string | null, keepStart: number, keepEnd: number): string {
  if (!value) return '';
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length);
  return value.slice(0, keepStart) + '*'.repeat(value.length - keepStart - keepEnd) + value.slice(-keepEnd);
}

function conditions(actor: Actor, f: CustomerFilter): SQL {
  const where: SQL[] = [];
  if (actor.areaScope) where.push(sql`${areas.path} && ${uuidArray(actor.areaScope)}`);
  if (f.area) where.push(sql`${areas.path} @> ${uuidArray([f.area])}`);
  if (f.status) where.push(eq(customers.status, f.status));
  if (f.type) where.push(sql`${customers.type} = ${f.type}`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(
      sql`(${customers.number} ilike ${like} or ${customers.name} ilike ${like} or ${customers.address} ilike ${like} or ${customers.phone} ilike ${like})`,
    );
  }
  return and(...where) ?? sql`true`;
}

const fact = (kind: string, today: string) =>
  sql<string | null>`(select f.value::text from customer_facts f where f.tenant_id = ${customers.tenantId}
    and f.customer_id = ${customers.id} and f.kind = ${kind} and f.effective_from <= ${today}::date
    order by f.effective_from desc limit 1)`;

async function writeRows(
  tx: Tx,
  ws: ExcelJS.Worksheet,
  actor: Actor,
  f: CustomerFilter,
  lang: Lang,
  today: string,
) {
  const lookup = await AreaLookup.load(tx);
  const fields = await loadCustomFields(tx, 'customer');
  ws.addRow(
    headersFor({ columns: EXPORTED } as never, fields, lang).map((h) => h.replace(/\*$/, '')),
  ).commit();
  const pii = actor.permissions.has('customers.pii');
  const yes = lang === 'en' ? 'yes' : '是';
  const no = lang === 'en' ? 'no' : '否';
  let after = '';
  for (;;) {
    const rows = await tx
      .select({
        c: customers,
        household: fact('household_size', today),
        heated: fact('heated_area_m2', today),
      })
      .from(customers)
      .innerJoin(areas, and(eq(areas.tenantId, customers.tenantId), eq(areas.id, customers.areaId)))
      .where(and(conditions(actor, f), gt(customers.number, after)))
      .orderBy(asc(customers.number))
      .limit(BATCH);
    for (const { c, household, heated } of rows) {
      const custom = (c.custom ?? {}) as Record<string, unknown>;
      const values: Record<string, unknown> = {
        number: c.number,
        name: c.name,
        type: c.type,
        phone: pii ? (c.phone ?? '') : mask(c.phone, 3, 4),
        idNumber: pii ? (c.idNumber ?? '') : mask(c.idNumber, 4, 4),
        address: c.address ?? '',
        area: lookup.byId.get(c.areaId)?.namePath ?? '',
        lowIncome: c.lowIncome ? yes : no,
        tags: c.tags.join(','),
        notes: c.notes,
        status: c.status,
        householdSize: household === null ? '' : String(Number(household)),
        heatedArea: heated === null ? '' : String(Number(heated)),
      };
      ws.addRow([
        ...EXPORTED.map((col) => values[col.key] ?? ''),
        ...fields.map((fd) => {
          const v = custom[fd.key];
          return typeof v === 'boolean' ? (v ? yes : no) : (v ?? '');
        }),
      ]).commit();
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1].c.number;
  }
}

/**
 * The filtered customers the actor may see, as an xlsx streamed while it is read (keyset batches
 * in one tenant transaction); phone and ID numbers masked without `customers.pii`.
 */
export function customerExportStream(
  p: Platform,
  actor: Actor,
  tenantId: string,
  filter: CustomerFilter,
  lang: Lang,
  today: string,
): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet(lang === 'en' ? 'Customers' : '用户档案');
  withTenant(p.db, tenantId, (tx) => writeRows(tx, ws, actor, filter, lang, today))
    .then(async () => {
      ws.commit();
      await wb.commit();
    })
    .catch((err) => {
      p.logger.error({ err }, 'customer export failed');
      out.destroy(err as Error);
    });
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
