import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Tx } from '../../db/client.ts';
import { withTenant } from '../../db/tenant.ts';
import type { Platform } from '../../platform.ts';

/**
 * An xlsx of one worksheet streamed while `write` fills it in one tenant transaction (rows are
 * committed as they are added, so memory stays flat); a failure mid-way ends the download with an error.
 */
export function xlsxExportStream(
  p: Platform,
  tenantId: string,
  sheetName: string,
  write: (tx: Tx, ws: ExcelJS.Worksheet) => Promise<void>,
): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet(sheetName);
  withTenant(p.db, tenantId, (tx) => write(tx, ws))
    .then(async () => {
      ws.commit();
      await wb.commit();
    })
    .catch((err) => {
      p.logger.error({ err, sheet: sheetName }, 'xlsx export failed');
      out.destroy(err as Error);
    });
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
