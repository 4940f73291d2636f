import { computed, ref } from 'vue';
import { type Area, areasApi } from '../api/areas.ts';
import { buildAreaTree } from '../utils/area-tree.ts';
import { showError } from '../utils/show-error.ts';

/** The areas visible to the session, flat and as a tree, with names by id. */
export function useAreas() {
  const areas = ref<Area[]>([]);
  const loading = ref(false);
  const tree = computed(() => buildAreaTree(areas.value));
  const names = computed(() => new Map(areas.value.map((a) => [a.id, a.name])));

  async function load(): Promise<void> {
    loading.value = true;
    try {
      areas.value = (await areasApi.list()).items;
    } catch (e) {
      showError(e);
    } finally {
      loading.value = false;
    }
  }

  return { areas, loading, tree, names, load };
}
