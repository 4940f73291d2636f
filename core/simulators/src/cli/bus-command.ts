import { populateBus } from '../bus/populate.ts';
import { startPtyPair } from '../bus/pty-pair.ts';
import { Rs485Bus } from '../bus/rs485-bus.ts';
import { attachSerialPort } from '../bus/serial-port-attach.ts';
import { startTcpSerialServer } from '../bus/tcp-serial-server.ts';
import { systemClock } from '../time/clock.ts';
import { CliError, hostPort, intOption, numberOption, type ParsedArgs } from './args.ts';
import { type SimContext, untilStopped } from './context.ts';

export const BUS_OPTIONS = [
  'tcp',
  'pty',
  'dlt645',
  'dlt645-1997',
  'cjt188',
  'mbus',
  'baud',
  'loss',
  'corrupt',
  'seed',
] as const;

export const BUS_USAGE =
  'sim bus [--tcp host:port] [--pty /path] --dlt645 N --cjt188 N --mbus N [--dlt645-1997 N] [--baud 2400] [--loss 0..1] [--corrupt 0..1] [--seed N]';

/** `sim bus`: one RS-485 line with meters, reachable over a TCP serial server and/or a pty. */
export async function busCommand(p: ParsedArgs, ctx: SimContext): Promise<number> {
  const tcp = p.options.get('tcp');
  const pty = p.options.get('pty');
  if (!tcp && !pty) throw new CliError('give --tcp host:port and/or --pty /path');
  const baud = intOption(p, 'baud', 2400, 300, 115200);
  const bus = new Rs485Bus({
    baud,
    loss: numberOption(p, 'loss', 0, 0, 1),
    corruption: numberOption(p, 'corrupt', 0, 0, 1),
    seed: intOption(p, 'seed', 1),
  });
  const pop = populateBus(bus, {
    clock: systemClock,
    dlt645: intOption(p, 'dlt645', 0, 0, 2040),
    dlt645Of1997: intOption(p, 'dlt645-1997', 0, 0, 2040),
    cjt188: intOption(p, 'cjt188', 0, 0, 2040),
    mbus: intOption(p, 'mbus', 0, 0, 250),
  });
  const stops: (() => Promise<void>)[] = [];
  try {
    if (tcp) {
      const { host, port } = hostPort(tcp, '--tcp');
      const server = await startTcpSerialServer(bus, { host, port });
      stops.push(() => server.close());
      ctx.log(`serial server listening on tcp://${server.host}:${server.port}`);
    }
    if (pty) {
      const pair = await startPtyPair(`${pty}-sim`, pty);
      stops.push(() => pair.stop());
      const port = await attachSerialPort(bus, pair.simPath, baud);
      stops.unshift(() => port.close());
      ctx.log(`serial line on pty ${pair.masterPath} (open it at ${baud} 8E1)`);
    }
    ctx.log(`bus: ${baud} bps 8E1, ${bus.deviceList.length} meters`);
    for (const d of [...pop.dlt645, ...pop.cjt188, ...pop.mbus])
      ctx.log(`  ${d.label} (Td ${d.latencyMs} ms)`);
    await untilStopped(ctx.signal);
    ctx.log(`stopping; ${JSON.stringify(bus.stats)}`);
    return 0;
  } finally {
    for (const s of stops) await s();
    bus.close();
  }
}
