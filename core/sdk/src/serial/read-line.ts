import type { RawReading } from '../kinds/reading.ts';
import type { MeterTarget, ReadRequest, ReadResult } from '../kinds/transport.ts';
import type { ByteLink } from './byte-link.ts';
import { TransportError, toFailure } from './failure.ts';
import { meterLine, parseLineParams, type SerialLineParams } from './line-params.ts';
import type { LinePool } from './line-pool.ts';

export type ReadMeter = (
  link: ByteLink,
  line: SerialLineParams,
  target: MeterTarget,
  signal: AbortSignal,
) => Promise<RawReading>;

/**
 * Reads the request's meters one after another on its line, each meter holding the line for its
 * frames (so a control command can go between two meters) at its own speed when its params name
 * one (`baudRate`, `parity`: see `meterLine`), and yields exactly one result per
 * meter, in order. A line that cannot be opened fails the rest of its meters with the same
 * LINE_UNAVAILABLE instead of trying again for each; after an abort the rest are ABORTED.
 */
export async function* readLine(
  request: ReadRequest,
  pool: LinePool,
  readMeter: ReadMeter,
): AsyncIterable<ReadResult> {
  let line: SerialLineParams;
  try {
    line = parseLineParams(request.line);
  } catch (e) {
    for (const m of request.meters) yield { meterId: m.meterId, ok: false, error: toFailure(e) };
    return;
  }
  let lineDown: ReturnType<typeof toFailure> | undefined;
  for (const target of request.meters) {
    if (lineDown) {
      yield { meterId: target.meterId, ok: false, error: lineDown };
      continue;
    }
    if (request.signal.aborted) {
      yield {
        meterId: target.meterId,
        ok: false,
        error: toFailure(new TransportError('ABORTED', 'aborted')),
      };
      continue;
    }
    try {
      const own = meterLine(line, target.params);
      const reading = await pool.withLine(line, async (link) => {
        await link.setBaudRate?.(own.baudRate);
        return readMeter(link, own, target, request.signal);
      });
      yield { meterId: target.meterId, ok: true, reading: { ...reading, tenantId: request.tenantId } };
    } catch (e) {
      const failure = toFailure(e);
      if (failure.code === 'LINE_UNAVAILABLE') lineDown = failure;
      yield { meterId: target.meterId, ok: false, error: failure };
    }
  }
}
