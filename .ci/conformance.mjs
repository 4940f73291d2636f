#!/usr/bin/env node
// Runs the shared conformance frames against `quadmeter frame decode` and fails on any difference
// that is not listed, with its reason, in .ci/conformance-allow.txt. Listed entries that pass now
// are reported so the list can shrink.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const runner = join(here, '..', '..', 'shared', 'conformance', 'run.mjs');
if (!existsSync(runner)) {
  console.log(`conformance: ${runner} is absent; nothing to check`);
  process.exit(0);
}

/** `<protocol> #<index>: <reason>` per line; blank lines and # comments are skipped. */
function allowList(file) {
  const allowed = new Map();
  for (const [n, raw] of readFileSync(file, 'utf8').split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-z0-9]+ #\d+):\s*(\S.*)$/.exec(line);
    if (!m) {
      console.error(`${file}:${n + 1}: expected '<protocol> #<index>: <reason>', got: ${line}`);
      process.exit(2);
    }
    allowed.set(m[1], m[2]);
  }
  return allowed;
}

const allowed = allowList(join(here, 'conformance-allow.txt'));
const res = spawnSync(
  process.execPath,
  [runner, '--verbose', '--', 'npx', '--no-install', 'quadmeter', 'frame', 'decode'],
  { encoding: 'utf8', maxBuffer: 1 << 28 },
);
const lines = (res.stdout ?? '').split('\n').filter(Boolean);
const summary = lines.find((l) => l.startsWith('conformance:'));
if (!summary) {
  console.error(`conformance runner gave no summary (exit ${res.status})\n${res.stderr ?? ''}`);
  process.exit(1);
}
const differences = lines.filter((l) => /^[a-z0-9]+ #\d+: /.test(l));
const unexplained = differences.filter((l) => !allowed.has(l.slice(0, l.indexOf(':'))));
const failing = new Set(differences.map((l) => l.slice(0, l.indexOf(':'))));
for (const [key, reason] of allowed)
  if (!failing.has(key)) console.log(`allowed but passing now (remove from the list): ${key} (${reason})`);
for (const l of differences) console.log(`${unexplained.includes(l) ? 'UNEXPLAINED' : 'allowed'}  ${l}`);
console.log(summary);
// a protocol-level failure (decoder crashed, wrong line count) has no '#<index>' and is never allowed
const whole = lines.filter((l) => /^[a-z0-9]+: decoder gave/.test(l));
for (const l of whole) console.log(`UNEXPLAINED  ${l}`);
if (unexplained.length || whole.length) {
  console.error(`conformance: ${unexplained.length + whole.length} difference(s) not in .ci/conformance-allow.txt`);
  process.exit(1);
}
