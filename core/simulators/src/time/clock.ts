/** Source of "now" for every simulated device, so tests can move time by hand. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  private ms: number;
  constructor(start: number | Date) {
    this.ms = typeof start === 'number' ? start : start.getTime();
  }
  now(): number {
    return this.ms;
  }
  set(at: number | Date): void {
    this.ms = typeof at === 'number' ? at : at.getTime();
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * A clock that reads `since` until released, then the system time. Meters built on it start where
 * they were at `since`; advanced after the release they run on to now as if they had been running
 * all along, so a field restarted later reads on from where it was, never backwards.
 */
export class HeldClock implements Clock {
  private held: number | null;
  constructor(since: number) {
    this.held = since;
  }
  now(): number {
    return this.held ?? Date.now();
  }
  release(): void {
    this.held = null;
  }
}
