import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { decimalString, scaledDecimal } from './decimal.ts';
import { hasBadSum, withWake } from './exchange.ts';
import { TransportError, toFailure } from './failure.ts';
import { idempotencyKey } from './idempotency.ts';
import { frameTimeoutMs, meterLine, parseLineParams, wireMs } from './line-params.ts';
import { LinePool } from './line-pool.ts';

const line = (params: Record<string, unknown>) => ({ id: 'l', params });

describe('line params', () => {
  it('reads tty and tcp keys, path, host + port, with 8E1 defaults', () => {
    expect(parseLineParams(line({ key: 'tty:/dev/ttyUSB0' }))).toMatchObject({
      key: 'tty:/dev/ttyUSB0',
      kind: 'tty',
      path: '/dev/ttyUSB0',
      baudRate: 2400,
      parity: 'even',
      bitsPerByte: 11,
      retries: 2,
      marginMs: 50,
    });
    expect(parseLineParams(line({ key: 'tcp://10.0.0.5:4001', baudRate: 9600 }))).toMatchObject({
      kind: 'tcp',
      host: '10.0.0.5',
      port: 4001,
      marginMs: 200,
      idleMs: (3 * 11 * 1000) / 9600,
    });
    expect(parseLineParams(line({ host: 'dtu.example', port: 502 })).key).toBe('tcp://dtu.example:502');
    expect(parseLineParams(line({ path: '/dev/ttyS1', parity: 'none', stopBits: 2 }))).toMatchObject({
      key: 'tty:/dev/ttyS1',
      bitsPerByte: 11,
    });
  });

  it('rejects bad keys, NUL bytes, huge and wrong-typed values with LINE_PARAMS_INVALID', () => {
    for (const params of [
      {},
      { key: 'serial:/dev/x' },
      { key: 'tty:/dev/tty\u0000x' },
      { key: 'tcp://host:99999' },
      { key: 'tcp://host' },
      { key: 'tty:/dev/x', baudRate: '2400' },
      { key: 'tty:/dev/x', baudRate: 10_000_000 },
      { key: 'tty:/dev/x', retries: -1 },
      { key: 'x'.repeat(400) },
      { host: 'h' },
    ])
      expect(() => parseLineParams(line(params)), JSON.stringify(params)).toThrow(
        expect.objectContaining({ code: 'LINE_PARAMS_INVALID' }),
      );
  });

  it('times a frame: bytes × bits / baud, plus latency and margin', () => {
    const l = parseLineParams(line({ key: 'tty:/dev/x', baudRate: 2400, marginMs: 0 }));
    expect(wireMs(l, 240)).toBe(1100);
    // DL/T 645 read: 4 FE + 16-byte request, 4 FE + 32-byte reply, 100 ms latency
    expect(frameTimeoutMs(l, 20, 36, 100)).toBe(Math.ceil((56 * 11 * 1000) / 2400 + 100));
  });
});

describe('meterLine', () => {
  it("takes a meter's own baud rate and parity from its params (route letters E/N/O too)", () => {
    const l = parseLineParams(line({ key: 'tty:/dev/x', baudRate: 2400 }));
    expect(meterLine(l, undefined)).toBe(l);
    expect(meterLine(l, { baudRate: 2400, parity: 'E' })).toBe(l);
    expect(meterLine(l, { baudRate: 1200 })).toMatchObject({ baudRate: 1200, bitsPerByte: 11, idleMs: 27.5 });
    expect(meterLine(l, { parity: 'N' })).toMatchObject({ baudRate: 2400, parity: 'none', bitsPerByte: 10 });
    expect(meterLine(l, { baudRate: 'fast', parity: 'X' })).toBe(l);
    expect(meterLine(l, { baudRate: 1e9 })).toBe(l);
  });
});

describe('helpers', () => {
  it('writes register values as decimal strings, or null', () => {
    expect(decimalString(1234.56, 2)).toBe('1234.56');
    expect(decimalString(1234.5, 2)).toBe('1234.5');
    expect(decimalString(0, 2)).toBe('0');
    expect(decimalString(-1, 2)).toBeNull();
    expect(decimalString(null)).toBeNull();
    expect(decimalString(1e17)).toBeNull();
    expect(scaledDecimal(123456, -3)).toBe('123.456');
    expect(scaledDecimal(5, -3)).toBe('0.005');
    expect(scaledDecimal(1200, -2)).toBe('12');
    expect(scaledDecimal(42, 3)).toBe('42000');
    expect(scaledDecimal(-1, 0)).toBeNull();
  });

  it('keys, wake-up bytes, checksum faults and failures', () => {
    expect(idempotencyKey('cjt188', 'tcp://h:1', '1', 'daily', '2026-03-01')).toBe(
      'cjt188|tcp://h:1|1|daily|2026-03-01',
    );
    expect(idempotencyKey('cjt188', `tty:/${'d'.repeat(200)}`, '1', 'realtime', 'x')).toMatch(
      /^sha256:[0-9a-f]{64}$/,
    );
    expect([...withWake(Uint8Array.of(0x68), 3)]).toEqual([0xfe, 0xfe, 0xfe, 0x68]);
    const frame = (cs: number) => Uint8Array.of(0x00, 0x68, 0x01, 0x02, cs, 0x16);
    const at = (b: Uint8Array, i: number) => (b[i] === 0x68 ? { sumFrom: i, end: i + 5 } : null);
    expect(hasBadSum(frame(0x6b), at)).toBe(false);
    expect(hasBadSum(frame(0x6c), at)).toBe(true);
    expect(toFailure(new TransportError('METER_ERROR', 'no', 2))).toEqual({
      code: 'METER_ERROR',
      message: 'no',
      retryable: false,
    });
    expect(toFailure(new TransportError('TIMEOUT', 't'))).toMatchObject({ retryable: true });
    expect(toFailure(new Error('boom'))).toMatchObject({ code: 'DECODE_FAILED', retryable: false });
  });
});

describe('LinePool', () => {
  it('runs the talkers of one line one after another, and lines side by side', async () => {
    const server = createServer((s) => s.on('error', () => {}));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    const pool = new LinePool();
    const a = parseLineParams(line({ key: `tcp://127.0.0.1:${port}` }));
    const b = parseLineParams(line({ host: 'localhost', port }));
    const events: string[] = [];
    const talk = (l: typeof a, name: string) =>
      pool.withLine(l, async () => {
        events.push(`${name}+`);
        await new Promise((res) => setTimeout(res, 30));
        events.push(`${name}-`);
      });
    await Promise.all([talk(a, 'a1'), talk(a, 'a2'), talk(b, 'b1')]);
    // a1 and a2 never overlap; b1 runs while a1 does
    expect(events.indexOf('a2+')).toBeGreaterThan(events.indexOf('a1-'));
    expect(events.indexOf('b1+')).toBeLessThan(events.indexOf('a1-'));
    expect(pool.openLines.sort()).toEqual([`tcp://127.0.0.1:${port}`, `tcp://localhost:${port}`].sort());
    await pool.close();
    await new Promise((res) => server.close(res));
    await expect(pool.withLine(a, async () => 'x')).rejects.toMatchObject({ code: 'LINE_UNAVAILABLE' });
    await expect(
      new LinePool().withLine(parseLineParams(line({ key: 'tty:/dev/qm-none' })), async () => 'x'),
    ).rejects.toMatchObject({ code: 'LINE_UNAVAILABLE' });
  });
});
