import { ElMessage } from 'element-plus';
import { type Ref, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { showError } from '../utils/show-error.ts';

export interface DialogSaveOptions<T> {
  /** The message key of the success toast. */
  message: 'common.saved' | 'common.created';
  /** Runs after the dialog has closed, with what the call returned. */
  onSaved: (result: T) => void;
  /** Runs with a failure before its toast, e.g. to mark the fields the server refused. */
  onError?: (err: unknown) => void;
}

/** Saving from a dialog: the saving flag, then a success toast and closing, or the error toast. */
export function useDialogSave(open: Ref<boolean>) {
  const { t } = useI18n();
  const saving = ref(false);

  async function save<T>(call: () => Promise<T>, options: DialogSaveOptions<T>): Promise<void> {
    saving.value = true;
    try {
      const result = await call();
      ElMessage.success(t(options.message));
      open.value = false;
      options.onSaved(result);
    } catch (e) {
      options.onError?.(e);
      showError(e);
    } finally {
      saving.value = false;
    }
  }

  return { saving, save };
}
