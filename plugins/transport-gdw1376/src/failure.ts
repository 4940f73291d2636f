import type { TransportFailure } from '@quadmeter/sdk';

/** A failure with a stable code; thrown inside the plugin and turned into per-meter results. */
export class LinkError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, retryable: boolean) {
    super(message);
    this.code = code;
    this.retryable = retryable;
  }

  toFailure(): TransportFailure {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

export const offline = (gw: string): LinkError =>
  new LinkError('GATEWAY_OFFLINE', `concentrator ${gw} is not connected`, true);

export const disconnected = (gw: string): LinkError =>
  new LinkError('GATEWAY_DISCONNECTED', `concentrator ${gw} dropped the link`, true);

export function asFailure(e: unknown): TransportFailure {
  if (e instanceof LinkError) return e.toFailure();
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), retryable: false };
}
