import { ConcentratorSim } from '../concentrator/concentrator-sim.ts';
import { MeterTable } from '../concentrator/meter-table.ts';
import { attachWaterMeters } from '../concentrator/water-meters.ts';
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
  'water',
  'water-port',
  'line-timing',
] as const;

export const CONCENTRATOR_USAGE =
  'sim concentrator --master host:port --a1 3501 --a2 1 [--meters 50] [--heartbeat 60] [--miss-rate 0..1] [--missing 3,7] [--seed 1] [--max-user-data N] [--water N --water-port 3] [--line-timing on]';

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
  const water = intOption(p, 'water', 0, 0, 2000);
  const waterPort = intOption(p, 'water-port', 3, 1, 31);
  const timing = p.options.get('line-timing');
  if (timing !== undefined && timing !== 'on' && timing !== 'off')
    throw new CliError(`--line-timing must be on or off, got "${timing}"`);
  const taps = attachWaterMeters(table, {
    clock: systemClock,
    port: waterPort,
    count: water,
    addressBase: Number(a1) * 10_000 + a2,
  });
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
    lineTiming: timing === 'on',
    log: ctx.log,
  });
  ctx.log(
    `concentrator ${a1}-${a2} with ${meters} meter(s) (pn 1..${meters}) connecting to ${master.host}:${master.port}`,
  );
  for (const e of table.entries().slice(0, 10)) ctx.log(`  p${e.pn} DL/T 645 ${e.device.meter.address}`);
  if (meters > 10) ctx.log(`  … ${meters - 10} more`);
  for (const d of taps.slice(0, 3)) ctx.log(`  port ${waterPort} CJ/T 188 water ${d.meter.address} (valve)`);
  if (water > 3) ctx.log(`  … ${water - 3} more water meters on port ${waterPort}`);
  sim.start();
  await untilStopped(ctx.signal);
  await sim.stop();
  return 0;
}
