import { CliError, parseArgs } from './cli/args.ts';
import { BUS_OPTIONS, BUS_USAGE, busCommand } from './cli/bus-command.ts';
import { CONCENTRATOR_OPTIONS, CONCENTRATOR_USAGE, concentratorCommand } from './cli/concentrator-command.ts';
import { type SimContext, signalOnTermination } from './cli/context.ts';
import { LORA_OPTIONS, LORA_USAGE, loraCommand } from './cli/lora-command.ts';
import { NBIOT_OPTIONS, NBIOT_USAGE, nbiotCommand } from './cli/nbiot-command.ts';

const USAGE = [
  'usage:',
  `  ${BUS_USAGE}`,
  `  ${CONCENTRATOR_USAGE}`,
  `  ${NBIOT_USAGE}`,
  `  ${LORA_USAGE}`,
].join('\n');

const COMMANDS = {
  bus: { run: busCommand, options: BUS_OPTIONS, usage: BUS_USAGE },
  concentrator: { run: concentratorCommand, options: CONCENTRATOR_OPTIONS, usage: CONCENTRATOR_USAGE },
  nbiot: { run: nbiotCommand, options: NBIOT_OPTIONS, usage: NBIOT_USAGE },
  lora: { run: loraCommand, options: LORA_OPTIONS, usage: LORA_USAGE },
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
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as keyof typeof COMMANDS] : undefined;
  if (!command) {
    error(`error CLI_USAGE: unknown simulator "${name}" (one of ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  const term = opts.signal ? undefined : signalOnTermination();
  const signal = opts.signal ?? (term as { signal: AbortSignal }).signal;
  try {
    return await command.run(parseArgs(rest, command.options), { log, error, signal });
  } catch (e) {
    if (e instanceof CliError) {
      error(`error CLI_USAGE: ${e.message} (usage: quadmeter ${command.usage})`);
      return 2;
    }
    error(`error SIM_FAILED: sim ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    term?.dispose();
  }
}
