import type { IngestOutcome, PluginContext, RawReading } from '@quadmeter/sdk';

interface Waiting {
  readings: RawReading[];
  resolve: (outcomes: IngestOutcome[]) => void;
  reject: (e: unknown) => void;
}

/** Readings per ingest call at most. */
const MAX_BATCH = 500;
/** Ingest calls in flight at once; the rest wait and are gathered into the next call. */
const MAX_IN_FLIGHT = 2;

/**
 * Gathers the readings of concurrent pushes into one ingest call: while calls are in flight, the
 * pushes arriving meanwhile wait and go together in the next one. Ingest costs mostly per call
 * (registry look-up, one tenant transaction), so under load this multiplies the uplinks per
 * second; alone, a push is ingested at once. Each push gets its own outcomes back; a failed call
 * fails every push in it (each is answered 5xx and redelivered; ingest is idempotent).
 */
export class IngestBatcher {
  private readonly ctx: PluginContext;
  private queue: Waiting[] = [];
  private inFlight = 0;

  constructor(ctx: PluginContext) {
    this.ctx = ctx;
  }

  ingest(readings: RawReading[]): Promise<IngestOutcome[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ readings, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch: Waiting[] = [];
      let n = 0;
      while (
        this.queue.length > 0 &&
        (batch.length === 0 || n + this.queue[0].readings.length <= MAX_BATCH)
      ) {
        const w = this.queue.shift() as Waiting;
        batch.push(w);
        n += w.readings.length;
      }
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const res = await this.ctx.core.ingestReadings(batch.flatMap((w) => w.readings));
      let at = 0;
      for (const w of batch) {
        w.resolve(res.outcomes.slice(at, at + w.readings.length));
        at += w.readings.length;
      }
    } catch (e) {
      for (const w of batch) w.reject(e);
    }
  }
}

const batchers = new WeakMap<PluginContext, IngestBatcher>();

/** The batcher of a running plugin context. */
export function batcherOf(ctx: PluginContext): IngestBatcher {
  const found = batchers.get(ctx);
  if (found) return found;
  const made = new IngestBatcher(ctx);
  batchers.set(ctx, made);
  return made;
}
