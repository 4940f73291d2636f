/** The list envelope of keyset-paginated archive endpoints: `next` is the cursor of the page after. */
export interface CursorPage<T> {
  items: T[];
  next: string | null;
  total: number;
  /** customers and accounts: the total is the planner's estimate on large tables */
  totalIsEstimate?: boolean;
  /** meters: the count stopped at a cap, the real total is larger */
  totalCapped?: boolean;
}

/** Where a keyset page starts (`after`, the previous page's `next`) and how many rows it holds. */
export interface CursorQuery {
  after?: string;
  limit: number;
}
