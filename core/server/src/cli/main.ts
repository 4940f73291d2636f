import { describeFailure } from './report.ts';

const help = `quadmeter <command>

  start                 run the platform (embedded PostgreSQL unless DATABASE_URL is set); creates the
                        first platform operator, and the demo tenant when no tenant exists yet
  migrate               apply database migrations and exit
  seed-demo             create the demo tenant (admin user, area tree, meter types enabled) if it is missing
  tenant create <code> <name> [--admin <user>] [--password <pw>]
  user create --tenant <code> --username <u> --password <p> [--role <name>] [--name <display>]
  backup --tenant <code> (--out <file> | --dir <directory> [--keep <n>])
                        back up one tenant into one checksummed file (docs/operations.md); with
                        --dir, a timestamped file and only the newest n (default 7) kept
  restore <file> (--as-new-tenant <code> [--name <name>] | --replace --confirm <code>)
                        verify the whole backup, then restore it as a new tenant (ids remapped) or
                        in place of the tenant it was made of (kept, suspended, renamed)
  frame decode|encode   decode or build meter protocol frames (see 'quadmeter frame')
  tariff quote --tariff <tariff.json> --usage <usage.json>
                        price usage under a tariff (docs/tariffs.md): the bill lines and total in fen as JSON
  tariff schema <tariff|usage>
                        print the JSON Schema of tariff or usage files (docs/tariffs/schema/)
  plugin new <kind> <name> [--dir <path>]
                        scaffold a plugin package (meter-type, transport, payment, notifier) with its
                        contract test, anywhere on disk (docs/plugins.md)
  sim <kind>            run a device simulator (see 'quadmeter sim'; needs @quadmeter/simulators)

Errors print one line, "error CODE: message", and exit 1 (2 for wrong usage).`;

export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  let code = 0;
  try {
    if (cmd === 'frame') {
      code = await (await import('./frame.ts')).frameCommand(rest);
    } else if (cmd === 'plugin') {
      code = await (await import('./plugin.ts')).pluginCommand(rest);
    } else if (cmd === 'backup') {
      code = await (await import('./backup.ts')).backupCommand(rest);
    } else if (cmd === 'restore') {
      code = await (await import('./backup.ts')).restoreCommand(rest);
    } else if (cmd === 'tariff') {
      code = await (await import('./tariff.ts')).tariffCommand(rest);
    } else {
      const { commands } = await import('./commands.ts');
      if (cmd && Object.hasOwn(commands, cmd)) {
        code = await commands[cmd as keyof typeof commands](rest);
      } else if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
        console.log(help);
      } else {
        console.error(`error CLI_USAGE: unknown command '${cmd}'; see quadmeter --help`);
        code = 2;
      }
    }
  } catch (e) {
    const failure = describeFailure(e);
    console.error(failure.line);
    code = failure.exitCode;
  }
  if (code !== 0) process.exitCode = code;
}
