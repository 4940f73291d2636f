import { ElMessage } from 'element-plus';
import { onMounted, type Reactive, reactive, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { showError } from '../utils/show-error.ts';
import { useLoading } from './use-loading.ts';

/**
 * A tenant settings page's form: starts from `defaults`, loads the stored settings on mount and
 * saves them, each time taking what the server answers. `loaded` and `beforeSave` let a page keep
 * fields edited in another unit (元 beside stored fen) in step with the form.
 */
export function useSettingsForm<T extends object>(
  defaults: T,
  api: { get: () => Promise<T>; put: (body: T) => Promise<T> },
  hooks: { loaded?: (form: Reactive<T>) => void; beforeSave?: (form: Reactive<T>) => void } = {},
) {
  const { t } = useI18n();
  const form = reactive(defaults);
  const saving = ref(false);
  const { loading, track } = useLoading();
  const take = (stored: T) => {
    Object.assign(form, stored);
    hooks.loaded?.(form);
  };

  const load = () => track(async () => take(await api.get()));

  async function save() {
    saving.value = true;
    try {
      hooks.beforeSave?.(form);
      // a plain copy: the reactive proxies (arrays too) are not sent as they are
      take(await api.put(JSON.parse(JSON.stringify(form)) as T));
      ElMessage.success(t('common.saved'));
    } catch (e) {
      showError(e);
    } finally {
      saving.value = false;
    }
  }
  onMounted(load);
  return { form, saving, loading, save, load };
}
