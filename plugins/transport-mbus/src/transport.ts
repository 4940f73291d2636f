import type { ControlCommand, ControlResult, PluginContext, ReadRequest, ReadResult } from '@quadmeter/sdk';
import { readLine } from '@quadmeter/sdk/serial';
import { configOf, type MbusConfig } from './config.ts';
import { linePool } from './pool.ts';
import { readMeter } from './read.ts';

/** One result per requested meter, meters of a line in order, lines (requests) in parallel. */
export function read(request: ReadRequest, ctx: PluginContext<MbusConfig>): AsyncIterable<ReadResult> {
  const config = configOf(ctx.config);
  const kind = request.kind ?? 'realtime';
  return readLine(request, linePool(), (link, line, target, signal) =>
    readMeter(link, line, target, signal, { config, kind, frozenFor: request.frozenFor }),
  );
}

/**
 * EN 13757-3 defines no valve or relay command (makes use their own manufacturer data), so
 * every action is ACTION_UNSUPPORTED until a vendor profile names one.
 */
export async function control(command: ControlCommand): Promise<ControlResult> {
  return {
    commandId: command.id,
    ok: false,
    error: {
      code: 'ACTION_UNSUPPORTED',
      message: `M-Bus meters on this transport take no ${command.action} command`,
      retryable: false,
    },
  };
}
