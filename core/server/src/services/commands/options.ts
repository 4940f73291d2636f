/** Pause before a failed command's retry: COMMAND_BACKOFF_MS · 2^(attempts−1). */
export const COMMAND_BACKOFF_MS = 5_000;

export interface DispatchOptions {
  backoffMs: number;
  /** how long a sender holds a command; a lapsed lease means it died mid-flight */
  leaseMs: number;
  /** commands delivered at once per tenant pump (lines and concentrators serialise themselves) */
  concurrency: number;
  /** commands claimed per round trip */
  claimBatch: number;
  /** how long after its expiry a platform-queued command waits for its state before it is settled */
  confirmGraceMs: number;
}

export const DEFAULT_DISPATCH_OPTIONS: DispatchOptions = {
  backoffMs: COMMAND_BACKOFF_MS,
  leaseMs: 60_000,
  concurrency: 64,
  claimBatch: 64,
  confirmGraceMs: 600_000,
};
