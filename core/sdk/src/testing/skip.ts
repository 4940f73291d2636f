import { it } from 'vitest';

/**
 * Either a check runs, or it is skipped with the reason its author wrote down. A missing or
 * blank reason is itself a failing test, so no check disappears silently.
 */
export function checkOrSkip(name: string, reason: string | undefined, fn: () => unknown): void {
  if (reason === undefined) {
    it(name, fn);
  } else if (reason.trim().length < 8) {
    it(`${name}: skip reason`, () => {
      throw new Error(`skipping '${name}' needs a written reason, got '${reason}'`);
    });
  } else {
    it.skip(`${name} (skipped: ${reason.trim()})`, () => {});
  }
}

/** Resolves with the promise's value, or rejects once `ms` pass. */
export async function within<T>(ms: number, what: string, p: Promise<T> | T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(p), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
