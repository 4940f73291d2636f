/** Minimal `--name value` / `--name=value` / boolean flag parser for the CLI. */
export function parseFlags(
  args: string[],
  booleans: readonly string[] = [],
): { flags: Record<string, string | boolean>; positional: string[] } {
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
    else if (booleans.includes(a.slice(2)) || i + 1 >= args.length || args[i + 1].startsWith('--'))
      flags[a.slice(2)] = true;
    else flags[a.slice(2)] = args[++i];
  }
  return { flags, positional };
}
