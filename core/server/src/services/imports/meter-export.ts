import { inArray } from 'drizzle-orm';
import type ExcelJS from 'exceljs';
import type { Tx } from '../../db/client.ts';
import { accounts, collectors, concentrators } from '../../db/schema/index.ts';
import type { Platform } from '../../platform.ts';
import { listMeters, type MeterFilter } from '../archives/meter-list.ts';
import type { MeterDto } from '../archives/meters.ts';
import type { Actor } from '../identity/actor.ts';
import { AreaLookup } from './area-lookup.ts';
import { loadCustomFields } from './custom-fields.ts';
import type { Lang } from './entity.ts';
import { xlsxExportStream } from './export-stream.ts';
import { meterColumns } from './meter-columns.ts';
import { headersFor } from './sheets.ts';

const BATCH = 500;
const STATUS_HEADER = { 'zh-CN': '状态', en: 'Status' } as const;

/** Number of each referenced account, collector and concentrator of a page, in three queries. */
async function numbersOf(tx: Tx, page: MeterDto[]) {
  const ids = (pick: (m: MeterDto) => string | null | undefined) => [
    ...new Set(page.map(pick).filter((x): x is string => !!x)),
  ];
  const accountIds = ids((m) => m.accountId);
  const collectorIds = ids((m) => m.route?.collectorId);
  const concentratorIds = ids((m) => m.route?.concentratorId);
  const [a, col, con] = await Promise.all([
    accountIds.length
      ? tx
          .select({ id: accounts.id, n: accounts.number })
          .from(accounts)
          .where(inArray(accounts.id, accountIds))
      : [],
    collectorIds.length
      ? tx
          .select({ id: collectors.id, n: collectors.number })
          .from(collectors)
          .where(inArray(collectors.id, collectorIds))
      : [],
    concentratorIds.length
      ? tx
          .select({ id: concentrators.id, n: concentrators.number })
          .from(concentrators)
          .where(inArray(concentrators.id, concentratorIds))
      : [],
  ]);
  const map = (rows: { id: string; n: string }[]) => new Map(rows.map((r) => [r.id, r.n]));
  return { account: map(a), collector: map(col), concentrator: map(con) };
}

/** A meter as the cells of the import sheet (so an exported file imports back unchanged). */
function cellsOf(
  m: MeterDto,
  area: string,
  n: Awaited<ReturnType<typeof numbersOf>>,
): Record<string, unknown> {
  const r = m.route;
  return {
    assetNo: m.assetNo,
    kind: m.kind,
    protocol: m.protocol,
    commAddress: m.commAddress,
    vendorProfile: m.vendorProfile,
    model: m.model,
    vendor: m.vendor,
    ctRatio: m.ctRatio,
    ptRatio: m.ptRatio,
    digits: m.digits,
    initialReading: m.initialReading,
    installDate: m.installDate,
    location: m.location,
    area,
    accountNumber: m.accountId ? n.account.get(m.accountId) : null,
    control: m.control,
    via: r?.via,
    line: r?.via === 'serial' ? r.line : null,
    baud: r?.baud,
    parity: r?.parity,
    collector: r?.collectorId ? n.collector.get(r.collectorId) : null,
    channel: r?.channel,
    concentrator: r?.concentratorId ? n.concentrator.get(r.concentratorId) : null,
    pointNo: r?.pointNo,
    port: r?.port,
    platform: r?.via === 'nbiot' ? r.line : null,
    deviceId: r?.via === 'nbiot' && r.address !== m.commAddress ? r.address : null,
  };
}

async function writeRows(tx: Tx, ws: ExcelJS.Worksheet, actor: Actor, f: MeterFilter, lang: Lang) {
  const lookup = await AreaLookup.load(tx);
  const fields = await loadCustomFields(tx, 'meter');
  const headers = headersFor({ columns: meterColumns } as never, fields, lang).map((h) =>
    h.replace(/\*$/, ''),
  );
  ws.addRow([...headers, STATUS_HEADER[lang]]).commit();
  const yes = lang === 'en' ? 'yes' : '是';
  const no = lang === 'en' ? 'no' : '否';
  let after: string | undefined;
  for (;;) {
    const page = await listMeters(tx, actor, f, { after, limit: BATCH });
    const n = await numbersOf(tx, page.items);
    for (const m of page.items) {
      const cells = cellsOf(m, lookup.byId.get(m.areaId)?.namePath ?? '', n);
      ws.addRow([
        ...meterColumns.map((c) => cells[c.key] ?? ''),
        ...fields.map((fd) => {
          const v = m.custom[fd.key];
          return typeof v === 'boolean' ? (v ? yes : no) : (v ?? '');
        }),
        m.status,
      ]).commit();
    }
    if (!page.next) break;
    after = page.next;
  }
}

/**
 * The filtered meters the actor may see (the meter list's filter and search), as an xlsx in the
 * import sheet's columns plus the status, streamed while it is read.
 */
export function meterExportStream(
  p: Platform,
  actor: Actor,
  tenantId: string,
  filter: MeterFilter,
  lang: Lang,
): ReadableStream<Uint8Array> {
  return xlsxExportStream(p, tenantId, lang === 'en' ? 'Meters' : '表计档案', (tx, ws) =>
    writeRows(tx, ws, actor, filter, lang),
  );
}
