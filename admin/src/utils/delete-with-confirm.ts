import { ElMessage, ElMessageBox } from 'element-plus';
import { i18n } from '../i18n/index.ts';
import { showError } from './show-error.ts';

export type DeleteOutcome = 'cancelled' | 'deleted' | 'failed';

/** Asks before deleting `name`; on yes runs `remove` and shows a success or error toast. */
export async function deleteWithConfirm(
  name: string,
  remove: () => Promise<unknown>,
): Promise<DeleteOutcome> {
  const { t } = i18n.global;
  try {
    await ElMessageBox.confirm(t('common.confirmDelete', { name }), t('common.confirmTitle'), {
      type: 'warning',
      confirmButtonText: t('common.delete'),
      cancelButtonText: t('common.cancel'),
      confirmButtonClass: 'el-button--danger',
    });
  } catch {
    return 'cancelled';
  }
  try {
    await remove();
    ElMessage.success(t('common.deleted'));
    return 'deleted';
  } catch (e) {
    showError(e);
    return 'failed';
  }
}
