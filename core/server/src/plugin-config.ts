import { readFileSync } from 'node:fs';
import { AppError } from '@quadmeter/sdk';
import { type Config, PLUGIN_ENV_PREFIX } from './config.ts';

/** `meter-water` → `QUADMETER_PLUGIN_METER_WATER` */
export function pluginEnvName(pluginId: string): string {
  return PLUGIN_ENV_PREFIX + pluginId.toUpperCase().replace(/-/g, '_');
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `${where} is not valid JSON`, { source: where }, { cause: err });
  }
}

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AppError(
      'CONFIG_INVALID',
      `QUADMETER_PLUGINS_CONFIG: cannot read ${path}`,
      { source: path },
      {
        cause: err,
      },
    );
  }
  const value = parseJson(text, `QUADMETER_PLUGINS_CONFIG (${path})`);
  if (!isRecord(value))
    throw new AppError('CONFIG_INVALID', `${path} must hold an object keyed by plugin id`, { source: path });
  return value;
}

/**
 * The instance config of each plugin, from the file named by QUADMETER_PLUGINS_CONFIG
 * (`{ "<plugin-id>": { … } }`) and QUADMETER_PLUGIN_<ID_UPPER_SNAKE>='{ … }' variables; a
 * variable's top-level fields override the file's. The registry validates the result against the
 * plugin's `config` schema. Undefined when neither names the plugin.
 */
export function pluginConfigSource(
  config: Pick<Config, 'QUADMETER_PLUGINS_CONFIG' | 'pluginEnv'>,
): (pluginId: string) => unknown {
  const file = config.QUADMETER_PLUGINS_CONFIG ? readFile(config.QUADMETER_PLUGINS_CONFIG) : {};
  const env = config.pluginEnv ?? {};
  return (pluginId) => {
    const name = pluginEnvName(pluginId);
    const fromFile = file[pluginId];
    if (env[name] === undefined) return fromFile;
    const fromEnv = parseJson(env[name], name);
    return isRecord(fromFile) && isRecord(fromEnv) ? { ...fromFile, ...fromEnv } : fromEnv;
  };
}
