import { and, asc, gt, sql } from 'drizzle-orm';
import type ExcelJS from 'exceljs';
import type { Tx } from '../../db/client.ts';
import { areas, customers } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import { type CustomerQuery, filters } from '../archives/customer-list.ts';
import { canSeePii, maskIdNumber, maskPhone } from '../archives/masking.ts';
import { customerArea } from '../archives/scope.ts';
import type { Actor } from '../identity/actor.ts';
import { AreaLookup } from './area-lookup.ts';
import { loadCustomFields } from './custom-fields.ts';
import { customerColumns } from './customer-columns.ts';
import type { Lang } from './entity.ts';
import { xlsxExportStream } from './export-stream.ts';
import { headersFor } from './sheets.ts';

export type CustomerFilter = Omit<CustomerQuery, 'limit' | 'sort' | 'after'>;

const BATCH = 1000;
/** Export carries the customer's own columns and facts; accounts are exported with their own list. */
const EXPORTED = customerColumns.filter(
  (c) =>
    !['accountNumber', 'billingMode', 'readingDay', 'billingCycleMonths', 'deposit', 'factsFrom'].includes(
      c.key,
    ),
);

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
  const pii = canSeePii(actor);
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
      .innerJoin(areas, customerArea)
      .where(and(...filters(actor, f), gt(customers.number, after)))
      .orderBy(asc(customers.number))
      .limit(BATCH);
    for (const { c, household, heated } of rows) {
      const custom = (c.custom ?? {}) as Record<string, unknown>;
      const values: Record<string, unknown> = {
        number: c.number,
        name: c.name,
        type: c.type,
        phone: (pii ? c.phone : maskPhone(c.phone)) ?? '',
        idNumber: (pii ? c.idNumber : maskIdNumber(c.idNumber)) ?? '',
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
  return xlsxExportStream(p, tenantId, lang === 'en' ? 'Customers' : '用户档案', (tx, ws) =>
    writeRows(tx, ws, actor, filter, lang, today),
  );
}
