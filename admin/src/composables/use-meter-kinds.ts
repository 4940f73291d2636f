import { computed, ref } from 'vue';
import { pluginsApi } from '../api/plugins.ts';
import { localTitle } from '../i18n/index.ts';
import { useSessionStore } from '../stores/session.ts';

export interface MeterKindOption {
  id: string;
  title: Record<string, string>;
}

/**
 * The meter kinds: the installed meter-type plugins that run. Read from the plugin catalogue, so a
 * session without plugins.read sees kinds by their ids only.
 */
export function useMeterKinds() {
  const session = useSessionStore();
  const kinds = ref<MeterKindOption[]>([]);
  const titles = computed(() => new Map(kinds.value.map((k) => [k.id, k.title])));

  async function load(): Promise<void> {
    if (!session.can('plugins.read')) return;
    try {
      const { items } = await pluginsApi.list();
      kinds.value = items
        .filter((p) => p.kind === 'meter-type' && p.status !== 'failed' && p.status !== 'disabled')
        .map((p) => ({ id: p.id, title: p.title }));
    } catch {
      kinds.value = [];
    }
  }

  /** The kind's title in the current language, else its id. */
  const kindName = (id: string) => localTitle(titles.value.get(id), id);

  return { kinds, kindName, load };
}
