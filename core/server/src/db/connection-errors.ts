/** How database and connection errors look, wherever they surface (drizzle wraps them in `.cause`). */

export interface Coded {
  code: string;
  message?: string;
}

/**
 * The first error in the `.cause` chain that carries a string `code` — drizzle wraps the driver's
 * error in a DrizzleQueryError whose own fields are the query and its parameters.
 */
export function codedCause(err: unknown): Coded | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 6 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return cur as Coded;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** postgres.js and Node socket codes for a connection that is gone or never came. */
export const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** SQLSTATEs that mean "the server is not there for us right now". */
export function isUnavailableState(c: Coded): boolean {
  if (c.code.startsWith('08')) return true; // connection exception class
  if (['57P01', '57P02', '57P03', '53300', '3D000'].includes(c.code)) return true;
  // 55000 is broad; only the "database … is not currently accepting connections" case is an outage
  return c.code === '55000' && /not currently accepting connections/i.test(c.message ?? '');
}

/**
 * True when the error says the connection itself is gone (socket closed or reset, the server
 * ended the backend): nothing more can be sent on it, not even a rollback.
 */
export function connectionLost(err: unknown): boolean {
  const c = codedCause(err);
  if (!c) return false;
  return (
    CONNECTION_CODES.has(c.code) || c.code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(c.code)
  );
}
