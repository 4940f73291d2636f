import { ref } from 'vue';
import { showError } from '../utils/show-error.ts';

/** A loading flag held while a call runs; a failed call is shown as an error toast. */
export function useLoading() {
  const loading = ref(false);

  async function track(work: () => Promise<void>): Promise<void> {
    loading.value = true;
    try {
      await work();
    } catch (e) {
      showError(e);
    } finally {
      loading.value = false;
    }
  }

  return { loading, track };
}
