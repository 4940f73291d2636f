import ExcelJS from 'exceljs';
import type { Tx } from '../../db/client.ts';
import { type CustomField, customLabel, loadCustomFields } from './custom-fields.ts';
import type { EntityDef, Lang } from './entity.ts';
import { type ImportReport, reasonText } from './report.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The entity's headers in one language, required ones marked `*`, then the tenant's custom fields. */
export function headersFor(entity: EntityDef, fields: CustomField[], lang: Lang): string[] {
  return [
    ...entity.columns.map((c) => `${c.header[lang]}${c.required ? '*' : ''}`),
    ...fields.map((f) => `${customLabel(f, lang)}${f.required ? '*' : ''}`),
  ];
}

/** An empty sheet with the headers and one example row, and select lists as drop-downs. */
export async function templateXlsx(tx: Tx, entity: EntityDef, lang: Lang): Promise<Buffer> {
  const fields = await loadCustomFields(tx, entity.customFieldEntity);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(entity.name);
  const header = ws.addRow(headersFor(entity, fields, lang));
  header.font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.columns.forEach((c) => {
    c.width = 18;
  });
  ws.addRow([...entity.columns.map((c) => c.example ?? ''), ...fields.map(() => '')]);
  fields.forEach((f, i) => {
    if (f.type !== 'select' || !f.options?.length) return;
    const col = entity.columns.length + i + 1;
    for (let r = 2; r <= 1000; r++)
      ws.getCell(r, col).dataValidation = {
        type: 'list',
        allowBlank: !f.required,
        formulae: [`"${f.options.join(',')}"`],
      };
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The error rows as uploaded, each with its row number and the reasons. */
export async function errorReportXlsx(entity: EntityDef, report: ImportReport, lang: Lang): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(lang === 'en' ? 'Errors' : '错误');
  const rowLabel = lang === 'en' ? 'Row' : '行号';
  const reasonLabel = lang === 'en' ? 'Reason' : '错误原因';
  ws.addRow([rowLabel, ...report.headers, reasonLabel]).font = { bold: true };
  const headerOf = (key: string) => {
    if (key.startsWith('cf:')) return key.slice(3);
    return entity.columns.find((c) => c.key === key)?.header[lang] ?? key;
  };
  if (report.fatal) ws.addRow(['', ...report.headers.map(() => ''), report.fatal.message]);
  for (const e of report.errorRows)
    ws.addRow([e.row, ...report.headers.map((h) => e.values[h] ?? ''), reasonText(e.reasons, headerOf)]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
