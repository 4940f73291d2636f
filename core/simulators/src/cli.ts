import { CliError, parseArgs } from './cli/args.ts';
import { BUS_USAGE, busCommand } from './cli/bus-command.ts';
import { CONCENTRATOR_USAGE, concentratorCommand } from './cli/concentrator-command.ts';
import { type SimContext, signalOnTermination } from './cli/context.ts';
import { LORA_USAGE, loraCommand } from './cli/lora-command.ts';
import { NBIOT_USAGE, nbiotCommand } from './cli/nbiot-command.ts';

const USAGE = [
  'usage:',
  `  ${BUS_USAGE}`,
  `  ${CONCENTRATOR_USAGE}`,
  `  ${NBIOT_USAGE}`,
  `  ${LORA_USAGE}`,
].join('\n');

const COMMANDS = {
  bus: busCommand,
  concentrator: concentratorCommand,
  nbiot: nbiotCommand,
  lora: loraCommand,
} as const;

/**
 * Entry of `quadmeter sim …`: starts one simulator, prints where it listens or connects, and runs
 * until SIGINT/SIGTERM (or until `opts.signal` aborts). Returns the process exit code: 0 after a
 * clean stop, 2 on a usage error, 1 when the simulator could not start.
 */
export async function simCommand(args: string[], opts: Partial<SimContext> = {}): Promise<number> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const error = opts.error ?? ((line: string) => console.error(line));
  const [name, ...rest] = args;
  if (!name || name === 'help' || name === '--help') {
    log(USAGE);
    return name ? 0 : 2;
  }
  const run = COMMANDS[name as keyof typeof COMMANDS];
  if (!run) {
    error(`unknown simulator "${name}"\n${USAGE}`);
    return 2;
  }
  const term = opts.signal ? undefined : signalOnTermination();
  const signal = opts.signal ?? (term as { signal: AbortSignal }).signal;
  try {
    return await run(parseArgs(rest), { log, error, signal });
  } catch (e) {
    if (e instanceof CliError) {
      error(`${e.message}\n${USAGE}`);
      return 2;
    }
    error(`sim ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    term?.dispose();
  }
}
