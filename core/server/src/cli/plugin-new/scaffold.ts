import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, kindPrefix, type PluginKind, pluginKinds } from '@quadmeter/sdk';
import { meterTypeTemplate } from './meter-type.ts';
import { notifierTemplate } from './notifier.ts';
import { paymentTemplate } from './payment.ts';
import type { Template } from './template.ts';
import { transportTemplate } from './transport.ts';

const templates: Record<PluginKind, Template> = {
  'meter-type': meterTypeTemplate,
  transport: transportTemplate,
  payment: paymentTemplate,
  notifier: notifierTemplate,
};

/** The repository this command runs from: its SDK and protocols are what a new plugin uses. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');

/**
 * The test command: the checkout's own Node 24 and vitest, so the package needs nothing from a
 * registry (`npm install --offline` links the SDK and is done).
 */
function testScript(): string {
  const node = join(repoRoot, 'node_modules/node/bin/node');
  return `${existsSync(node) ? node : 'node'} ${join(repoRoot, 'node_modules/vitest/vitest.mjs')} run`;
}

export interface ScaffoldRequest {
  kind: string;
  name: string;
  /** the package folder; default ./<id> */
  dir?: string;
  cwd: string;
}

export interface Scaffolded {
  id: string;
  dir: string;
  files: string[];
}

function packageJson(kind: PluginKind, id: string): string {
  const deps: Record<string, string> = { '@quadmeter/sdk': `file:${join(repoRoot, 'core/sdk')}` };
  if (kind === 'transport') deps['@quadmeter/protocols'] = `file:${join(repoRoot, 'core/protocols')}`;
  const pkg = {
    name: id,
    version: '0.1.0',
    private: true,
    type: 'module',
    exports: { '.': './src/index.ts' },
    scripts: { test: testScript() },
    dependencies: deps,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function readme(kind: PluginKind, id: string, dir: string): string {
  return `# ${id}

A Quadmeter ${kind} plugin, scaffolded by \`quadmeter plugin new\`.

    npm install --offline   # links @quadmeter/sdk from the Quadmeter checkout
    npm test                # the ${kind} contract suite and the fixture tests

Load it into a deployment without touching the platform: list this folder in the
deployment's \`quadmeter.config.json\`

    { "plugins": ["${dir}"] }

(or \`QUADMETER_PLUGINS=${dir}\`), start the platform and find \`${id}\` in
\`GET /api/v1/plugins\` and the admin's plugins page. See docs/plugins.md in the Quadmeter
repository for the whole walk-through.
`;
}

/** Writes a new plugin package; refuses a bad kind or name (CLI_USAGE) and a non-empty folder. */
export function scaffoldPlugin(req: ScaffoldRequest): Scaffolded {
  if (!(pluginKinds as readonly string[]).includes(req.kind))
    throw new AppError('CLI_USAGE', `unknown kind '${req.kind}'; one of ${pluginKinds.join(', ')}`);
  const kind = req.kind as PluginKind;
  const prefix = kindPrefix[kind];
  const bare = req.name.startsWith(`${prefix}-`) ? req.name.slice(prefix.length + 1) : req.name;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(bare) || bare.length > 40)
    throw new AppError(
      'CLI_USAGE',
      `name '${req.name}' must be kebab case (a-z, 0-9, '-'), at most 40 characters`,
    );
  const id = `${prefix}-${bare}`;
  const dir = resolve(req.cwd, req.dir ?? id);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new AppError('SCAFFOLD_TARGET_EXISTS', `${dir} exists and is not empty`, { dir });
  const files: Record<string, string> = {
    'package.json': packageJson(kind, id),
    'README.md': readme(kind, id, dir),
    ...templates[kind]({ id, name: bare, title: bare }),
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { id, dir, files: Object.keys(files).sort() };
}
