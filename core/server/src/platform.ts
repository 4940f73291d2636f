import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import type { Jobs } from './jobs/jobs.ts';
import type { Logger } from './logger.ts';
import type { PluginHost, PluginMount } from './plugin-host.ts';
import type { Registry } from './registry/index.ts';
import type { SecretBox } from './secrets/secret-box.ts';

/** Everything a route or service needs from the running platform, built once in main.ts. */
export interface Platform {
  config: Config;
  logger: Logger;
  database: Database;
  db: Db;
  jobs: Jobs;
  registry: Registry;
  /** routes and hooks the plugins declared */
  pluginMounts: PluginMount[];
  /** the plugin lifecycle (stop one plugin with its workers) */
  pluginHost: PluginHost;
  /** encrypts plugin secrets at rest */
  secrets: SecretBox;
}
