// Patches postgres.js (the `postgres` package, 3.4.x) after install: a write deferred with
// setImmediate may run after the connection closed and dereference the null socket, an uncaught
// TypeError that ends the whole server process (porsager/postgres#1154 and #1208; the fixes in
// PRs #1168, #1176 and #1209 are not released). The reliability suite's PostgreSQL restart under
// load (core/server/reliability/pg-restart.rel.ts) hits it. The patch: the deferred write (only
// that one; a synchronous write keeps its behaviour) is dropped when the socket is gone (closed() has already rejected its query with
// CONNECTION_CLOSED), and the two teardown paths reset the pending write, so a reconnected
// connection never sends the dead socket's leftover bytes nor keeps a stale timer. Idempotent;
// it refuses loudly when the source no longer looks as expected (a new version: check upstream).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MARK = '/* quadmeter: null-socket guard */';
const edits = [
  [
    '    nextWriteTimer === null && (nextWriteTimer = setImmediate(nextWrite))',
    '    nextWriteTimer === null && (nextWriteTimer = setImmediate(deferredWrite))',
  ],
  [
    '  function nextWrite(fn) {',
    `  function deferredWrite() {\n    ${MARK}\n    if (socket) return nextWrite()\n    chunk = nextWriteTimer = null\n  }\n\n  function nextWrite(fn) {`,
  ],
  [
    '    clearImmediate(nextWriteTimer)\n    if (socket) {',
    '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {',
  ],
  [
    '    clearImmediate(nextWriteTimer)\n    socket.removeListener',
    '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener',
  ],
];

let patched = 0;
for (const rel of ['src/connection.js', 'cjs/src/connection.js']) {
  const file = join(root, 'node_modules', 'postgres', rel);
  if (!existsSync(file)) continue;
  let text = readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  for (const [from, to] of edits) {
    if (text.split(from).length !== 2) {
      console.error(`patch-postgres: ${rel} does not look like postgres 3.4.x any more; see scripts/patch-postgres.mjs`);
      process.exit(1);
    }
    text = text.replace(from, to);
  }
  writeFileSync(file, text);
  patched++;
}
if (patched) console.log(`patch-postgres: guarded ${patched} copies of postgres/connection.js`);
