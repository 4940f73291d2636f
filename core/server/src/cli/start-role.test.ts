import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { roleParts } from '../roles.ts';

const bin = fileURLToPath(new URL('../../bin/quadmeter.mjs', import.meta.url));

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    // an unreachable database: a start that got past its arguments would fail on it instead
    env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, err: r.stderr };
}

describe('quadmeter start --role', () => {
  it('refuses an unknown role, a missing value and stray arguments with CLI_USAGE before starting', () => {
    for (const args of [['--role', 'database'], ['--role'], ['--role', 'api', 'extra']]) {
      const r = cli(['start', ...args]);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.err.trimEnd().split('\n').at(-1), args.join(' ')).toMatch(/^error CLI_USAGE: /);
    }
  });

  it('QUADMETER_ROLE is checked like the flag', () => {
    expect(() => loadConfig({ QUADMETER_ROLE: 'database' })).toThrow(/QUADMETER_ROLE/);
    expect(loadConfig({}).QUADMETER_ROLE).toBe('all');
    expect(loadConfig({ QUADMETER_ROLE: 'gateway' }).QUADMETER_ROLE).toBe('gateway');
  });

  it('each role runs its part; all runs everything', () => {
    expect(roleParts('api')).toEqual({ api: true, worker: false, gateway: false });
    expect(roleParts('worker')).toEqual({ api: false, worker: true, gateway: false });
    expect(roleParts('gateway')).toEqual({ api: false, worker: false, gateway: true });
    expect(roleParts('all')).toEqual({ api: true, worker: true, gateway: true });
  });
});
