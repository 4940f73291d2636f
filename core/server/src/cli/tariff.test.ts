import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/quadmeter.mjs', import.meta.url));
const docs = fileURLToPath(new URL('../../../../docs/tariffs/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tariff-cli-'));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const quoteOf = (tariff: string, usage: string) =>
  cli(['tariff', 'quote', '--tariff', tariff, '--usage', usage]);

/** stderr is one line `error CODE: …`, no stack. */
function expectError(r: ReturnType<typeof cli>, code: string, exit = 1) {
  expect(r.code, r.err).toBe(exit);
  expect(r.out).toBe('');
  const lines = r.err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith(`error ${code}: `), r.err).toBe(true);
  expect(r.err).not.toMatch(/ at .*:\d+:\d+/);
}

describe('quadmeter tariff quote', () => {
  it('prices the example files: E1, E6 and a capped two-part heat season', () => {
    const e1 = quoteOf(`${docs}beijing-electricity-annual.json`, `${docs}usage/e1-beijing-annual-3500.json`);
    expect(e1.code, e1.err).toBe(0);
    const body = JSON.parse(e1.out);
    expect(body.totalFen).toBe(174005);
    expect(body.lines.map((l: { amountFen: number }) => l.amountFen)).toEqual([140630, 33375]);
    const e6 = quoteOf(`${docs}shanghai-electricity-tou.json`, `${docs}usage/e6-shanghai-tou.json`);
    expect(JSON.parse(e6.out).totalFen).toBe(104800);
    const heat = quoteOf(`${docs}beijing-heat-metered.json`, `${docs}usage/h-beijing-heat-9000kwh.json`);
    expect(JSON.parse(heat.out).totalFen).toBe(216000);
  });

  const tariff = `${docs}beijing-gas.json`;
  const usage = `${docs}usage/e1-beijing-annual-3500.json`;

  it('an unreadable or malformed tariff file answers one stable error line and exit 1', () => {
    expectError(quoteOf(join(dir, 'missing.json'), usage), 'FILE_UNREADABLE');
    expectError(quoteOf(dir, usage), 'FILE_UNREADABLE'); // a directory
    expectError(quoteOf(file('t1.json', '{"formatVersion": 1,'), usage), 'TARIFF_INVALID');
    expectError(quoteOf(file('t2.json', '{"formatVersion": 2}'), usage), 'TARIFF_INVALID');
    const broken = file(
      't3.json',
      '{"formatVersion":1,"code":"x","name":{"zh-CN":"x","en":"x"},"meterKind":"gas",' +
        '"versions":[{"version":"1","effectiveFrom":"2024-01-01","components":[{"type":"usage","id":"gas",' +
        '"label":{"zh-CN":"x","en":"x"},"tiers":{"cycle":"year","thresholds":["500","350"],"prices":["1","2","3"]}}]}]}',
    );
    const r = quoteOf(broken, usage);
    expectError(r, 'TARIFF_INVALID');
    expect(r.err).toContain('versions.0.components.0.tiers.thresholds: thresholds must increase');
  });

  it('a malformed usage file, or one outside the tariff, answers one stable error line and exit 1', () => {
    expectError(quoteOf(tariff, file('u1.json', 'not json')), 'TARIFF_USAGE_INVALID');
    expectError(
      quoteOf(
        tariff,
        file('u2.json', '{"period":{"from":"2024-02-30","to":"2025-01-01"},"consumption":"1"}'),
      ),
      'TARIFF_USAGE_INVALID',
    );
    expectError(
      quoteOf(
        tariff,
        file('u3.json', '{"period":{"from":"2024-01-01","to":"2025-01-01"},"consumption":"1e9"}'),
      ),
      'TARIFF_USAGE_INVALID',
    );
    expectError(
      quoteOf(
        tariff,
        file('u4.json', '{"period":{"from":"2024-01-01","to":"2025-01-01"},"consumption":"1\\u0000"}'),
      ),
      'TARIFF_USAGE_INVALID',
    );
    // the Beijing gas tariff starts on 2019-04-01
    expectError(
      quoteOf(
        tariff,
        file('u5.json', '{"period":{"from":"2019-01-01","to":"2020-01-01"},"consumption":"1"}'),
      ),
      'TARIFF_NOT_IN_FORCE',
    );
  });

  it('prints the JSON Schema of tariff and usage files', () => {
    const r = cli(['tariff', 'schema', 'usage']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ title: 'Quadmeter tariff usage', type: 'object' });
    expectError(cli(['tariff', 'schema', 'bill']), 'CLI_USAGE', 2);
  });

  it('wrong usage exits 2', () => {
    expectError(cli(['tariff', 'quote', '--tariff', tariff]), 'CLI_USAGE', 2);
    expectError(cli(['tariff', 'price', '--tariff', tariff, '--usage', usage]), 'CLI_USAGE', 2);
    expectError(cli(['tariff', 'quote', '--tariff', tariff, '--usage', usage, '--fast']), 'CLI_USAGE', 2);
  });
});
