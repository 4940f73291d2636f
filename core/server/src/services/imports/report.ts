import type { Outcome, RowError } from './entity.ts';

export interface ErrorRow {
  row: number;
  /** the original cells by header, as uploaded (NUL shown as \0, long values cut) */
  values: Record<string, string>;
  reasons: RowError[];
}

export interface ImportReport {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  /** the file-level problem that stopped the import (missing column, unreadable file) */
  fatal?: { code: string; message: string };
  headers: string[];
  /** columns in the file that the entity does not know (ignored) */
  ignoredColumns: string[];
  errorRows: ErrorRow[];
  /** true when more error rows exist than are stored */
  errorRowsTruncated: boolean;
}

export const MAX_ERROR_ROWS = 20_000;

export function emptyReport(): ImportReport {
  return {
    total: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    errors: 0,
    headers: [],
    ignoredColumns: [],
    errorRows: [],
    errorRowsTruncated: false,
  };
}

export function count(report: ImportReport, outcome: Outcome): void {
  report[outcome]++;
}

/** One line of text per reason, for the error sheet: `Column: message`. */
export function reasonText(reasons: RowError[], headerOf: (key: string) => string): string {
  return reasons.map((r) => (r.column ? `${headerOf(r.column)}: ${r.message}` : r.message)).join('; ');
}
