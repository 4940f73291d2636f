import type { ControlCommand, ControlResult, PluginContext, ReadRequest, ReadResult } from '@quadmeter/sdk';
import { meterLine, parseLineParams, readLine, TransportError, toFailure } from '@quadmeter/sdk/serial';
import { configOf, type Rs485Config } from './config.ts';
import { controlCall, runControl } from './control.ts';
import { assertLive, ControlRefusal } from './control-result.ts';
import { linePool } from './pool.ts';
import { readMeter } from './read.ts';

/** One result per requested meter, meters of a line in order, lines (requests) in parallel. */
export function read(request: ReadRequest, ctx: PluginContext<Rs485Config>): AsyncIterable<ReadResult> {
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

/**
 * Runs a command on its meter's line, in turn with the reads of that line. An expired command is
 * refused before the line is opened and again once the line is free.
 */
export async function control(
  command: ControlCommand,
  ctx: PluginContext<Rs485Config>,
): Promise<ControlResult> {
  try {
    assertLive(command);
    if (!command.line) throw new TransportError('LINE_PARAMS_INVALID', 'the command names no line');
    const config = configOf(ctx.config);
    const line = parseLineParams(command.line, config.lines);
    const own = meterLine(line, command.params);
    return await linePool().withLine(line, async (link) => {
      await link.setBaudRate?.(own.baudRate);
      return runControl(controlCall(command, link, own, config, ctx.signal), command);
    });
  } catch (e) {
    if (e instanceof ControlRefusal) return { commandId: command.id, ok: false, error: e.failure };
    return { commandId: command.id, ok: false, error: toFailure(e) };
  }
}
