/**
 * Newest-first ring of frozen snapshots: a meter keeps the last 31 daily freezes and the last 12
 * settlement (monthly) values; "last-1" is index 0.
 */
export class HistoryStore<T> {
  private readonly items: T[] = [];
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  push(item: T): void {
    this.items.unshift(item);
    if (this.items.length > this.capacity) this.items.length = this.capacity;
  }

  /** n = 1 is the most recent ("last-1"); undefined when not stored. */
  last(n: number): T | undefined {
    return n >= 1 ? this.items[n - 1] : undefined;
  }

  find(pred: (item: T) => boolean): T | undefined {
    return this.items.find(pred);
  }

  get size(): number {
    return this.items.length;
  }

  all(): readonly T[] {
    return this.items;
  }
}
