import type { FormInstance } from 'element-plus';
import { type MaybeRefOrGetter, type Ref, reactive, ref, toValue } from 'vue';
import { applyFieldErrors } from '../utils/field-errors.ts';
import { useDialogSave } from './use-dialog-save.ts';

/**
 * An el-form in a create/edit dialog: the form's ref (bind it with `ref="formRef"`), the field errors
 * the server reported (for el-form-item `:error`), and a submit that validates, runs `save`, and on
 * success toasts "saved" or "created", closes the dialog and emits `saved`.
 */
export function useDialogForm(
  open: Ref<boolean>,
  isEdit: MaybeRefOrGetter<boolean>,
  save: () => Promise<unknown>,
  emit: (event: 'saved') => void,
) {
  const formRef = ref<FormInstance>();
  const serverErrors = reactive<Record<string, string>>({});
  const { saving, save: saveAndClose } = useDialogSave(open);

  /** Clears what the last attempt left; called when the dialog opens. */
  function resetForm(): void {
    applyFieldErrors(serverErrors, null);
    formRef.value?.clearValidate();
  }

  async function submit(): Promise<void> {
    if (!(await formRef.value?.validate().catch(() => false))) return;
    applyFieldErrors(serverErrors, null);
    await saveAndClose(save, {
      message: toValue(isEdit) ? 'common.saved' : 'common.created',
      onSaved: () => emit('saved'),
      onError: (e) => applyFieldErrors(serverErrors, e),
    });
  }

  return { formRef, serverErrors, saving, resetForm, submit };
}
