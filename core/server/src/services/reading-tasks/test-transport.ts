// Test helper: a poll transport (the real SDK contract) whose lines are DL/T 645-2007 meter
// simulators answering real frames in-process, with injectable faults per meter.
import * as dlt645 from '@quadmeter/protocols/dlt645/index.ts';
import type {
  MeterRoute,
  PollTransport,
  ReadKind,
  ReadRequest,
  ReadResult,
  TransportFailure,
} from '@quadmeter/sdk';
import { defineTransport } from '@quadmeter/sdk';
import { Dlt645Device, ElectricityMeter, ManualClock } from '@quadmeter/simulators';

export const TEST_TRANSPORT = 'transport-test';

/** What goes wrong when a meter is read: no reply, a corrupted reply, an error reply. */
export interface Fault {
  fault: 'drop' | 'corrupt' | 'error';
  /** how many reads it spoils (Infinity: every one) */
  times: number;
  /** only reads of this kind */
  only?: ReadKind;
}

/** The meters on every simulated line: line key → address → device. */
export class Field {
  readonly lines = new Map<string, Map<string, Dlt645Device>>();
  readonly faults = new Map<string, Fault>();
  /** frames sent, per line key */
  readonly frames = new Map<string, number>();
  /** pause per meter read, ms (a slow line) */
  delayMs = 0;
  /** lines being read now, and the most at once; requests seen */
  active = 0;
  peak = 0;
  readonly requests: ReadRequest[] = [];

  /** A meter whose clock starts `days` days before `now` and is brought to `now` (daily freezes made). */
  add(line: string, address: string, energy: number, now = Date.now(), days = 3): Dlt645Device {
    const clock = new ManualClock(now - days * 86_400_000);
    const meter = new ElectricityMeter({ address, clock, initialEnergy: energy, utcOffsetMin: 480 });
    clock.set(now);
    meter.advance();
    const device = new Dlt645Device(meter, 0, 0);
    const devices = this.lines.get(line) ?? new Map<string, Dlt645Device>();
    devices.set(address, device);
    this.lines.set(line, devices);
    return device;
  }
}

class ReadFailure extends Error {
  readonly failure: TransportFailure;
  constructor(code: string, message: string, retryable: boolean) {
    super(message);
    this.failure = { code, message, retryable };
  }
}

/** One request/reply exchange over the simulated line, with the meter's fault applied. */
function exchange(field: Field, line: string, address: string, di: string, kind: ReadKind) {
  field.frames.set(line, (field.frames.get(line) ?? 0) + 1);
  const device = field.lines.get(line)?.get(address);
  const fault = field.faults.get(address);
  const spoil = fault && fault.times > 0 && (!fault.only || fault.only === kind) ? fault : undefined;
  if (spoil) spoil.times--;
  const request =
    spoil?.fault === 'error'
      ? dlt645.buildReadRequest(address, '0F0F0F0F')
      : dlt645.buildReadRequest(address, di);
  const reply = spoil?.fault === 'drop' ? null : (device?.handle(request) ?? null);
  if (!reply) throw new ReadFailure('TIMEOUT', `no reply from ${address}`, true);
  if (spoil?.fault === 'corrupt') reply[reply.length - 2] ^= 0xff;
  let frame: ReturnType<typeof dlt645.decodeFrame>;
  try {
    frame = dlt645.decodeFrame(reply, { version: '2007' });
  } catch (e) {
    throw new ReadFailure('CHECKSUM', e instanceof Error ? e.message : 'bad frame', true);
  }
  if (frame.error) throw new ReadFailure('METER_ERROR', `meter ${address} refused ${di}`, false);
  return frame;
}

const kwh = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : null);

/** The value the meter froze for a date (daily freeze at 00:00 of that date) or the month's start. */
function frozen(field: Field, line: string, address: string, kind: ReadKind, frozenFor: string) {
  if (kind === 'daily') {
    for (let n = 1; n <= 31; n++) {
      const stamp = exchange(field, line, address, `050600${n.toString(16).padStart(2, '0')}`, kind).value;
      if (typeof stamp === 'string' && stamp.slice(0, 10) === frozenFor) {
        const values = exchange(
          field,
          line,
          address,
          `050601${n.toString(16).padStart(2, '0')}`,
          kind,
        ).values;
        return {
          total: values?.total,
          at: `${stamp.replace(' ', 'T')}:00+08:00`,
        };
      }
    }
    throw new ReadFailure('METER_ERROR', `meter ${address} has no daily value for ${frozenFor}`, false);
  }
  const now = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  const back =
    (Number(now.slice(0, 4)) - Number(frozenFor.slice(0, 4))) * 12 +
    Number(now.slice(5)) -
    Number(frozenFor.slice(5));
  const total = exchange(
    field,
    line,
    address,
    `000100${(back + 1).toString(16).padStart(2, '0')}`,
    kind,
  ).value;
  return { total, at: `${frozenFor}-01T00:00:00+08:00` };
}

async function* read(field: Field, req: ReadRequest): AsyncIterable<ReadResult> {
  const kind = req.kind ?? 'realtime';
  field.requests.push(req);
  field.active++;
  field.peak = Math.max(field.peak, field.active);
  try {
    yield* readMeters(field, req, kind);
  } finally {
    field.active--;
  }
}

async function* readMeters(field: Field, req: ReadRequest, kind: ReadKind): AsyncIterable<ReadResult> {
  for (const m of req.meters) {
    if (req.signal.aborted) return;
    if (field.delayMs > 0) await new Promise((ok) => setTimeout(ok, field.delayMs));
    // through a concentrator the reading names its measuring point; on a serial line, line and address
    const route: MeterRoute =
      req.line.gateway && m.route?.via === 'concentrator'
        ? m.route
        : { via: 'serial', line: req.line.id, address: m.ref.address };
    try {
      const now = new Date().toISOString();
      const got =
        kind === 'realtime'
          ? { total: exchange(field, req.line.id, m.ref.address, '00010000', kind).value, at: now }
          : frozen(field, req.line.id, m.ref.address, kind, req.frozenFor ?? '');
      yield {
        meterId: m.meterId,
        ok: true,
        reading: {
          route,
          kind,
          ...(kind !== 'realtime' && { frozenFor: req.frozenFor }),
          measuredAt: got.at,
          receivedAt: now,
          registers: { activeImportTotal: kwh(got.total) },
          idempotencyKey: `dlt645|${req.line.id}|${m.ref.address}|${kind}|${kind === 'realtime' ? now : req.frozenFor}`,
          tenantId: req.tenantId,
        },
      };
    } catch (e) {
      if (!(e instanceof ReadFailure)) throw e;
      yield { meterId: m.meterId, ok: false, error: e.failure };
    }
  }
}

/** The test poll transport over `field`. */
export function testTransport(field: Field): PollTransport {
  return defineTransport({
    kind: 'transport',
    id: TEST_TRANSPORT,
    version: '1.0.0',
    apiVersion: 1,
    title: { 'zh-CN': '测试通道', en: 'Test transport' },
    mode: 'poll',
    protocols: ['dlt645-2007', 'gdw1376'],
    read: (req) => read(field, req),
    control: async (command) => ({
      commandId: command.id,
      ok: false,
      error: { code: 'UNSUPPORTED', message: 'no control', retryable: false },
    }),
  });
}
