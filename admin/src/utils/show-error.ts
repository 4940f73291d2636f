import { ElMessage } from 'element-plus';
import { ApiError } from '../api/api-error.ts';
import { i18n } from '../i18n/index.ts';

/** The text shown for a failed call: a translated hint for known codes, the server message, the code. */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const { t, te, locale } = i18n.global;
  const key = `errors.${err.code}`;
  const hint = te(key) ? t(key) : '';
  const parts = locale.value === 'en' || !hint ? [err.message] : [hint, err.message];
  return `${parts.join('：')} (${err.code})`;
}

/** Shows any error from an API call as a message toast. */
export function showError(err: unknown): void {
  if (err instanceof ApiError && err.requestId) console.warn(`request ${err.requestId}: ${err.code}`);
  ElMessage({ type: 'error', message: errorText(err), showClose: true, duration: 5000 });
}
