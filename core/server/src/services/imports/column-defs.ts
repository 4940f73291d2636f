import type { ColumnDef } from './entity.ts';
import { parseInt32, parseText } from './parse.ts';

/** A text column of at most `max` characters (`extra` may replace the parser or add an example). */
export const textColumn = (
  key: string,
  zh: string,
  en: string,
  max: number,
  extra: Partial<ColumnDef> = {},
): ColumnDef => ({
  key,
  header: { 'zh-CN': zh, en },
  max,
  parse: (s) => parseText(s, max),
  ...extra,
});

/** A whole-number column within [min, max]. */
export const intColumn = (
  key: string,
  zh: string,
  en: string,
  min: number,
  max: number,
  example?: string,
): ColumnDef => ({
  key,
  header: { 'zh-CN': zh, en },
  max: 12,
  parse: (s) => parseInt32(s, min, max),
  example,
});
