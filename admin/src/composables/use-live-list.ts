import { onScopeDispose, type Ref, ref } from 'vue';
import { showError } from '../utils/show-error.ts';

/** A keyset page as the control API answers it: `next` is the cursor of the page after. */
export interface NextPage<T> {
  items: T[];
  next: string | null;
}

/** The most rows one refresh asks for again; rows loaded beyond it keep their last known state. */
const REFRESH_CAP = 100;

/**
 * A list read page by page (`more`), refreshed every `intervalMs` while any row shown is still
 * open (a command queued or sent, a batch in flight). Polling stops when nothing is open and when
 * its component unmounts (or its effect scope ends).
 */
export function useLiveList<T extends { id: string }>(
  fetch: (q: { limit: number; after?: string }) => Promise<NextPage<T>>,
  isOpen: (row: T) => boolean,
  o: { pageSize?: number; intervalMs?: number } = {},
) {
  const pageSize = o.pageSize ?? 20;
  const intervalMs = o.intervalMs ?? 2000;
  const rows = ref<T[]>([]) as Ref<T[]>;
  const next = ref<string | null>(null);
  const loading = ref(false);
  const live = ref(false);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let generation = 0;

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = null;
    live.value = !stopped && rows.value.some(isOpen);
    if (live.value) timer = setTimeout(refresh, intervalMs);
  }

  /** The first page again (as many rows as are shown, up to the cap), keeping rows past it. */
  async function refresh() {
    const mine = generation;
    const limit = Math.min(Math.max(rows.value.length, pageSize), REFRESH_CAP);
    try {
      const page = await fetch({ limit });
      if (mine !== generation || stopped) return;
      if (rows.value.length <= REFRESH_CAP) {
        rows.value = page.items;
        next.value = page.next;
      } else {
        const fresh = new Set(page.items.map((r) => r.id));
        rows.value = [...page.items, ...rows.value.slice(limit).filter((r) => !fresh.has(r.id))];
      }
    } catch {
      // a failed refresh is tried again at the next tick; load() shows errors
    }
    if (mine === generation) schedule();
  }

  async function load(more = false) {
    const mine = ++generation;
    loading.value = true;
    try {
      const page = await fetch({ limit: pageSize, ...(more && next.value ? { after: next.value } : {}) });
      if (mine !== generation) return;
      rows.value = more
        ? [...rows.value, ...page.items.filter((r) => !rows.value.some((x) => x.id === r.id))]
        : page.items;
      next.value = page.next;
    } catch (e) {
      showError(e);
    } finally {
      loading.value = false;
    }
    if (mine === generation) schedule();
  }

  function stop() {
    stopped = true;
    generation++;
    if (timer) clearTimeout(timer);
    timer = null;
    live.value = false;
  }

  onScopeDispose(stop);
  return { rows, next, loading, live, load, refresh };
}
