import { afterEach, describe, expect, it } from 'vitest';
import * as cjt188 from '../../protocols/src/cjt188/index.ts';
import { hexToBytes } from '../../protocols/src/common/bytes.ts';
import * as dlt645 from '../../protocols/src/dlt645/index.ts';
import * as gdw from '../../protocols/src/gdw1376/index.ts';
import { connectTcp, exchange } from './bus/master-link.ts';
import { parseArgs } from './cli/args.ts';
import { BUS_OPTIONS } from './cli/bus-command.ts';
import { simCommand } from './cli.ts';
import { TestMaster } from './concentrator/test-master.ts';
import { waterAddress } from './concentrator/water-meters.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function run(args: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const ac = new AbortController();
  const done = simCommand(args, {
    log: (l) => lines.push(l),
    error: (l) => errors.push(l),
    signal: ac.signal,
  });
  return { lines, errors, stop: () => ac.abort(), done };
}

async function line(lines: string[], re: RegExp): Promise<RegExpExecArray> {
  for (let i = 0; i < 300; i++) {
    for (const l of lines) {
      const m = re.exec(l);
      if (m) return m;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no line matching ${re}`);
}

describe('simCommand', () => {
  it('sim bus prints its port, serves meters and exits 0 when stopped', async () => {
    const r = run([
      'bus',
      '--tcp',
      '127.0.0.1:0',
      '--dlt645',
      '2',
      '--cjt188',
      '1',
      '--mbus',
      '1',
      '--baud',
      '9600',
    ]);
    const m = await line(r.lines, /listening on tcp:\/\/127\.0\.0\.1:(\d+)/);
    const socket = await connectTcp('127.0.0.1', Number(m[1]));
    cleanups.push(() => void socket.destroy());
    const e = await exchange(socket, dlt645.buildReadRequest('000000000002', '04000401'), dlt645.extractor());
    expect(dlt645.decodeFrame(e.frame as Uint8Array).value).toBe('000000000002');
    expect(r.lines.some((l) => l.includes('dlt645-2007 000000000001'))).toBe(true);
    r.stop();
    expect(await r.done).toBe(0);
  });

  it('sim concentrator connects and logs in to the given master', async () => {
    const master = new TestMaster();
    const port = await master.listen();
    cleanups.push(() => master.close());
    const r = run([
      'concentrator',
      '--master',
      `127.0.0.1:${port}`,
      '--a1',
      '3501',
      '--a2',
      '4',
      '--meters',
      '3',
    ]);
    const login = await master.waitFor((f) => f.afn === '02');
    expect(login.address).toMatchObject({ A1_region: '3501', A2_terminal: 4 });
    const [reply] = await master.request(
      gdw.buildRead({ A1_region: '3501', A2_terminal: 4 }, '0C', [{ pn: 3, fn: 129 }], 3),
    );
    expect((reply.units[0].data as { total_kWh: number }).total_kWh).toBeGreaterThan(2000);
    r.stop();
    expect(await r.done).toBe(0);
  });

  it('sim concentrator --water hangs CJ/T 188 water meters on a port, valves reached by AFN 10', async () => {
    const master = new TestMaster();
    const port = await master.listen();
    cleanups.push(() => master.close());
    const args = ['concentrator', '--master', `127.0.0.1:${port}`, '--a1', '3501', '--a2', '5'];
    const r = run([...args, '--meters', '1', '--water', '2', '--water-port', '4']);
    await master.waitFor((f) => f.afn === '02');
    const address = waterAddress(35010005, 2);
    const close = cjt188.buildValveControl(0x10, address, 'close', 1);
    const [reply] = await master.request(
      gdw.buildForward({ A1_region: '3501', A2_terminal: 5 }, 4, close, 2, { pw: '00'.repeat(16) }),
    );
    const hex = (reply.units[0].data as { forwarded: { hex: string } }).forwarded.hex;
    const f = cjt188.decode(hexToBytes(hex));
    expect(f).toMatchObject({ address, di: 'A017' });
    expect((f.data.status as { valve: string }).valve).toBe('closed');
    r.stop();
    expect(await r.done).toBe(0);
    expect(await run([...args, '--line-timing', 'maybe']).done).toBe(2);
  });

  it('rejects bad usage with exit code 2 and a message', async () => {
    expect(await run(['bus']).done).toBe(2);
    const bad = run(['concentrator', '--master', 'nowhere', '--a1', '3501']);
    expect(await bad.done).toBe(2);
    expect(bad.errors[0]).toMatch(/--master must be host:port/);
    expect(await run(['teleport']).done).toBe(2);
    expect(await run(['nbiot', '--url', 'http://x', '--platform', 'onenet']).done).toBe(2);
  });

  it('rejects an unknown option with exit 2 and one line naming it (it used to start anyway)', async () => {
    const r = run(['bus', '--tcp', '127.0.0.1:0', '--dlt645', '1', '--bogus', '3']);
    const timer = setTimeout(() => r.stop(), 3000);
    expect(await r.done).toBe(2);
    clearTimeout(timer);
    expect(r.lines).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).not.toContain('\n');
    expect(r.errors[0]).toMatch(/^error CLI_USAGE: unknown option --bogus \(usage: quadmeter sim bus /);
    const stray = run(['concentrator', 'extra', '--master', '127.0.0.1:1', '--a1', '3501']);
    expect(await stray.done).toBe(2);
    expect(stray.errors).toEqual([expect.stringMatching(/^error CLI_USAGE: unexpected argument "extra"/)]);
  });

  it('parses --name value and --name=value with node:util parseArgs', () => {
    expect(parseArgs(['--dlt645', '4', '--loss=0.5', '--dlt645-1997', '2'], BUS_OPTIONS)).toEqual({
      positional: [],
      options: new Map([
        ['dlt645', '4'],
        ['loss', '0.5'],
        ['dlt645-1997', '2'],
      ]),
    });
    expect(() => parseArgs(['--dlt645'], BUS_OPTIONS)).toThrow('--dlt645 needs a value');
    expect(() => parseArgs(['--dlt646', '1'], BUS_OPTIONS)).toThrow('unknown option --dlt646');
  });
});
