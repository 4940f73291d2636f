const help = `quadmeter <command>

  start                 run the platform (embedded PostgreSQL unless DATABASE_URL is set)
  migrate               apply database migrations and exit
  seed-demo             create the demo tenant, its admin user and demo archives
  tenant create <code> <name>
  user create --tenant <code> --username <u> --password <p> [--role <name>]
  frame decode|encode   decode or build meter protocol frames (see 'quadmeter frame')
  sim <kind>            run a device simulator (see 'quadmeter sim')`;

export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  let code = 0;
  switch (cmd) {
    case 'frame':
      code = await (await import('./frame.ts')).frameCommand(rest);
      break;
    default: {
      const more = await import('./commands.ts').catch(() => null);
      if (more && cmd && cmd in more.commands) {
        code = await more.commands[cmd as keyof typeof more.commands](rest);
      } else {
        console.log(help);
        code = cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 2;
      }
    }
  }
  if (code !== 0) process.exitCode = code;
}
