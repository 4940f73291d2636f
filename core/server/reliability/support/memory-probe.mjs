// Preloaded into a server process under the soak (node --expose-gc --import this file): every
// QUADMETER_PROBE_MS it forces a full GC and prints one line `QM_MEMORY {"at","rss","heapUsed"}` to
// stderr, which reliability/support/server-process.ts collects. The timer is unref'd: it never
// keeps the process alive.
const every = Number(process.env.QUADMETER_PROBE_MS ?? 0);
if (every > 0 && typeof globalThis.gc === 'function') {
  setInterval(() => {
    globalThis.gc();
    const m = process.memoryUsage();
    process.stderr.write(
      `QM_MEMORY ${JSON.stringify({ at: Date.now(), rss: m.rss, heapUsed: m.heapUsed })}\n`,
    );
  }, every).unref();
}
