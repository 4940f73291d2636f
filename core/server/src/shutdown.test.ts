import { type AnyPlugin, defineTransport } from '@quadmeter/sdk';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestPlatform } from '../test/platform.ts';
import { installedPlugins } from './installed-plugins.ts';

describe('graceful shutdown', () => {
  it('closes HTTP before stopping plugins, and the pool only after them', async () => {
    const seen: { httpOpen?: boolean; dbOpen?: boolean } = {};
    let baseUrl = '';
    let query: (() => Promise<unknown>) | undefined;
    const watcher = defineTransport({
      id: 'transport-watcher',
      kind: 'transport',
      mode: 'push',
      protocols: ['test'],
      version: '0.1.0',
      apiVersion: 1,
      title: { 'zh-CN': '观察', en: 'Watcher' },
      start() {},
      async stop() {
        seen.httpOpen = await fetch(`${baseUrl}/healthz`).then(
          () => true,
          () => false,
        );
        seen.dbOpen = await query!().then(
          () => true,
          () => false,
        );
      },
    });
    const p = await startTestPlatform({}, { plugins: [...installedPlugins, watcher] as AnyPlugin[] });
    baseUrl = p.baseUrl;
    query = () => p.running.platform.db.execute(sql`select 1`);
    await p.stop();
    expect(seen).toEqual({ httpOpen: false, dbOpen: true });
    await expect(query()).rejects.toBeTruthy();
  });
});
