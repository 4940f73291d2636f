import { loadConfig } from '../config.ts';
import { createApp } from '../http/app.ts';
import { createLogger } from '../logger.ts';
import type { Platform } from '../platform.ts';
import { createRegistry } from '../registry/index.ts';

/** A platform part the document does not need: any use while the routes are declared fails loudly. */
const absent = (what: string) =>
  new Proxy(
    {},
    {
      get() {
        throw new Error(`${what} is not available while the OpenAPI document is written`);
      },
    },
  );

/**
 * The core API's OpenAPI document, from the same route declarations the server mounts, without a
 * database (plugins' own routes are not part of it: they depend on the tenant's plugins).
 */
export async function openapiDocument(): Promise<unknown> {
  const logger = createLogger('silent');
  const platform = {
    config: loadConfig({}),
    logger,
    registry: createRegistry({ plugins: [], logger }),
    pluginMounts: [],
    database: absent('database'),
    db: absent('db'),
    jobs: absent('jobs'),
    pluginHost: absent('pluginHost'),
    secrets: absent('secrets'),
  } as unknown as Platform;
  const res = await createApp(platform).request('/api/openapi.json');
  return res.json();
}
