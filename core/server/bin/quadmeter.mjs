#!/usr/bin/env node
// Entry of the `quadmeter` command. The project runs on Node 24 (TypeScript is loaded through
// Node's type stripping); when started by an older node, re-run under the project's Node 24.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  let dir = here;
  let bin = null;
  while (dir !== dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'node', 'bin', 'node');
    if (existsSync(candidate)) {
      bin = candidate;
      break;
    }
    dir = dirname(dir);
  }
  if (!bin) {
    console.error("quadmeter needs Node 24 or newer; run `npm install` to get the project's Node.");
    process.exit(1);
  }
  const r = spawnSync(bin, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'ExperimentalWarning') console.warn(w);
});
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
// Some libraries exit with 0 from their own exit hooks; make the command's own code final once
// the output has drained.
const code = process.exitCode ?? 0;
if (code !== 0) process.stdout.write('', () => process.exit(code));
