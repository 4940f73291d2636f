/** Milliseconds per phase of a run, summed over calls (benches); absent: nothing is timed. */
export type Profile = Record<string, number> | undefined;

/** Runs fn, adding its wall time to profile[name] when profiling. */
export async function timed<T>(profile: Profile, name: string, fn: () => Promise<T> | T): Promise<T> {
  if (!profile) return await fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    profile[name] = (profile[name] ?? 0) + performance.now() - t0;
  }
}
