import type { ImportEntity, RowReason } from '../api/imports.ts';
import { i18n } from '../i18n/index.ts';

/** The name of an importable entity in the current language (its code when the admin lacks one). */
export function importEntityLabel(name: string): string {
  const { t, te } = i18n.global;
  return te(`imports.entities.${name}`) ? t(`imports.entities.${name}`) : name;
}

/** The header of a column in the current language, else its key (a custom field). */
export function importColumnLabel(entity: ImportEntity | undefined, key: string): string {
  const locale = i18n.global.locale.value === 'en' ? 'en' : 'zh-CN';
  return entity?.columns.find((c) => c.key === key)?.header[locale] ?? key;
}

/**
 * Why a row was refused, in the reader's language: English shows the server's precise message,
 * Chinese the message for the reason's code (a code this build does not know reads as "invalid").
 */
export function importReasonText(entity: ImportEntity | undefined, r: RowReason): string {
  const { t, te, locale } = i18n.global;
  // a duplicate names the row it repeats
  const row = /\brow (\d+)/.exec(r.message)?.[1] ?? '';
  const key = `imports.reasons.${r.code}`;
  const text = locale.value === 'en' ? r.message : te(key) ? t(key, { row }) : t('imports.reasons.invalid');
  return r.column ? `${importColumnLabel(entity, r.column)}: ${text}` : text;
}
