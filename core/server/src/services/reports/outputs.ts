import { PassThrough, Readable } from 'node:stream';
import { AppError } from '@quadmeter/sdk';
import type { Tx } from '../../db/client.ts';
import { htmlToPdf } from '../documents/pdf.ts';
import type { Actor } from '../identity/actor.ts';
import { runDataset } from './catalogue.ts';
import { layoutOf } from './layouts.ts';
import { printPage, renderLayout, reportView } from './render.ts';
import type { Lang, ReportDataset, Row } from './types.ts';
import { writeReportXlsx } from './xlsx.ts';

export interface OutputRequest {
  tx: Tx;
  actor: Actor;
  timeZone: string;
  ds: ReportDataset;
  params: Record<string, unknown>;
  lang: Lang;
  version?: number;
}

/** The print page of a report: its layout in force (or a named version) over the dataset's rows. */
export async function reportHtml(r: OutputRequest): Promise<string> {
  const layout = await layoutOf(r.tx, r.ds, r.version);
  const rows = await runDataset(r, r.ds, r.params);
  const view = reportView(r.ds, r.params, rows, r.lang, new Date().toISOString());
  return printPage(renderLayout(layout.source, view, r.timeZone), view.title, layout.orientation, r.lang);
}

/** PDF through headless Chromium; REPORT_PDF_UNAVAILABLE (503) where it is missing. */
export async function reportPdf(html: string): Promise<Uint8Array> {
  try {
    return await htmlToPdf(html);
  } catch (err) {
    if (err instanceof AppError && err.code === 'DOCUMENT_PDF_UNAVAILABLE')
      throw new AppError('REPORT_PDF_UNAVAILABLE', undefined, err.details);
    throw err;
  }
}

/** The xlsx download, streamed from the rows (written while the client reads). */
export function xlsxStream(ds: ReportDataset, rows: Row[], lang: Lang, onError: (e: unknown) => void) {
  const out = new PassThrough();
  writeReportXlsx(out, ds, rows, lang).catch((err) => {
    onError(err);
    out.destroy(err as Error);
  });
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** Two made-up rows shaped like the dataset's columns: a layout is checked on them before it is saved. */
export function sampleRows(ds: ReportDataset): Row[] {
  const one = (i: number): Row =>
    Object.fromEntries(
      ds.columns.map((c) => [
        c.key,
        c.type === 'text'
          ? `${c.label['zh-CN']}${i}`
          : c.type === 'date'
            ? '2026-01-0' + i
            : c.type === 'money'
              ? 12345 * i
              : c.type === 'percent'
                ? 0.5
                : 10 * i,
      ]),
    );
  return [one(1), one(2)];
}
