import type { CoreApi } from '../plugin/context.ts';
import type { SendResult } from './notifier.ts';

/** How many message ids a plugin instance remembers, and for how long. */
export const SENT_LOG_LIMIT = 20_000;
export const SENT_LOG_TTL_MS = 48 * 3_600_000;

/**
 * The ids this running plugin has delivered (per tenant), so that a second `send` of the same id
 * answers `duplicate: true` without contacting the provider, and two concurrent sends of one id
 * share one delivery. Bounded (oldest forgotten first) and in memory: the core outbox is the
 * durable record; this closes the window between a delivery and the outbox marking it sent.
 */
export class SentLog {
  private readonly done = new Map<string, { at: number; providerId?: string }>();
  private readonly inFlight = new Map<string, Promise<SendResult>>();

  private readonly limit: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(limit = SENT_LOG_LIMIT, ttlMs = SENT_LOG_TTL_MS, now: () => number = Date.now) {
    this.limit = limit;
    this.ttlMs = ttlMs;
    this.now = now;
  }

  /** Runs `deliver` once per key; repeats (also concurrent ones) answer as duplicates. */
  async once(key: string, deliver: () => Promise<string | undefined>): Promise<SendResult> {
    const seen = this.done.get(key);
    if (seen && this.now() - seen.at < this.ttlMs)
      return { duplicate: true, ...(seen.providerId !== undefined && { providerId: seen.providerId }) };
    const running = this.inFlight.get(key);
    if (running) return running.then((r) => ({ ...r, duplicate: true }));
    const p = (async (): Promise<SendResult> => {
      try {
        const providerId = await deliver();
        this.remember(key, providerId);
        return { duplicate: false, ...(providerId !== undefined && { providerId }) };
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, p);
    return p;
  }

  get size(): number {
    return this.done.size;
  }

  private remember(key: string, providerId: string | undefined): void {
    this.done.delete(key);
    this.done.set(key, { at: this.now(), ...(providerId !== undefined && { providerId }) });
    while (this.done.size > this.limit) {
      const oldest = this.done.keys().next().value;
      if (oldest === undefined) break;
      this.done.delete(oldest);
    }
  }
}

/**
 * One state object per running plugin instance: the server hands every call of one run the same
 * core API object (also a copy of the context made for `stop`), and each test context has its own.
 */
export function stateFor<T extends object>(store: WeakMap<CoreApi, T>, core: CoreApi, make: () => T): T {
  let s = store.get(core);
  if (!s) {
    s = make();
    store.set(core, s);
  }
  return s;
}
