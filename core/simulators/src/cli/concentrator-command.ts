import { ConcentratorSim } from '../concentrator/concentrator-sim.ts';
import { MeterTable } from '../concentrator/meter-table.ts';
import { systemClock } from '../time/clock.ts';
import { CliError, hostPort, intOption, numberOption, type ParsedArgs, requireOption } from './args.ts';
import { type SimContext, untilStopped } from './context.ts';

export const CONCENTRATOR_OPTIONS = [
  'master',
  'a1',
  'a2',
  'meters',
  'heartbeat',
  'miss-rate',
  'missing',
  'seed',
  'max-user-data',
] as const;

export const CONCENTRATOR_USAGE =
  'sim concentrator --master host:port --a1 3501 --a2 1 [--meters 50] [--heartbeat 60] [--miss-rate 0..1] [--missing 3,7] [--seed 1] [--max-user-data N]';

function pnList(text: string | undefined): number[] {
  if (!text) return [];
  const out = text.split(',').map((s) => Number(s.trim()));
  if (out.some((n) => !Number.isInteger(n) || n < 1 || n > 2040))
    throw new CliError(`--missing must list measuring points 1..2040, got "${text}"`);
  return out;
}

/** `sim concentrator`: a Q/GDW 1376.1 terminal connecting to a master station. */
export async function concentratorCommand(p: ParsedArgs, ctx: SimContext): Promise<number> {
  const master = hostPort(requireOption(p, 'master'), '--master');
  const a1 = requireOption(p, 'a1');
  if (!/^\d{4}$/.test(a1)) throw new CliError(`--a1 must be 4 digits, got "${a1}"`);
  const a2 = intOption(p, 'a2', 1, 1, 65534);
  const meters = intOption(p, 'meters', 50, 0, 2040);
  const table = MeterTable.generate(systemClock, meters, Number(a1) * 10_000 + a2);
  const sim = new ConcentratorSim({
    master,
    a1,
    a2,
    table,
    clock: systemClock,
    heartbeatSec: intOption(p, 'heartbeat', 60, 1),
    missRate: numberOption(p, 'miss-rate', 0, 0, 1),
    missing: pnList(p.options.get('missing')),
    seed: intOption(p, 'seed', 1),
    maxUserData: p.options.has('max-user-data') ? intOption(p, 'max-user-data', 16383, 64, 16383) : undefined,
    reconnectMs: 5000,
    log: ctx.log,
  });
  ctx.log(
    `concentrator ${a1}-${a2} with ${meters} meter(s) (pn 1..${meters}) connecting to ${master.host}:${master.port}`,
  );
  for (const e of table.entries().slice(0, 10)) ctx.log(`  p${e.pn} DL/T 645 ${e.device.meter.address}`);
  if (meters > 10) ctx.log(`  … ${meters - 10} more`);
  sim.start();
  await untilStopped(ctx.signal);
  await sim.stop();
  return 0;
}
