import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder } from '../../db/client.ts';

/** The migration tags this build knows, oldest first (migrations/meta/_journal.json). */
export function migrationTags(): string[] {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  return [...journal.entries].sort((a, b) => a.idx - b.idx).map((e) => e.tag);
}

/** The schema version a backup records: the tag of the last migration. */
export const currentSchema = () => migrationTags().at(-1)!;
