import { type Ref, reactive, ref } from 'vue';
import type { Page } from '../api/http.ts';
import { useLoading } from './use-loading.ts';

/** The page a paginated list asks for. */
export interface Paging {
  page: number;
  pageSize: number;
}

/** A list the server paginates: the current page of rows, the total, and the paging state. */
export function usePagedList<T>(fetch: (paging: Paging) => Promise<Page<T>>) {
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  const paging = reactive<Paging>({ page: 1, pageSize: 20 });
  const { loading, track } = useLoading();

  function load(): Promise<void> {
    return track(async () => {
      const res = await fetch(paging);
      rows.value = res.items;
      total.value = res.total;
    });
  }

  /** A new query (or page size) starts again at the first page. */
  function search(): void {
    paging.page = 1;
    load();
  }

  return { rows, total, paging, loading, load, search };
}
