import { AppError } from '@quadmeter/sdk';
import { CONNECTION_CODES, codedCause, isUnavailableState } from '../db/connection-errors.ts';

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
  // raised by the triggers guarding published tariff versions and ledger entries (migration 0010)
  if (c.code === 'QM001') return new AppError('RECORD_IMMUTABLE');
  // raised by the guard on ledger allocations (migration 0013)
  if (c.code === 'QM002') return new AppError('LEDGER_ALLOCATION_INVALID');
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
