/**
 * A server process for the two-process schedule test: starts the reading engine (pg-boss worker,
 * test transport over simulated DL/T 645 lines) and, on `go <at>` on stdin, ticks the schedules
 * at each slot instant of `<slots>` (ms, comma-separated), the k-th at wall time at + k·gapMs,
 * printing `tick <k> <created>`; then keeps running tasks until killed.
 * `node schedule-child.ts <database url> <line> <meters> <slots> <gap ms>`
 */
import { createInterface } from 'node:readline';
import { fieldFor, startTestEngine } from '../src/services/reading-tasks/engine-fixtures.ts';

const [url, line, meters, slots, gap] = process.argv.slice(2);
const e = await startTestEngine(url, fieldFor([line], Number(meters)));
process.stdout.write('started\n');
const sleepUntil = (at: number) => new Promise((ok) => setTimeout(ok, Math.max(0, at - Date.now())));
for await (const text of createInterface({ input: process.stdin })) {
  const m = /^go (\d+)$/.exec(text);
  if (!m) continue;
  const at = Number(m[1]);
  const list = slots.split(',').map(Number);
  for (const [k, now] of list.entries()) {
    await sleepUntil(at + k * Number(gap));
    const { created } = await e.engine.tick(now);
    process.stdout.write(`tick ${k} ${created}\n`);
  }
}
