/**
 * Runs the bill run worker (pg-boss queue billing.run) in a process of its own, so a test can kill
 * it with SIGKILL halfway through a run: `node billrun-child.ts <database url> <chunk size>`.
 * Prints `started`, then `chunk <n>` after each committed chunk.
 */
import { openDatabase } from '../src/db/client.ts';
import { startJobs } from '../src/jobs/jobs.ts';
import { createLogger } from '../src/logger.ts';
import { startBillRunWorker } from '../src/services/billing/runs/index.ts';

const [url, size] = process.argv.slice(2);
const logger = createLogger('silent');
const database = openDatabase(url);
const jobs = await startJobs(url, logger);
await startBillRunWorker(
  { db: database.jobs, jobs, logger },
  { chunkSize: Number(size), parallel: 2, onChunk: (n) => process.stdout.write(`chunk ${n}\n`) },
);
process.stdout.write('started\n');
setInterval(() => {}, 60_000);
