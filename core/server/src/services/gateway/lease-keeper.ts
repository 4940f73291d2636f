import type { Db } from '../../db/client.ts';
import type { Logger } from '../../logger.ts';
import { acquireLease, type Lease, releaseLease, renewLeases } from './leases.ts';

export interface LeaseKeeperOptions {
  /** a lease not renewed for this long is free for another node (default 10 s) */
  ttlMs: number;
  /** pause between attempts while another node holds the resource */
  retryMs?: number;
}

/** A resource this node holds: the fencing token, a signal that aborts when the lease is lost. */
export interface Held {
  lease: Lease;
  signal: AbortSignal;
  release(): Promise<void>;
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((ok) => {
    const t = setTimeout(ok, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        ok();
      },
      { once: true },
    );
  });

/**
 * The leases of one gateway node (docs/scaling.md): takes a resource before it talks on it,
 * renews everything it holds every TTL/3, and aborts a holder's signal the moment a renewal shows
 * the lease gone (a pause longer than the TTL, the database unreachable for that long), so the
 * transport stops talking on the line; its writes are refused by the fence anyway.
 */
export class LeaseKeeper {
  /** what this node holds; `users`: holders in this process (a read and a command on one line) */
  private readonly held = new Map<string, { lease: Lease; lost: AbortController; users: number }>();
  private timer: NodeJS.Timeout | undefined;

  private readonly db: Db;
  readonly owner: string;
  readonly options: LeaseKeeperOptions;
  private readonly logger: Logger;

  constructor(db: Db, owner: string, options: LeaseKeeperOptions, logger: Logger) {
    this.db = db;
    this.owner = owner;
    this.options = options;
    this.logger = logger;
  }

  /**
   * Waits until this node holds `resource` (or `signal` aborts: throws its reason). Held already
   * in this process: shared (the transport serialises its own users of a line).
   */
  async hold(resource: string, signal: AbortSignal): Promise<Held> {
    const retry = this.options.retryMs ?? Math.max(50, Math.min(1000, this.options.ttlMs / 10));
    for (;;) {
      signal.throwIfAborted();
      const mine = this.held.get(resource);
      if (mine && !mine.lost.signal.aborted) {
        mine.users++;
        return this.handle(mine);
      }
      const lease = await acquireLease(this.db, resource, this.owner, this.options.ttlMs);
      if (lease) {
        const again = this.held.get(resource);
        if (again && again.lease.token === lease.token) {
          again.users++;
          return this.handle(again);
        }
        again?.lost.abort(new Error('lease re-taken'));
        const h = { lease, lost: new AbortController(), users: 1 };
        this.held.set(resource, h);
        this.timer ??= setInterval(() => void this.renew(), Math.max(50, this.options.ttlMs / 3));
        return this.handle(h);
      }
      await pause(retry, signal);
    }
  }

  private handle(h: { lease: Lease; lost: AbortController }): Held {
    let released = false;
    return {
      lease: h.lease,
      signal: h.lost.signal,
      release: async () => {
        if (released) return;
        released = true;
        await this.release(h.lease);
      },
    };
  }

  private async release(lease: Lease): Promise<void> {
    const h = this.held.get(lease.resource);
    if (h?.lease.token === lease.token) {
      if (--h.users > 0) return;
      this.held.delete(lease.resource);
    }
    this.idle();
    await releaseLease(this.db, lease).catch((err) =>
      this.logger.warn({ err, resource: lease.resource }, 'could not release a gateway lease'),
    );
  }

  private async renew(): Promise<void> {
    let kept: Lease[];
    try {
      kept = await renewLeases(this.db, this.owner, this.options.ttlMs);
    } catch (err) {
      this.logger.warn({ err }, 'gateway lease renewal failed');
      return;
    }
    const live = new Map(kept.map((l) => [l.resource, l.token]));
    for (const [resource, h] of this.held)
      if (live.get(resource) !== h.lease.token) {
        this.held.delete(resource);
        h.lost.abort(new Error(`gateway lease on ${resource} lost`));
        this.logger.warn({ resource, token: h.lease.token }, 'gateway lease lost: stopping the line');
      }
    this.idle();
  }

  private idle() {
    if (this.held.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Releases everything (a clean shutdown hands the lines over at once). */
  async stop(): Promise<void> {
    const all = [...this.held.values()];
    this.held.clear();
    this.idle();
    for (const h of all) h.lost.abort(new Error('node stopping'));
    await Promise.all(all.map((h) => releaseLease(this.db, h.lease).catch(() => {})));
  }
}
