import type { BillStatus } from '../../api/bills.ts';

/** The tag colour of a bill status. */
export function statusTag(s: BillStatus): 'warning' | 'success' | 'info' {
  return s === 'held' ? 'warning' : s === 'issued' ? 'success' : 'info';
}

/** A hold reason in the person's language when the catalogue knows it, else as stored. */
export function reasonText(t: (k: string) => string, te: (k: string) => boolean, r: string): string {
  return te(`bills.reasons.${r}`) ? t(`bills.reasons.${r}`) : r;
}
