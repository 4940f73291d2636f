// The reading engine's own cost: an area task over simulated DL/T 645 lines (test transport,
// in-process meters answering real frames) through the engine — task rows, pg-boss job, lease,
// per-meter outcomes, batched ingest — beside the same reads handed straight from the transport to
// ingestReadings in batches of 16, lines 8 at a time, in the same run.
//   npm run bench -- reading-engine [meters] [lines]   (DATABASE_URL unset: embedded PostgreSQL)

import { randomBytes } from 'node:crypto';
import type { PluginContext, RawReading } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { withTenant } from '../core/server/src/db/tenant.ts';
import {
  addLineMeters,
  fieldFor,
  settled,
  startTask,
  startTestEngine,
} from '../core/server/src/services/reading-tasks/engine-fixtures.ts';
import { TEST_TRANSPORT, testTransport } from '../core/server/src/services/reading-tasks/test-transport.ts';
import { ingestReadings } from '../core/server/src/services/readings/ingest.ts';
import { ingestTenant } from '../core/server/src/services/readings/ingest-fixtures.ts';
import { openBenchDatabase } from './archives-build.ts';

const args = process.argv.slice(2);
const meters = Number(args[0] ?? 5000);
const lineCount = Number(args[1] ?? 50);
if (!Number.isInteger(meters) || !Number.isInteger(lineCount) || meters < lineCount || lineCount < 1)
  throw new Error(`meters ≥ lines ≥ 1, got ${meters} ${lineCount}`);
const perLine = Math.floor(meters / lineCount);
const lines = Array.from({ length: lineCount }, (_, i) => `tcp://10.2.${i}.1:4001`);
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

const bench = await openBenchDatabase();
const e = await startTestEngine(bench.db.url, fieldFor(lines, perLine), { lineConcurrency: 8 });
const count = async (tenantId: string) => {
  const [r] = (await withTenant(bench.db.db, tenantId, (tx) =>
    tx.execute(sql`select count(*)::int as n from readings`),
  )) as unknown as { n: number }[];
  return r.n;
};
try {
  const code = randomBytes(3).toString('hex');
  const direct = await ingestTenant(bench.db.db, `rd${code}`);
  const viaEngine = await ingestTenant(bench.db.db, `re${code}`);
  const directIds = await addLineMeters(bench.db.db, direct, lines, perLine);
  await addLineMeters(bench.db.db, viaEngine, lines, perLine);
  const n = directIds.length;
  console.log(`${fmt(n)} DL/T 645 meters on ${lineCount} simulated lines, ${bench.label}`);

  // the baseline: the transport's results straight into ingest, 8 lines at once
  const transport = testTransport(e.field);
  const ctx = { signal: new AbortController().signal } as PluginContext;
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < lines.length) {
      const l = next++;
      const targets = directIds.slice(l * perLine, (l + 1) * perLine).map((meterId, i) => ({
        meterId,
        ref: { protocol: 'dlt645-2007', address: `1000000000${String(i).padStart(2, '0')}` },
      }));
      let batch: RawReading[] = [];
      for await (const r of transport.read(
        {
          tenantId: direct.tenantId,
          line: { id: lines[l], params: {} },
          meters: targets,
          signal: ctx.signal,
        },
        ctx,
      )) {
        if (r.ok) batch.push(r.reading);
        if (batch.length === 16) {
          await ingestReadings(e.engine.ingest, TEST_TRANSPORT, batch);
          batch = [];
        }
      }
      if (batch.length) await ingestReadings(e.engine.ingest, TEST_TRANSPORT, batch);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const directMs = performance.now() - t0;
  if ((await count(direct.tenantId)) !== n) throw new Error('the baseline did not store every meter');

  // the engine: one area task, run by its pg-boss worker
  const t1 = performance.now();
  const taskId = await startTask(e, viaEngine.tenantId, {
    target: 'area',
    areaId: viaEngine.areaId,
    kind: 'realtime',
  });
  if ((await settled(bench.db.db, viaEngine.tenantId, taskId, 600_000)) !== 'done')
    throw new Error('task failed');
  const engineMs = performance.now() - t1;
  if ((await count(viaEngine.tenantId)) !== n) throw new Error('the engine did not store every meter');

  const rate = (ms: number) => (n / ms) * 1000;
  console.log('method                                          meters   seconds   meters/s   ÷ direct');
  console.log(
    `reading task (rows, job, lease, outcomes, ingest) ${fmt(n).padStart(7)}  ${(engineMs / 1000).toFixed(2).padStart(8)}  ${fmt(rate(engineMs)).padStart(9)}   ${(rate(engineMs) / rate(directMs)).toFixed(2)}`,
  );
  console.log(
    `transport → ingestReadings directly               ${fmt(n).padStart(7)}  ${(directMs / 1000).toFixed(2).padStart(8)}  ${fmt(rate(directMs)).padStart(9)}   1.00`,
  );
  console.log('(the meters answer in-process: this is the engine’s bookkeeping against the ingest floor)');
} finally {
  await e.stop();
  await bench.stop();
}
