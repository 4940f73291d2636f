/**
 * Runs the reading engine (pg-boss worker, test transport over simulated DL/T 645 lines, and the
 * installed transports) in a process of its own, so a test can kill it with SIGKILL mid-task:
 * `node engine-child.ts <database url> <lines, comma-separated> <meters per line> [rs485 line aliases JSON]`
 * (the aliases point transport-rs485 at TCP serial servers the test runs).
 */
import { fieldFor, startTestEngine } from '../src/services/reading-tasks/engine-fixtures.ts';

const [url, lines, perLine, aliases] = process.argv.slice(2);
await startTestEngine(
  url,
  fieldFor(lines.split(','), Number(perLine)),
  { flushEvery: 2, leaseMs: 2_000 },
  aliases
    ? { configFor: (id) => (id === 'transport-rs485' ? { lines: JSON.parse(aliases) } : undefined) }
    : {},
);
process.stdout.write('started\n');
setInterval(() => {}, 60_000);
