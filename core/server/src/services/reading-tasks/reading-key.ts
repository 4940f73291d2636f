import { KIND_CODES } from '../readings/prepare.ts';

/** Stored reading kinds by their code (readings.kind). */
export const READING_KIND_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(KIND_CODES).map(([name, code]) => [code, name]),
);
