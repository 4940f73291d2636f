import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

function configError(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('config', () => {
  it('runs schedules in Asia/Shanghai unless QUADMETER_TIMEZONE names another IANA zone', () => {
    expect(loadConfig({}).QUADMETER_TIMEZONE).toBe('Asia/Shanghai');
    expect(loadConfig({ QUADMETER_TIMEZONE: 'Europe/Berlin' }).QUADMETER_TIMEZONE).toBe('Europe/Berlin');
    const e = configError({ QUADMETER_TIMEZONE: 'Asia/Shanghia' });
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain('QUADMETER_TIMEZONE');
  });

  it('accepts a 32-byte secret key in hex or base64 and refuses anything else', () => {
    const hex = 'ab'.repeat(32);
    expect(loadConfig({ QUADMETER_SECRET_KEY: hex }).QUADMETER_SECRET_KEY).toBe(hex);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ QUADMETER_SECRET_KEY: b64 }).QUADMETER_SECRET_KEY).toBe(b64);
    for (const bad of ['ab'.repeat(16), 'not a key', Buffer.alloc(16).toString('base64')]) {
      const e = configError({ QUADMETER_SECRET_KEY: bad });
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.message).toContain('QUADMETER_SECRET_KEY');
    }
  });

  it('keeps the per-plugin variables for the plugin host', () => {
    const c = loadConfig({
      QUADMETER_PLUGIN_METER_WATER: '{"a":1}',
      QUADMETER_PLUGINS_CONFIG: 'p.json',
      X: '1',
    });
    expect(c.pluginEnv).toEqual({ QUADMETER_PLUGIN_METER_WATER: '{"a":1}' });
    expect(c.QUADMETER_PLUGINS_CONFIG).toBe('p.json');
  });
});
