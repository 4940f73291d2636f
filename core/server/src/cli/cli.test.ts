import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { verifyPassword } from '../services/identity/passwords.ts';

const bin = fileURLToPath(new URL('../../bin/quadmeter.mjs', import.meta.url));
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    input,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('quadmeter CLI', () => {
  it('migrates, creates a tenant and a user who can log in', async () => {
    expect(cli(['migrate']).out).toContain('migrations applied');
    const tenant = cli([
      'tenant',
      'create',
      'water-co',
      'Water',
      'Co',
      '--admin',
      'chief',
      '--password',
      'chief-password',
    ]);
    expect(tenant.code).toBe(0);
    expect(JSON.parse(tenant.out)).toMatchObject({ code: 'water-co', admin: 'chief' });
    const user = cli([
      'user',
      'create',
      '--tenant',
      'water-co',
      '--username',
      'reader1',
      '--password',
      'reader-password',
      '--role',
      '抄表员',
    ]);
    expect(user.code, user.err).toBe(0);
    const [row] = await t.database
      .sql`select u.password_hash, r.name from users u join user_roles ur on ur.user_id = u.id
      join roles r on r.id = ur.role_id where u.username = 'reader1'`;
    expect(row.name).toBe('抄表员');
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.password_hash, 'reader-password')).toBe(true);
  });

  it('says what is wrong with a bad configuration or usage', () => {
    const r = spawnSync(process.execPath, [bin, 'migrate'], {
      env: { ...process.env, DATABASE_URL: 'mysql://x', PORT: 'abc' },
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/DATABASE_URL/);
    expect(r.stderr).toMatch(/PORT/);
    expect(cli(['tenant', 'create']).code).toBe(2);
  });

  it('decodes frames one by one and as JSON lines', () => {
    const one = cli([
      'frame',
      'decode',
      '--protocol',
      'dlt645',
      '68 21 43 65 87 09 00 68 11 04 33 33 34 33 0B 16',
    ]);
    expect(one.code, one.err).toBe(0);
    expect(JSON.parse(one.out)).toMatchObject({ ok: true, address: '000987654321', di: '00010000' });
    const lines = cli(
      ['frame', 'decode', '--protocol', 'dlt645', '--jsonl'],
      '68 21 43 65 87 09 00 68 11 04 33 33 34 33 0B 16\nzz\n68 21 43\n',
    );
    const out = lines.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.ok)).toEqual([true, false, false]);
    expect(out[1].error.code).toBe('FRAME_HEX_INVALID');
    expect(out[2].error.code).toBe('FRAME_TRUNCATED');
    const built = cli([
      'frame',
      'encode',
      '--protocol',
      'dlt645',
      JSON.stringify({ address: '000987654321', function: 'read', di: '00010000' }),
    ]);
    expect(JSON.parse(built.out).hex).toBe('68214365870900681104333334330B16');
  });
});
