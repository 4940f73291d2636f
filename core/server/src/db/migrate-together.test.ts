import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { runMigrations } from './client.ts';

const journal = JSON.parse(
  readFileSync(new URL('../../../../migrations/meta/_journal.json', import.meta.url), 'utf8'),
) as { entries: unknown[] };

// docs/scaling.md: api, worker and gateway processes started at the same moment on a new database
// each run the migrations; they take turns (an advisory lock) instead of failing on each other.
describe('migrations run by several processes at once', () => {
  it('all succeed and every migration is applied once', async () => {
    const admin = inject('adminDatabaseUrl');
    const name = `qm_mig_${randomBytes(6).toString('hex')}`;
    const sql = postgres(admin, { max: 1, onnotice: () => {} });
    await sql.unsafe(`create database ${name}`);
    const u = new URL(admin);
    u.pathname = `/${name}`;
    try {
      const results = await Promise.allSettled([1, 2, 3].map(() => runMigrations(u.toString())));
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual([
        'ok',
        'ok',
        'ok',
      ]);
      const db = postgres(u.toString(), { max: 1, onnotice: () => {} });
      const [{ n }] = await db`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await db.end();
      expect(n).toBe(journal.entries.length);
    } finally {
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    }
  });
});
