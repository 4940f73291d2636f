import { AppError } from '@quadmeter/sdk';
import { renderSandboxed, TemplateFault } from '../templating/sandbox.ts';
import { reportHelpers } from './helpers.ts';
import type { Lang, ReportColumn, ReportDataset, Row } from './types.ts';

export const MAX_LAYOUT = 65_536;
/** a printed report is at most this large; beyond it export to Excel */
const MAX_OUTPUT = 30_000_000;
/** iterations a layout may spend beyond a few passes over its rows */
const LOOP_ALLOWANCE = 200_000;

export type Orientation = 'portrait' | 'landscape';

/** What a layout sees — the dataset's rows and columns and nothing else. */
export interface ReportView {
  title: string;
  params: Record<string, unknown>;
  columns: { key: string; type: string; label: string; sum: boolean; decimals: number | null }[];
  groupColumn: string | null;
  rows: Row[];
  generatedAt: string;
  lang: Lang;
}

export function reportView(
  ds: ReportDataset,
  params: Record<string, unknown>,
  rows: Row[],
  lang: Lang,
  generatedAt: string,
): ReportView {
  return {
    title: ds.title[lang],
    params,
    columns: ds.columns.map((c: ReportColumn) => ({
      key: c.key,
      type: c.type,
      label: c.label[lang],
      sum: c.sum ?? false,
      decimals: c.decimals ?? null,
    })),
    groupColumn: ds.groupBy,
    rows,
    generatedAt,
    lang,
  };
}

/**
 * Renders a report layout in the shared sandbox (no partials, no raw output, no prototype
 * access, only the report helpers, loops charged to a budget of a few passes over the rows);
 * REPORT_TEMPLATE_INVALID (422) with the line and column on any failure.
 */
export function renderLayout(source: string, view: ReportView, timeZone: string): string {
  try {
    return renderSandboxed(source, view, {
      noEscape: false,
      refuseRaw: true,
      helpers: reportHelpers,
      maxSource: MAX_LAYOUT,
      maxOutput: MAX_OUTPUT,
      budgetMs: 60_000,
      data: { timeZone, lang: view.lang, budget: { left: view.rows.length * 8 + LOOP_ALLOWANCE } },
    });
  } catch (err) {
    const f = err instanceof TemplateFault ? err : new TemplateFault(String(err), null, null);
    const at = f.line === null ? '' : ` (line ${f.line}${f.column === null ? '' : `, column ${f.column}`})`;
    throw new AppError('REPORT_TEMPLATE_INVALID', `The layout does not render${at}: ${f.message}`, {
      reason: f.message,
      line: f.line,
      column: f.column,
    });
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The print page around a rendered layout: A4 in the orientation, print CSS, no script. */
export function printPage(body: string, title: string, orientation: Orientation, lang: Lang): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
@page { size: A4 ${orientation}; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 10pt; color: #111; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
th, td { border: 1px solid #999; padding: 2px 6px; }
th { background: #eee; } td.n, th.n { text-align: right; }
tr.subtotal td { font-weight: bold; background: #f6f6f6; } tr.total td { font-weight: bold; background: #e8e8e8; }
thead { display: table-header-group; } tr { page-break-inside: avoid; }
h1 { font-size: 15pt; margin: 0 0 6px; } .meta { color: #555; margin-bottom: 8px; }
</style></head><body>${body}</body></html>`;
}
