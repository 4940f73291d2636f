import type {
  DataItem,
  GdwFrame,
  MeterConfig,
  PortReadingParams,
} from '../../../protocols/src/gdw1376/index.ts';
import * as gdw from '../../../protocols/src/gdw1376/index.ts';
import type { TerminalParams } from './terminal-params.ts';

type Addr = { A1_region: string; A2_terminal: number; A3_master: number };

const up = { dir: 'up' as const };

/**
 * AFN 04 carrying F10 and/or F33: stored, then confirmed (AFN 00 F1). A frame with neither, or
 * whose data did not decode, is denied (F2) and changes nothing.
 */
export function applyParams(frame: GdwFrame, params: TerminalParams, addr: Addr): Uint8Array {
  const seq = frame.seq.pseq;
  const f10 = frame.units.find((u) => u.fn === 10 && u.pn === 0);
  const f33 = frame.units.find((u) => u.fn === 33 && u.pn === 0);
  const meters = (f10?.data as { meters?: Partial<MeterConfig>[] } | undefined)?.meters;
  const ports = (f33?.data as { ports?: PortReadingParams[] } | undefined)?.ports;
  if ((!meters && !ports) || (f10 && !meters) || (f33 && !ports))
    return gdw.buildDeny(addr, seq, undefined, undefined, up);
  if (meters) params.applyMeterConfig(meters);
  if (ports) params.applyReadingParams(ports);
  return gdw.buildConfirm(addr, seq, undefined, undefined, up);
}

/** AFN 0A F10 / F33: the stored records of the serials or ports asked for (none held: n = 0). */
export function answerParamQuery(
  frame: GdwFrame,
  params: TerminalParams,
  addr: Addr,
  maxUserData?: number,
): Uint8Array[] {
  const items: DataItem[] = [];
  for (const u of frame.units) {
    if (u.pn !== 0) continue;
    const d = u.data as { serials?: number[]; ports?: number[] } | undefined;
    if (u.fn === 10 && d?.serials)
      items.push({ pn: 0, fn: 10, data: { meters: params.meterConfig(d.serials) } });
    if (u.fn === 33 && d?.ports)
      items.push({ pn: 0, fn: 33, data: { ports: params.readingParams(d.ports) } });
  }
  if (items.length === 0) return [gdw.buildDeny(addr, frame.seq.pseq, undefined, undefined, up)];
  return gdw.buildReadReply(addr, '0A', items, frame.seq.pseq, { maxUserData });
}
