/**
 * Ingests the test batches in a process of its own, so a test can kill it with SIGKILL mid-batch:
 * `node ingest-child.ts <database url> <line> <meters> <batches>`.
 */
import { openDatabase } from '../src/db/client.ts';
import { ingestReadings } from '../src/services/readings/ingest.ts';
import { dayBatches, ingestDeps, TRANSPORT } from '../src/services/readings/ingest-fixtures.ts';

const [url, line, meters, batches] = process.argv.slice(2);
const database = openDatabase(url);
const deps = ingestDeps(database.jobs);
process.stdout.write('started\n');
for (const batch of dayBatches(line, Number(meters), Number(batches))) {
  await ingestReadings(deps, TRANSPORT, batch);
  process.stdout.write('batch\n');
}
await database.close();
