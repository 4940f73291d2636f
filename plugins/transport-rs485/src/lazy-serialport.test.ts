import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

// a fresh process records every module specifier it resolves, reads a TCP line, then a tty line
const script = `
import { registerHooks } from 'node:module';
const seen = [];
registerHooks({ resolve(spec, ctx, next) { seen.push(spec); return next(spec, ctx); } });
const plugin = (await import('@quadmeter/transport-rs485')).default;
const loaded = () => seen.some((s) => s === 'serialport' || s.startsWith('@serialport/'));
const read = async (key) => {
  const out = [];
  const request = { tenantId: 't', line: { id: key, params: { key } }, signal: new AbortController().signal,
    meters: [{ meterId: 'm', ref: { protocol: 'dlt645-2007', address: '000000000001' } }] };
  for await (const r of plugin.read(request, { config: {} })) out.push(r.ok ? 'ok' : r.error.code);
  return out[0];
};
const tcp = await read('tcp://127.0.0.1:1');
const afterTcp = loaded();
const tty = await read('tty:/dev/qm-no-such-port');
console.log(JSON.stringify({ tcp, afterTcp, tty, afterTty: loaded() }));
`;

describe('serialport is loaded lazily', () => {
  it('a TCP line never loads the native serial-port package; the first tty line does', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}')).toEqual({
      tcp: 'LINE_UNAVAILABLE',
      afterTcp: false,
      tty: 'LINE_UNAVAILABLE',
      afterTty: true,
    });
  });
});
