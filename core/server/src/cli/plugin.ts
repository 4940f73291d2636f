import { parseCommand, text, usage } from './args.ts';
import { scaffoldPlugin } from './plugin-new/scaffold.ts';

const USAGE = 'quadmeter plugin new <meter-type|transport|payment|notifier> <name> [--dir <path>]';

/** `quadmeter plugin new`: scaffolds a plugin package anywhere on disk. */
export async function pluginCommand(args: string[]): Promise<number> {
  if (args[0] !== 'new') throw usage(USAGE);
  const p = parseCommand('plugin new', args.slice(1), { dir: { type: 'string' } });
  if (p.positionals.length !== 2) throw usage(USAGE);
  const [kind, name] = p.positionals as [string, string];
  const made = scaffoldPlugin({
    kind,
    name,
    dir: text(p, 'dir'),
    cwd: process.env.INIT_CWD ?? process.cwd(),
  });
  console.log(`created ${made.id} in ${made.dir}:`);
  for (const f of made.files) console.log(`  ${f}`);
  console.log(`\nnext: cd ${made.dir} && npm install && npm test`);
  return 0;
}
