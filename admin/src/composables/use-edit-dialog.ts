import { type Ref, ref } from 'vue';

/** The open flag of a create/edit dialog and the item it edits (null creates a new one). */
export function useEditDialog<T>() {
  const formOpen = ref(false);
  const editing = ref(null) as Ref<T | null>;

  function openForm(item: T | null): void {
    editing.value = item;
    formOpen.value = true;
  }

  return { formOpen, editing, openForm };
}
