import { AppError } from '@quadmeter/sdk';

/**
 * Runs one plugin hook with a deadline. A synchronous throw becomes a rejection; when the
 * deadline passes first, `onTimeout` runs (to abort the plugin's signal) and the result is
 * PLUGIN_HOOK_TIMEOUT, while the hook's own late outcome is ignored.
 */
export async function runHook<T>(
  pluginId: string,
  hook: string,
  timeoutMs: number,
  fn: () => T | Promise<T>,
  onTimeout?: () => void,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(
        new AppError(
          'PLUGIN_HOOK_TIMEOUT',
          `Plugin '${pluginId}' did not finish ${hook} within ${timeoutMs} ms`,
          {
            pluginId,
            hook,
            timeoutMs,
          },
        ),
      );
    }, timeoutMs);
  });
  const work = (async () => fn())();
  work.catch(() => {});
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
