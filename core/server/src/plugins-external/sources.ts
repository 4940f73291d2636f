import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { AppError } from '@quadmeter/sdk';
import { z } from 'zod';

/** One external plugin as listed: a package name or a path, and the folder it is resolved from. */
export interface PluginSource {
  spec: string;
  base: string;
  /** where it was listed: the config file's path or QUADMETER_PLUGINS */
  listedIn: string;
}

export const CONFIG_FILE = 'quadmeter.config.json';

const configFileSchema = z.looseObject({
  plugins: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(500)
        .refine((s) => !s.includes('\0'), 'must not hold NUL'),
    )
    .max(200)
    .default([]),
});

function readConfigFile(path: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `${path}: cannot read it as JSON`, { source: path }, { cause: err });
  }
  const parsed = configFileSchema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError('CONFIG_INVALID', `${path}: ${lines.join('; ')}`, { source: path, issues: lines });
  }
  return parsed.data.plugins;
}

/**
 * The external plugins to load: those of the config file (QUADMETER_CONFIG, or
 * quadmeter.config.json in the working directory when present; paths relative to the file) and
 * then those of QUADMETER_PLUGINS (comma-separated; paths relative to the working directory).
 */
export function pluginSources(
  env: { QUADMETER_CONFIG?: string; QUADMETER_PLUGINS?: string },
  cwd: string,
): PluginSource[] {
  const out: PluginSource[] = [];
  const file = env.QUADMETER_CONFIG ? resolve(cwd, env.QUADMETER_CONFIG) : resolve(cwd, CONFIG_FILE);
  if (env.QUADMETER_CONFIG || existsSync(file)) {
    for (const spec of readConfigFile(file)) out.push({ spec, base: dirname(file), listedIn: file });
  }
  for (const spec of (env.QUADMETER_PLUGINS ?? '').split(',')) {
    const s = spec.trim();
    if (s) out.push({ spec: s, base: cwd, listedIn: 'QUADMETER_PLUGINS' });
  }
  return out;
}

/** A path (relative or absolute) rather than a package name. */
export function isPathSpec(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec);
}
