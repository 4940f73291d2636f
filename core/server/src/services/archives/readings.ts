import { AppError } from '@quadmeter/sdk';

const READING = /^(\d{1,16})(?:\.(\d{1,4}))?$/;

/**
 * A register value as a normalised decimal string (never a float): at most 4 decimals (the
 * column's scale) and fewer integer digits than the register shows, so it lies below the rollover
 * point; or why it is not one.
 */
export function parseReading(
  value: string,
  digits: number,
): { ok: true; value: string } | { ok: false; message: string } {
  const m = READING.exec(value);
  if (!m) return { ok: false, message: 'must be digits with at most 4 decimals' };
  const int = m[1].replace(/^0+(?=\d)/, '');
  if (int.length > digits) return { ok: false, message: `must be below 10^${digits}` };
  return { ok: true, value: m[2] ? `${int}.${m[2]}` : int };
}

/** The normalised reading, or REQ_VALIDATION naming `field`. */
export function checkReading(value: string, digits: number, field: string): string {
  const r = parseReading(value, digits);
  if (r.ok) return r.value;
  const beyond = r.message.startsWith('must be below');
  throw new AppError(
    'REQ_VALIDATION',
    beyond ? `${field} is beyond the register's ${digits} digits` : `${field} must be a decimal string`,
    [{ path: field, message: r.message }],
  );
}
