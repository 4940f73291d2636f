import { computed, ref } from 'vue';
import { type Area, areasApi } from '../api/areas.ts';
import { buildAreaTree } from '../utils/area-tree.ts';
import { useLoading } from './use-loading.ts';

/** The areas visible to the session, flat and as a tree, with names by id. */
export function useAreas() {
  const areas = ref<Area[]>([]);
  const { loading, track } = useLoading();
  const tree = computed(() => buildAreaTree(areas.value));
  const names = computed(() => new Map(areas.value.map((a) => [a.id, a.name])));

  function load(): Promise<void> {
    return track(async () => {
      areas.value = (await areasApi.list()).items;
    });
  }

  return { areas, loading, tree, names, load };
}
