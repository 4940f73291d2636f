/**
 * Runs the reading engine (pg-boss worker, test transport over simulated DL/T 645 lines) in a
 * process of its own, so a test can kill it with SIGKILL mid-task:
 * `node engine-child.ts <database url> <lines, comma-separated> <meters per line>`.
 */
import { fieldFor, startTestEngine } from '../src/services/reading-tasks/engine-fixtures.ts';

const [url, lines, perLine] = process.argv.slice(2);
await startTestEngine(url, fieldFor(lines.split(','), Number(perLine)), { flushEvery: 2, leaseMs: 2_000 });
process.stdout.write('started\n');
setInterval(() => {}, 60_000);
