import * as gdw from '@quadmeter/protocols/gdw1376/index.ts';
import type { MeterTarget, ReadRequest, ReadResult, TransportFailure } from '@quadmeter/sdk';
import { asFailure, LinkError, offline } from './failure.ts';
import { FORWARDED_REGISTERS, readForwarded } from './forward.ts';
import { gatewayKey, meterPoint, meterPort, requestGateway } from './gateway.ts';
import type { MasterStation } from './master.ts';
import { type EnergyData, energyReading, type ReadingContext } from './readings.ts';
import type { Session } from './session.ts';

type Kind = ReadingContext['kind'];

/** Fn per kind: AFN 0C F129 current, AFN 0D F161 daily frozen (Td_d), F177 monthly frozen (Td_m). */
const PLAN: Record<Kind, { afn: string; fn: number }> = {
  realtime: { afn: '0C', fn: 129 },
  daily: { afn: '0D', fn: 161 },
  monthly: { afn: '0D', fn: 177 },
};

const fail = (meterId: string, error: TransportFailure): ReadResult => ({ meterId, ok: false, error });

/** The day or month before `frozenFor` ('YYYY-MM-DD' or 'YYYY-MM'), on the calendar. */
export function previousPeriod(frozenFor: string): string {
  const [y, m, d] = frozenFor.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 - (d ? 0 : 1), d ? d - 1 : 1));
  return t.toISOString().slice(0, d ? 10 : 7);
}

/**
 * The Td_d / Td_m asked of the terminal for the platform's `frozenFor` (the day or month whose
 * start the freeze marks): a terminal labelling a freeze by the period it closes is asked for the
 * period before.
 */
function requestData(kind: Kind, frozenFor: string | undefined, label: 'closed' | 'opened'): unknown {
  if (!frozenFor || kind === 'realtime') return undefined;
  const td = label === 'closed' ? previousPeriod(frozenFor) : frozenFor;
  return kind === 'daily' ? { date: td } : { month: td };
}

function validFrozen(kind: Kind, frozenFor: string | undefined): boolean {
  if (kind === 'daily') return /^\d{4}-\d{2}-\d{2}$/.test(frozenFor ?? '');
  if (kind === 'monthly') return /^\d{4}-\d{2}$/.test(frozenFor ?? '');
  return frozenFor === undefined;
}

/** Data per measuring point of one reply (AFN 0C/0D, possibly multi-frame), or the deny. */
function replyData(frames: gdw.GdwFrame[], fn: number): Map<number, unknown> {
  const out = new Map<number, unknown>();
  if (frames[0].afn === '00') return out; // denied: the terminal has none of them
  const units = gdw.assembleMultiFrame(frames).units;
  for (const u of units) if (u.fn === fn && typeof u.pn === 'number' && u.data) out.set(u.pn, u.data);
  return out;
}

/**
 * Reads meters through their concentrator: the points in chunks of `pointsPerRequest`, one
 * AFN 0C/0D request each (replies reassembled across frames), then for a real-time read the
 * registers the terminal does not keep through AFN 10 forwarding. Exactly one result per meter.
 */
export async function* readThrough(master: MasterStation, request: ReadRequest): AsyncGenerator<ReadResult> {
  const config = master.config;
  const kind: Kind = request.kind ?? 'realtime';
  const meters = request.meters;
  const gw = requestGateway(request.line, meters);
  if (!gw || !PLAN[kind] || !validFrozen(kind, request.frozenFor)) {
    const why = !gw ? 'the request names no concentrator (A1/A2)' : `bad kind/frozenFor for ${kind}`;
    for (const m of meters)
      yield fail(m.meterId, { code: 'REQUEST_INVALID', message: why, retryable: false });
    return;
  }
  const session = master.session(gw);
  if (!session || session.tenantId !== request.tenantId) {
    for (const m of meters) yield fail(m.meterId, offline(gatewayKey(gw)).toFailure());
    return;
  }
  const valid: { m: MeterTarget; pn: number }[] = [];
  for (const m of meters) {
    const pn = meterPoint(m);
    if (pn === undefined)
      yield fail(m.meterId, {
        code: 'ROUTE_INVALID',
        message: 'the meter names no measuring point',
        retryable: false,
      });
    else valid.push({ m, pn });
  }
  for (let i = 0; i < valid.length; i += config.pointsPerRequest) {
    yield* readChunk(master, session, request, kind, valid.slice(i, i + config.pointsPerRequest));
  }
}

async function* readChunk(
  master: MasterStation,
  session: Session,
  request: ReadRequest,
  kind: Kind,
  chunk: { m: MeterTarget; pn: number }[],
): AsyncGenerator<ReadResult> {
  const config = master.config;
  const gw = session.gateway ?? { a1: '0000', a2: 0 };
  const plan = PLAN[kind];
  const addr = { A1_region: gw.a1, A2_terminal: gw.a2, A3_master: config.msa };
  const data = requestData(kind, request.frozenFor, config.frozenLabel);
  const points = [...new Set(chunk.map((c) => c.pn))];
  let byPoint: Map<number, unknown>;
  try {
    if (request.signal.aborted) throw new LinkError('ABORTED', 'the read was aborted', true);
    const frames = await session.exchange(
      (seq) =>
        gdw.buildRead(
          addr,
          plan.afn,
          points.map((pn) => ({ pn, fn: plan.fn, ...(data ? { data } : {}) })),
          seq,
        ),
      { afn: plan.afn, timeoutMs: config.requestTimeoutMs, signal: request.signal },
    );
    byPoint = replyData(frames, plan.fn);
  } catch (e) {
    const f = asFailure(e);
    for (const c of chunk) yield fail(c.m.meterId, f);
    return;
  }
  const receivedAt = new Date().toISOString();
  const utcOffsetMin = config.utcOffsetMinutes;
  for (const { m, pn } of chunk) {
    const d = byPoint.get(pn) as EnergyData | undefined;
    if (!d) {
      yield fail(m.meterId, {
        code: 'METER_NO_DATA',
        message: `the concentrator has no ${kind} data for point ${pn}`,
        retryable: true,
      });
      continue;
    }
    const ctx = {
      gateway: gw,
      pn,
      kind,
      frozenFor: request.frozenFor,
      receivedAt,
      utcOffsetMin,
      tenantId: request.tenantId,
      energyDecimals: config.energyDecimals,
    };
    const reading = energyReading(ctx, d);
    const extra = kind === 'realtime' ? (m.registers ?? []).filter((k) => k in FORWARDED_REGISTERS) : [];
    if (extra.length > 0 && m.ref.protocol !== 'dlt645-1997') {
      try {
        const port = meterPort(m) ?? config.forwardPort;
        Object.assign(
          reading.registers,
          await readForwarded(session, config, { address: m.ref.address, port }, extra, request.signal),
        );
      } catch (e) {
        yield fail(m.meterId, asFailure(e));
        continue;
      }
    }
    yield { meterId: m.meterId, ok: true, reading };
  }
}
