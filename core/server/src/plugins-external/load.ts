import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '@quadmeter/sdk';
import type { ExternalPlugin } from '../registry/index.ts';
import { isPathSpec, type PluginSource } from './sources.ts';

function loadFailed(source: PluginSource, message: string, cause?: unknown): AppError {
  return new AppError(
    'PLUGIN_LOAD_FAILED',
    `External plugin '${source.spec}' (${source.listedIn}): ${message}`,
    { source: source.spec, listedIn: source.listedIn },
    cause === undefined ? undefined : { cause },
  );
}

/** The package folder of a name, looked up in node_modules from `base` upwards. */
function packageDir(name: string, base: string): string | undefined {
  let dir = base;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

type ExportsField = string | { import?: unknown; default?: unknown; '.'?: unknown } | undefined;

function exportTarget(field: ExportsField): string | undefined {
  if (typeof field === 'string') return field;
  if (!field || typeof field !== 'object') return undefined;
  if ('.' in field) return exportTarget(field['.'] as ExportsField);
  return exportTarget((field.import ?? field.default) as ExportsField);
}

/** The module file of a package folder: `exports['.']`, then `main`, then src/index.ts. */
function entryOf(dir: string): string | undefined {
  let pkg: { exports?: ExportsField; main?: string } = {};
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    // no readable package.json: fall back to the usual file names
  }
  const candidates = [exportTarget(pkg.exports), pkg.main, 'src/index.ts', 'index.js'];
  for (const c of candidates) if (typeof c === 'string' && existsSync(join(dir, c))) return join(dir, c);
  return undefined;
}

function resolveEntry(source: PluginSource): string | AppError {
  if (isPathSpec(source.spec)) {
    const path = resolve(source.base, source.spec);
    if (!existsSync(path)) return loadFailed(source, `${path} does not exist`);
    if (!statSync(path).isDirectory()) return path;
    return entryOf(path) ?? loadFailed(source, `${path} has no package.json entry or src/index.ts`);
  }
  const dir = packageDir(source.spec, source.base);
  if (!dir) return loadFailed(source, `package not found from ${source.base} (run npm install)`);
  return entryOf(dir) ?? loadFailed(source, `package ${dir} has no entry module`);
}

/** The plugin definition a module exports: its default export, or the export named `plugin`. */
function definitionOf(mod: Record<string, unknown>): unknown {
  return mod.default ?? mod.plugin;
}

/**
 * Imports each external plugin. Nothing here throws: a plugin that cannot be found, imported or
 * has no definition comes back with PLUGIN_LOAD_FAILED and is shown as failed by the registry.
 */
export async function loadExternalPlugins(sources: readonly PluginSource[]): Promise<ExternalPlugin[]> {
  const out: ExternalPlugin[] = [];
  for (const source of sources) {
    const fallbackId = basename(source.spec) || source.spec;
    const entry = resolveEntry(source);
    if (entry instanceof AppError) {
      out.push({ source: source.spec, id: fallbackId, error: entry });
      continue;
    }
    let mod: Record<string, unknown>;
    try {
      mod = await import(pathToFileURL(entry).href);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      out.push({
        source: source.spec,
        id: fallbackId,
        error: loadFailed(source, `import failed: ${why}`, err),
      });
      continue;
    }
    const plugin = definitionOf(mod);
    const id = (plugin as { id?: unknown } | null)?.id;
    if (typeof plugin !== 'object' || plugin === null || typeof id !== 'string' || id === '') {
      out.push({
        source: source.spec,
        id: fallbackId,
        error: loadFailed(source, 'the module exports no plugin definition (a default export with an id)'),
      });
      continue;
    }
    out.push({ source: source.spec, id, plugin });
  }
  return out;
}
