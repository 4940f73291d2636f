import { type Ref, ref } from 'vue';
import type { CursorPage, CursorQuery } from '../api/cursor.ts';
import { useLoading } from './use-loading.ts';

/**
 * A list the server pages by keyset (a `next` cursor, no page numbers): the current rows, the
 * total (maybe estimated), and forward/back through the cursors seen so far. A new search starts
 * again at the first page.
 */
export function useKeysetList<T>(fetch: (query: CursorQuery) => Promise<CursorPage<T>>, limit = 20) {
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  /** the total is an estimate or a lower bound */
  const approximate = ref(false);
  const pageSize = ref(limit);
  /** cursors of the pages before the current one; the current page starts after the last of them */
  const trail = ref<(string | undefined)[]>([]);
  const current = ref<string | undefined>(undefined);
  const next = ref<string | null>(null);
  const { loading, track } = useLoading();

  function load(): Promise<void> {
    return track(async () => {
      const res = await fetch({ after: current.value, limit: pageSize.value });
      rows.value = res.items;
      total.value = res.total;
      approximate.value = Boolean(res.totalIsEstimate || res.totalCapped);
      next.value = res.next;
    });
  }

  function search(): Promise<void> {
    trail.value = [];
    current.value = undefined;
    return load();
  }

  function forward(): Promise<void> {
    if (!next.value) return Promise.resolve();
    trail.value = [...trail.value, current.value];
    current.value = next.value;
    return load();
  }

  function back(): Promise<void> {
    if (!trail.value.length) return Promise.resolve();
    current.value = trail.value[trail.value.length - 1];
    trail.value = trail.value.slice(0, -1);
    return load();
  }

  return { rows, total, approximate, pageSize, next, trail, loading, load, search, forward, back };
}
