import { AppError } from '@quadmeter/sdk';
import type { Zone } from '../readings/zone.ts';

export const taskKinds = ['realtime', 'daily', 'monthly'] as const;
export type TaskKind = (typeof taskKinds)[number];

/** Outcomes of one meter in a task; null while pending. */
export const outcomes = [
  'ok',
  'pushed',
  'fallback_daily',
  'push_only',
  'timeout',
  'checksum',
  'meter_error',
  'no_route',
  'offline',
  'unsupported',
  'rejected',
] as const;
export type Outcome = (typeof outcomes)[number];

/** A meter with one of these has its reading. */
export const SUCCESS: ReadonlySet<Outcome> = new Set(['ok', 'pushed', 'fallback_daily']);
/** Worth another round (补抄): the line or the concentrator may answer next time. */
export const RETRYABLE: ReadonlySet<Outcome> = new Set(['timeout', 'checksum', 'offline']);

const DAY = 86_400_000;

/** The previous calendar month 'YYYY-MM' of the month of `day` ('YYYY-MM-DD' or 'YYYY-MM'). */
function monthsBack(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * The frozen date a task names, checked against what meters keep: daily values of the last 31
 * days (today's included), monthly values of the last 12 months. Real-time tasks name none.
 * Defaults: yesterday / last month.
 */
export function checkFrozenFor(kind: TaskKind, frozenFor: string | undefined, z: Zone, now: number) {
  if (kind === 'realtime') {
    if (frozenFor !== undefined)
      throw new AppError('REQ_VALIDATION', 'A real-time read names no date', [
        { path: 'frozenFor', message: 'only daily or monthly reads name a date' },
      ]);
    return null;
  }
  const today = z.dayOf(now);
  if (kind === 'daily') {
    const day = frozenFor ?? z.dayOf(now - DAY);
    const oldest = z.dayOf(now - 30 * DAY);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)) || day < oldest || day > today)
      throw new AppError('REQ_VALIDATION', 'A daily read names one of the last 31 days', [
        { path: 'frozenFor', message: `must be a date from ${oldest} to ${today}` },
      ]);
    return day;
  }
  const thisMonth = today.slice(0, 7);
  const month = frozenFor ?? monthsBack(thisMonth, 1);
  const oldest = monthsBack(thisMonth, 11);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month) || month < oldest || month > thisMonth)
    throw new AppError('REQ_VALIDATION', 'A monthly read names one of the last 12 months', [
      { path: 'frozenFor', message: `must be a month from ${oldest} to ${thisMonth}` },
    ]);
  return month;
}

/** The frozen date a scheduled task reads at `slot`: the day before, the month before. */
export function slotFrozenFor(kind: TaskKind, slot: number, z: Zone): string | null {
  if (kind === 'realtime') return null;
  if (kind === 'daily') return z.dayOf(slot - DAY);
  return monthsBack(z.dayOf(slot).slice(0, 7), 1);
}

/** A transport failure code (0012, the serial and concentrator transports) as an outcome. */
export function outcomeOf(code: string): Outcome {
  switch (code) {
    case 'TIMEOUT':
    case 'NO_REPLY':
    case 'LINE_UNAVAILABLE':
    case 'ABORTED':
      return 'timeout';
    case 'CHECKSUM':
    case 'FRAME_INVALID':
    case 'DECODE_FAILED':
    case 'METER_FRAME_INVALID':
      return 'checksum';
    case 'METER_ERROR':
    case 'METER_NO_DATA':
    case 'METER_REFUSED':
    case 'FROZEN_NOT_FOUND':
    case 'DENIED':
    case 'FORWARD_DENIED':
      return 'meter_error';
    case 'OFFLINE':
    case 'CONCENTRATOR_OFFLINE':
    case 'GATEWAY_OFFLINE':
    case 'GATEWAY_DISCONNECTED':
      return 'offline';
    case 'UNSUPPORTED':
    case 'KIND_UNSUPPORTED':
    case 'PROTOCOL_UNSUPPORTED':
      return 'unsupported';
    case 'ADDRESS_INVALID':
    case 'ROUTE_INVALID':
    case 'LINE_PARAMS_INVALID':
    case 'REQUEST_INVALID':
      return 'no_route';
    default:
      return 'timeout';
  }
}
