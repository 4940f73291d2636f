import { ElMessage } from 'element-plus';
import { h } from 'vue';
import { ApiError } from '../api/api-error.ts';
import { i18n } from '../i18n/index.ts';
import { errorCode, errorText } from './error-text.ts';

export { errorCode, errorText } from './error-text.ts';

/** Shows any error from an API call as a toast: the localized message, the code in small print. */
export function showError(err: unknown): void {
  if (err instanceof ApiError) console.warn(`request ${err.requestId ?? '-'}: ${err.code} ${err.message}`);
  else console.error(err);
  const code = errorCode(err);
  const message = h('span', { 'data-test': 'error-toast' }, [
    errorText(err),
    code
      ? h('small', { class: 'error-code', title: i18n.global.t('common.errorCode', { code }) }, code)
      : null,
  ]);
  ElMessage({ type: 'error', message, showClose: true, duration: 5000 });
}
