import { AppError, type Disposition } from '@quadmeter/sdk';
import { SmsGatewayError } from './client.ts';

/**
 * Whether a failed send is worth trying again: transport failures, time-outs, throttling (429) and
 * gateway errors (5xx) are; a request the gateway refused (4xx: bad number, bad signature, bad
 * content) is not, it would be refused again. Anything unknown is retried (the outbox caps attempts).
 */
export function classifySmsError(error: unknown): Disposition {
  if (error instanceof SmsGatewayError) {
    if (error.status === 0 || error.status === 429 || error.status >= 500) return 'retry';
    return 'drop';
  }
  if (error instanceof AppError) return error.status >= 500 ? 'retry' : 'drop';
  if (error && typeof error === 'object' && 'status' in error) {
    const status = (error as { status: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) return 'drop';
  }
  return 'retry';
}
