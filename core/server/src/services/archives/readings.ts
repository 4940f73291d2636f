import { AppError } from '@quadmeter/sdk';

const READING = /^(\d{1,16})(?:\.(\d{1,4}))?$/;

/**
 * A register value as a decimal string (never a float): at most 4 decimals (the column's scale)
 * and fewer integer digits than the register shows, so it lies below the rollover point.
 */
export function checkReading(value: string, digits: number, field: string): string {
  const m = READING.exec(value);
  if (!m)
    throw new AppError('REQ_VALIDATION', `${field} must be a decimal string`, [
      { path: field, message: 'must be digits with at most 4 decimals' },
    ]);
  const int = m[1].replace(/^0+(?=\d)/, '');
  if (int.length > digits)
    throw new AppError('REQ_VALIDATION', `${field} is beyond the register's ${digits} digits`, [
      { path: field, message: `must be below 10^${digits}` },
    ]);
  return m[2] ? `${int}.${m[2]}` : int;
}
