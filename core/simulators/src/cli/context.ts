/** What a sim sub-command needs from its caller: where to print and when to stop. */
export interface SimContext {
  log: (line: string) => void;
  error: (line: string) => void;
  /** aborted on SIGINT/SIGTERM (or by a test) */
  signal: AbortSignal;
}

/** Resolves when the context's signal aborts. */
export function untilStopped(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** An AbortSignal that fires on the first SIGINT or SIGTERM; `dispose` removes the handlers. */
export function signalOnTermination(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
