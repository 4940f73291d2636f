import { type Disposition, isAppError } from '@quadmeter/sdk';

/** nodemailer's error types for a connection that failed or broke: worth another attempt. */
const CONNECTION_TYPES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL']);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** A certificate the client will not trust: configuration, not luck. */
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/;

const RETRY_APP_CODES = new Set([
  'SERVICE_UNAVAILABLE',
  'DB_UNAVAILABLE',
  'PLUGIN_UNAVAILABLE',
  'PLUGIN_HOOK_TIMEOUT',
]);

interface SmtpLike {
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
  name?: unknown;
  cause?: unknown;
}

/**
 * SMTP replies decide first (RFC 5321 §4.2.1): 4yz is a transient failure (421 service not
 * available, 450/451/452 mailbox busy, local error, storage) → retry; 5yz is permanent (550
 * mailbox unavailable, 553 bad address, 554 rejected, 535 authentication failed) → drop. Without
 * a reply: a connection that failed, timed out or broke → retry, unless its certificate is not
 * trusted; a malformed message or envelope, a configuration error and anything unknown → drop.
 */
export function classifyEmail(error: unknown): Disposition {
  if (isAppError(error)) return RETRY_APP_CODES.has(error.code) ? 'retry' : 'drop';
  if (typeof error !== 'object' || error === null) return 'drop';
  const e = error as SmtpLike;
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 400 && e.responseCode < 500) return 'retry';
    return 'drop';
  }
  const codes = [e.code, e.originalCode, (e.cause as SmtpLike | undefined)?.code].map(String);
  if (codes.some((c) => CERTIFICATE.test(c))) return 'drop';
  if (!(error instanceof Error)) return 'drop';
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'retry';
  if (codes.some((c) => CONNECTION_TYPES.has(c) || NETWORK_CODES.has(c))) return 'retry';
  return 'drop';
}
