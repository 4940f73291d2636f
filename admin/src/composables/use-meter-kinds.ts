import { computed, ref } from 'vue';
import { type MeterKind, metersApi } from '../api/meters.ts';
import { localTitle } from '../i18n/index.ts';
import { useSessionStore } from '../stores/session.ts';

export type MeterKindOption = Pick<MeterKind, 'id' | 'title'>;

/** The meter kinds (the running meter-type plugins), readable by anyone holding meters.read. */
export function useMeterKinds() {
  const session = useSessionStore();
  const kinds = ref<MeterKind[]>([]);
  const titles = computed(() => new Map(kinds.value.map((k) => [k.id, k.title])));

  async function load(): Promise<void> {
    if (!session.can('meters.read')) return;
    try {
      kinds.value = (await metersApi.kinds()).items;
    } catch {
      kinds.value = [];
    }
  }

  /** The kind's title in the current language, else its id. */
  const kindName = (id: string) => localTitle(titles.value.get(id), id);

  /** The kind's registers (key, title, unit …); the main register comes first. */
  const registersOf = (id: string) => kinds.value.find((k) => k.id === id)?.registers ?? [];

  return { kinds, kindName, registersOf, load };
}
