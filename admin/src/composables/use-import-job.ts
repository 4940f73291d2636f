import { onBeforeUnmount, ref } from 'vue';
import { type ImportJob, importInFlight, importsApi } from '../api/imports.ts';
import { showError } from '../utils/show-error.ts';

const POLL_MS = 600;

/**
 * The import the wizard shows, polled while its job runs on the server. The job does not depend on
 * the page: leaving and reopening it (by id) picks up where the server is.
 */
export function useImportJob() {
  const job = ref<ImportJob | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let alive = true;

  function stop(): void {
    clearTimeout(timer);
    timer = undefined;
  }

  function schedule(): void {
    stop();
    if (alive && job.value && importInFlight(job.value)) timer = setTimeout(poll, POLL_MS);
  }

  async function poll(): Promise<void> {
    const id = job.value?.id;
    if (!id) return;
    try {
      const next = await importsApi.get(id);
      if (job.value?.id !== id) return; // another import was opened meanwhile
      job.value = next;
    } catch (e) {
      showError(e);
      return;
    }
    schedule();
  }

  /** Shows an import the server returned (after an upload or an apply) and follows it. */
  function follow(j: ImportJob): void {
    job.value = j;
    schedule();
  }

  async function open(id: string): Promise<void> {
    stop();
    try {
      follow(await importsApi.get(id));
    } catch (e) {
      job.value = null;
      showError(e);
    }
  }

  function clear(): void {
    stop();
    job.value = null;
  }

  onBeforeUnmount(() => {
    alive = false;
    stop();
  });

  return { job, follow, open, clear };
}
