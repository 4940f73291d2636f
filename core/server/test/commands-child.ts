/**
 * Runs the command outbox's dispatcher (pg-boss worker and the installed transports) in a process
 * of its own, so a test can kill it with SIGKILL while commands are in flight:
 * `node commands-child.ts <database url> <rs485 line aliases JSON>`.
 */
import { startTestDispatcher } from '../src/services/commands/dispatcher-fixtures.ts';

const [url, aliases] = process.argv.slice(2);
await startTestDispatcher(url, {
  configFor: (id) => (id === 'transport-rs485' ? { lines: JSON.parse(aliases) } : undefined),
});
process.stdout.write('started\n');
setInterval(() => {}, 60_000);
