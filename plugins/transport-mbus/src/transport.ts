import type { PluginContext, ReadRequest, ReadResult } from '@quadmeter/sdk';
import { readLine } from '@quadmeter/sdk/serial';
import { configOf, type MbusConfig } from './config.ts';
import { linePool } from './pool.ts';
import { readMeter } from './read.ts';

/** One result per requested meter, meters of a line in order, lines (requests) in parallel. */
export function read(request: ReadRequest, ctx: PluginContext<MbusConfig>): AsyncIterable<ReadResult> {
  const config = configOf(ctx.config);
  const kind = request.kind ?? 'realtime';
  return readLine(
    request,
    linePool(),
    (link, line, target, signal) =>
      readMeter(link, line, target, signal, { config, kind, frozenFor: request.frozenFor }),
    config.lines,
  );
}

export { control } from './control.ts';
