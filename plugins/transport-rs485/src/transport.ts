import type { ControlCommand, ControlResult, PluginContext, ReadRequest, ReadResult } from '@quadmeter/sdk';
import { meterLine, parseLineParams, readLine, TransportError, toFailure } from '@quadmeter/sdk/serial';
import { configOf, type Rs485Config } from './config.ts';
import { controlCall, runControl } from './control.ts';
import { linePool } from './pool.ts';
import { readMeter } from './read.ts';

/** One result per requested meter, meters of a line in order, lines (requests) in parallel. */
export function read(request: ReadRequest, ctx: PluginContext<Rs485Config>): AsyncIterable<ReadResult> {
  const config = configOf(ctx.config);
  const kind = request.kind ?? 'realtime';
  return readLine(request, linePool(), (link, line, target, signal) =>
    readMeter(link, line, target, signal, { config, kind, frozenFor: request.frozenFor }),
  );
}

/** Runs a command on its meter's line, in turn with the reads of that line. */
export async function control(
  command: ControlCommand,
  ctx: PluginContext<Rs485Config>,
): Promise<ControlResult> {
  try {
    if (!command.line) throw new TransportError('LINE_PARAMS_INVALID', 'the command names no line');
    const line = parseLineParams(command.line);
    const own = meterLine(line, command.params);
    const config = configOf(ctx.config);
    return await linePool().withLine(line, async (link) => {
      await link.setBaudRate?.(own.baudRate);
      return runControl(controlCall(command, link, own, config, ctx.signal), command);
    });
  } catch (e) {
    return { commandId: command.id, ok: false, error: toFailure(e) };
  }
}
