import { ApiError } from '../api/api-error.ts';
import { i18n } from '../i18n/index.ts';

/**
 * What a person reads for a failed call: the message for its error code in the current language.
 * Unknown codes and non-API failures get a generic message; the code goes beside it (errorCode),
 * never mixed into the sentence, and the server's English message is not shown.
 */
export function errorText(err: unknown): string {
  const { t, te } = i18n.global;
  const key = err instanceof ApiError ? `errors.${err.code}` : '';
  return key && te(key) ? t(key) : t('errors.unknown');
}

/** The stable code of a failed call, for the small print and for support. */
export function errorCode(err: unknown): string | undefined {
  return err instanceof ApiError ? err.code : undefined;
}

/**
 * The text under a field the server refused. Its messages are English, so other languages show a
 * localized hint instead of mixing two languages in one form.
 */
export function fieldIssueText(serverMessage: string): string {
  const { t, locale } = i18n.global;
  return locale.value === 'en' && serverMessage ? serverMessage : t('errors.fieldInvalid');
}
