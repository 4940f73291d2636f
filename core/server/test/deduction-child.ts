/**
 * Runs the prepaid deduction worker (pg-boss queue prepaid.deduct-run) in a process of its own,
 * so a test can kill it with SIGKILL halfway through a run: `node deduction-child.ts <database
 * url> <batch size>`. Prints `started`, then `batch <meters>` after each committed batch.
 */
import { openDatabase } from '../src/db/client.ts';
import { startJobs } from '../src/jobs/jobs.ts';
import { createLogger } from '../src/logger.ts';
import { startDeductionWorker } from '../src/services/prepaid/deduction/index.ts';

const [url, size] = process.argv.slice(2);
const logger = createLogger('silent');
const database = openDatabase(url);
const jobs = await startJobs(url, logger);
await startDeductionWorker(
  { db: database.jobs, jobs, logger },
  {
    batch: Number(size),
    parallel: 2,
    cron: false,
    timeZone: 'Asia/Shanghai',
    onBatch: (n) => process.stdout.write(`batch ${n}\n`),
  },
);
process.stdout.write('started\n');
setInterval(() => {}, 60_000);
