import { AppError } from '@quadmeter/sdk';

interface Coded {
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
const CONNECTION_CODES = new Set([
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
function isUnavailableState(c: Coded): boolean {
  if (c.code.startsWith('08')) return true; // connection exception class
  if (['57P01', '57P02', '57P03', '53300', '3D000'].includes(c.code)) return true;
  // 55000 is broad; only the "database … is not currently accepting connections" case is an outage
  return c.code === '55000' && /not currently accepting connections/i.test(c.message ?? '');
}

const INVALID_VALUE: Record<string, string> = {
  '22P02': 'A value has the wrong format',
  '22003': 'A number is out of range',
  '22001': 'A value is too long',
  '22007': 'A date or time has the wrong format',
  '22008': 'A date or time is out of range',
  '22021': 'A text value contains a character that cannot be stored (such as NUL)',
  '22P05': 'A text value contains a character that cannot be stored (such as NUL)',
  '23502': 'A required value is missing',
  '23514': 'A value breaks a rule of the stored data',
};

/** Maps a database or connection error (possibly wrapped) to its stable code, or undefined. */
export function dbError(err: unknown): AppError | undefined {
  const c = codedCause(err);
  if (!c) return undefined;
  if (CONNECTION_CODES.has(c.code) || isUnavailableState(c)) return new AppError('DB_UNAVAILABLE');
  if (c.code === '23505') return new AppError('RESOURCE_CONFLICT');
  if (c.code === '23503') {
    // a write naming a row that does not exist is the client's input; removing a row something
    // still refers to is a conflict (PostgreSQL says which in its message; unknown wording → 409)
    if (/^insert or update on table/.test(c.message ?? ''))
      return new AppError('REQ_VALIDATION', 'A value refers to something that does not exist');
    return new AppError('RESOURCE_CONFLICT', 'The resource is still referenced');
  }
  const invalid = INVALID_VALUE[c.code];
  if (invalid) return new AppError('REQ_VALIDATION', invalid);
  return undefined;
}
