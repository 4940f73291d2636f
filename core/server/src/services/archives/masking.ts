import type { Actor } from '../identity/actor.ts';

/** The permission that shows customers' phone and ID numbers unmasked. */
export const PII_PERMISSION = 'customers.pii';

export function canSeePii(actor: Actor): boolean {
  return actor.permissions.has(PII_PERMISSION);
}

/** Keeps `head` leading and `tail` trailing characters and stars the rest; short values are all stars. */
function maskMiddle(value: string, head: number, tail: number): string {
  const chars = [...value];
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(-tail).join('');
}

/** 13812345678 → 138****5678 */
export function maskPhone(phone: string | null): string | null {
  return phone === null ? null : maskMiddle(phone, 3, 4);
}

/** 350102199001011234 → 3501**********1234 */
export function maskIdNumber(id: string | null): string | null {
  return id === null ? null : maskMiddle(id, 4, 4);
}

/** The keys that hold PII in customer objects, DTOs and audit snapshots. */
const MASKERS: Record<string, (v: string | null) => string | null> = {
  phone: maskPhone,
  idNumber: maskIdNumber,
};

/**
 * Masks the PII keys of an object (a DTO or an audit snapshot) unless the actor holds
 * customers.pii. Other keys pass through unchanged.
 */
export function maskPii<T>(actor: Actor, value: T): T {
  if (canSeePii(actor) || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, mask] of Object.entries(MASKERS)) {
    const v = out[key];
    if (typeof v === 'string') out[key] = mask(v);
  }
  return out as T;
}
