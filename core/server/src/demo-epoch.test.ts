import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fieldEpoch } from './demo-field.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const fresh = async () => {
  const d = await mkdtemp(join(tmpdir(), 'qm-field-'));
  dirs.push(d);
  return d;
};

describe('the demo field’s epoch', () => {
  it('is kept on the first start and read back on the next', async () => {
    const dir = await fresh();
    expect(await fieldEpoch(dir, 1_000_000)).toBe(1_000_000);
    expect(JSON.parse(await readFile(join(dir, 'demo-field.json'), 'utf8'))).toEqual({ since: 1_000_000 });
    expect(await fieldEpoch(dir, 5_000_000)).toBe(1_000_000);
  });

  it('starts over from now when the file is garbage or names the future', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'demo-field.json'), '{not json');
    expect(await fieldEpoch(dir, 2_000)).toBe(2_000);
    await writeFile(join(dir, 'demo-field.json'), JSON.stringify({ since: 9_000 }));
    expect(await fieldEpoch(dir, 3_000)).toBe(3_000);
  });
});
