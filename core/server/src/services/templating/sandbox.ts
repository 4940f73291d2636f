import Handlebars from 'handlebars';

/**
 * The one place tenant-written Handlebars is compiled and run (notices and printed documents).
 * The sandbox: an isolated environment per helper set; only Handlebars' built-in block helpers
 * plus the helpers given (`knownHelpersOnly`, `log` removed); partials, inline partials and
 * decorators refused before compiling (so nothing can recurse or reach a file); prototype
 * properties and methods never resolved; bounded source and output size and a time budget checked
 * after rendering (without partials the work is linear in template × data, so the size bounds keep
 * it short). Every failure is a TemplateFault with a line and column where the parser knows one.
 */
export class TemplateFault extends Error {
  readonly line: number | null;
  readonly column: number | null;
  constructor(message: string, line: number | null, column: number | null) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

export type Helper = (...args: unknown[]) => unknown;

export interface SandboxOptions {
  /** plain text (sms) when true; HTML-escaped output otherwise */
  noEscape: boolean;
  helpers?: Readonly<Record<string, Helper>>;
  /** refuse `{{{raw}}}` output (HTML documents: data never becomes markup) */
  refuseRaw?: boolean;
  maxSource?: number;
  maxOutput: number;
  budgetMs?: number;
  /** private data the helpers read through `options.data` (e.g. the time zone) */
  data?: Record<string, unknown>;
}

const BUILTIN_BLOCKS = ['if', 'unless', 'each', 'with', 'lookup'];
const envs = new WeakMap<object, typeof Handlebars>();
const NO_HELPERS = {};

function envFor(helpers: Readonly<Record<string, Helper>>): typeof Handlebars {
  let env = envs.get(helpers);
  if (!env) {
    env = Handlebars.create();
    env.unregisterHelper('log');
    for (const [name, fn] of Object.entries(helpers))
      env.registerHelper(name, fn as Handlebars.HelperDelegate);
    envs.set(helpers, env);
  }
  return env;
}

interface Loc {
  start: { line: number; column: number };
}
interface Node {
  type: string;
  loc?: Loc;
  escaped?: boolean;
  [k: string]: unknown;
}

const REFUSED: Record<string, string> = {
  PartialStatement: 'partials ({{> …}}) are not allowed',
  PartialBlockStatement: 'partials ({{#> …}}) are not allowed',
  Decorator: 'decorators ({{* …}}) are not allowed',
  DecoratorBlock: 'inline partials and decorators ({{#* …}}) are not allowed',
};

/** Walks the parsed template and refuses what the sandbox does not run. */
function check(node: unknown, refuseRaw: boolean): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) check(n, refuseRaw);
    return;
  }
  const n = node as Node;
  const at = n.loc?.start;
  const reason = REFUSED[n.type];
  if (reason) throw new TemplateFault(reason, at?.line ?? null, at ? at.column + 1 : null);
  if (refuseRaw && n.type === 'MustacheStatement' && n.escaped === false)
    throw new TemplateFault(
      'raw output ({{{…}}}) is not allowed; use {{…}}',
      at?.line ?? null,
      at ? at.column + 1 : null,
    );
  for (const key of ['body', 'program', 'inverse', 'params', 'hash', 'pairs', 'path', 'value'])
    if (key in n) check(n[key], refuseRaw);
}

/** Line and column of a Handlebars parse error ("Parse error on line 3:\n…abc\n---^"). */
function parseErrorAt(message: string, source: string): { line: number | null; column: number | null } {
  const m = /on line (\d+):\n(.*)\n(-*)\^/.exec(message);
  if (!m) return { line: null, column: null };
  const line = Number(m[1]);
  const before = (m[2] ?? '').slice(0, (m[3] ?? '').length);
  const text = source.split('\n')[line - 1] ?? '';
  // the excerpt joins lines; the caret sits where the longest head of this line ends it
  for (let col = text.length; col > 0; col--) {
    const head = text.slice(0, col);
    if (before.endsWith(head) || head.endsWith(before)) return { line, column: col + 1 };
  }
  return { line, column: 1 };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 300) ?? '';
}

/** Compiles and renders `source` with `context` in the sandbox; TemplateFault on any failure. */
export function renderSandboxed(source: string, context: object, opts: SandboxOptions): string {
  const maxSource = opts.maxSource ?? 65_536;
  if (source.length > maxSource)
    throw new TemplateFault(`the template is longer than ${maxSource} characters`, null, null);
  const helpers = opts.helpers ?? NO_HELPERS;
  let ast: unknown;
  try {
    ast = Handlebars.parse(source);
  } catch (err) {
    const e = err as { lineNumber?: number; column?: number };
    const at =
      typeof e.lineNumber === 'number'
        ? { line: e.lineNumber, column: (e.column ?? 0) + 1 }
        : parseErrorAt(err instanceof Error ? err.message : '', source);
    throw new TemplateFault(firstLine(err), at.line, at.column);
  }
  check(ast, opts.refuseRaw ?? false);
  const started = performance.now();
  let out: string;
  try {
    const env = envFor(helpers);
    const template = env.compile(source, {
      noEscape: opts.noEscape,
      knownHelpers: Object.fromEntries([...BUILTIN_BLOCKS, ...Object.keys(helpers)].map((k) => [k, true])),
      knownHelpersOnly: true,
      strict: false,
      preventIndent: true,
    });
    out = template(context, {
      data: opts.data ?? {},
      allowProtoPropertiesByDefault: false,
      allowProtoMethodsByDefault: false,
    });
  } catch (err) {
    if (err instanceof TemplateFault) throw err;
    const e = err as { lineNumber?: number; column?: number };
    throw new TemplateFault(
      firstLine(err),
      typeof e.lineNumber === 'number' ? e.lineNumber : null,
      typeof e.column === 'number' ? e.column + 1 : null,
    );
  }
  if (out.length > opts.maxOutput)
    throw new TemplateFault(`the rendered text is longer than ${opts.maxOutput} characters`, null, null);
  const budget = opts.budgetMs ?? 2_000;
  if (performance.now() - started > budget)
    throw new TemplateFault(`rendering took longer than ${budget} ms`, null, null);
  return out;
}
