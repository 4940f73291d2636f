import { ref } from 'vue';
import { type CustomField, type CustomFieldEntity, customFieldsApi } from '../api/custom-fields.ts';
import { localTitle } from '../i18n/index.ts';
import { useSessionStore } from '../stores/session.ts';

/** The custom fields the tenant defined for an entity, in their order; empty without read access. */
export function useCustomFields(entity: CustomFieldEntity, permission: string) {
  const fields = ref<CustomField[]>([]);
  const session = useSessionStore();

  async function load(): Promise<void> {
    if (!session.can(permission)) return;
    try {
      fields.value = (await customFieldsApi.list(entity)).items;
    } catch {
      // the form still works without its custom fields; the list page shows the failure
      fields.value = [];
    }
  }

  const label = (f: CustomField) => localTitle(f.label, f.key);
  return { fields, load, label };
}
