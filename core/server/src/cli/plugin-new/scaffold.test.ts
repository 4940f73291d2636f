import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { repoRoot, scaffoldPlugin } from './scaffold.ts';

const run = promisify(execFile);
const node = join(repoRoot, 'node_modules/node/bin/node');
const bin = join(repoRoot, 'core/server/bin/quadmeter.mjs');
const kinds = [
  ['meter-type', 'meter-demo'],
  ['transport', 'transport-demo'],
  ['payment', 'payment-demo'],
  ['notifier', 'notifier-demo'],
] as const;

let root: string;
let p: TestPlatform | undefined;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qm-scaffold-'));
});
afterAll(async () => {
  await p?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('quadmeter plugin new', () => {
  it('scaffolds each kind outside the repository; each installs offline and passes its contract test', async () => {
    for (const [kind, id] of kinds) {
      const made = await run(node, [bin, 'plugin', 'new', kind, 'demo', '--dir', join(root, id)], {
        cwd: root,
      });
      expect(made.stdout).toContain(`created ${id} in ${join(root, id)}`);
      const pkg = JSON.parse(await readFile(join(root, id, 'package.json'), 'utf8'));
      expect(Object.keys(pkg.dependencies).sort()).toEqual(
        kind === 'transport' ? ['@quadmeter/protocols', '@quadmeter/sdk'] : ['@quadmeter/sdk'],
      );
      expect(pkg.devDependencies).toBeUndefined();
      await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: join(root, id) });
      const tested = await run('npm', ['test'], {
        cwd: join(root, id),
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(tested.stdout).toMatch(/Test Files\s+\S*1 passed/);
      expect(tested.stdout).not.toMatch(/failed/);
    }
  }, 120_000);

  it('loads every scaffolded plugin and the data-defined cooling meter through the config file', async () => {
    const config = join(root, 'quadmeter.config.json');
    const cooling = join(repoRoot, 'examples/meter-cooling');
    await writeFile(config, JSON.stringify({ plugins: [...kinds.map(([, id]) => `./${id}`), cooling] }));
    p = await startTestPlatform({ QUADMETER_CONFIG: config, QUADMETER_SIMULATORS: 'off' });
    const admin: Client = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
    const r = await admin.get('/api/v1/plugins');
    expect(r.status).toBe(200);
    const byId = new Map(r.body.items.map((x: { id: string }) => [x.id, x]));
    for (const [kind, id] of kinds)
      expect(byId.get(id), JSON.stringify(byId.get(id))).toMatchObject({
        kind,
        status: 'running',
        source: `./${id}`,
      });
    expect(byId.get('meter-cooling')).toMatchObject({
      kind: 'meter-type',
      status: 'running',
      title: { 'zh-CN': '冷量表', en: 'Cooling energy meter' },
    });
    // a meter may now be of the new kinds: their registers are offered like the built-in ones'
    const meterKinds = await admin.get('/api/v1/meters/kinds');
    expect(meterKinds.status).toBe(200);
    const ids = meterKinds.body.items.map((k: { id: string }) => k.id);
    expect(ids).toEqual(expect.arrayContaining(['meter-water', 'meter-demo', 'meter-cooling']));
  }, 120_000);

  it('refuses an unknown kind, a bad name and a folder that is not empty, writing nothing', async () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return 'none';
    };
    expect(code(() => scaffoldPlugin({ kind: 'gateway', name: 'x', cwd: root }))).toBe('CLI_USAGE');
    for (const name of ['Bad_Name', 'a\0b', '', 'x'.repeat(41), '-x'])
      expect(
        code(() => scaffoldPlugin({ kind: 'notifier', name, cwd: root })),
        name,
      ).toBe('CLI_USAGE');
    await mkdir(join(root, 'taken'));
    await writeFile(join(root, 'taken', 'keep.txt'), 'mine');
    expect(code(() => scaffoldPlugin({ kind: 'notifier', name: 'demo', dir: 'taken', cwd: root }))).toBe(
      'SCAFFOLD_TARGET_EXISTS',
    );
    expect(await readdir(join(root, 'taken'))).toEqual(['keep.txt']);
    const usage = await run(node, [bin, 'plugin', 'new', 'notifier'], { cwd: root }).catch((e) => e);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('error CLI_USAGE');
  });
});
