import type { IngestResult } from '@quadmeter/sdk';
import { ingestReadings } from './registry.ts';

/** Counts one ingest call's outcomes, after its tenant transactions committed. */
export function countIngest(transport: string, r: IngestResult): void {
  for (const outcome of ['stored', 'duplicate', 'rejected', 'unmatched'] as const)
    if (r[outcome] > 0) ingestReadings.inc({ transport, outcome }, r[outcome]);
}
