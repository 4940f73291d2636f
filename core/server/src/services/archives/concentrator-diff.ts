import type { GatewayMeterRecord } from '@quadmeter/sdk';

/** A meter the platform archive puts at a measuring point of a concentrator. */
export interface ArchiveMeter {
  point: number;
  meterId: string;
  assetNo: string;
  address: string;
  /** terminal port of the route; null: the route names none (the transport's default) */
  port: number | null;
  protocol: string;
  /** collector address as the concentrator holds it (12 digits), '' for none, null when it cannot hold it */
  collector: string | null;
}

export type EntryStatus = 'match' | 'missing' | 'extra' | 'mismatch';

export interface DiffEntry {
  point: number;
  status: EntryStatus;
  archive?: { meterId: string; assetNo: string; address: string; port: number | null; protocol: string };
  device?: { address: string; port: number; protocol: string; collector: string };
  /** the fields that differ (mismatch): address, port, protocol, collector, duplicate */
  fields?: string[];
}

export interface TableDiff {
  readAt: string;
  counts: Record<EntryStatus, number>;
  entries: DiffEntry[];
}

const pad12 = (a: string): string => (/^\d{1,12}$/.test(a) ? a.padStart(12, '0') : a.toUpperCase());

/**
 * The protocol a concentrator should hold for a meter protocol: the DL/T 645 editions by name;
 * 'gdw1376' (the meter is read only through the concentrator) accepts whatever it holds.
 */
function protocolDiffers(archive: string, device: string): boolean {
  if (archive === 'gdw1376') return false;
  return archive !== device;
}

function differences(a: ArchiveMeter, d: GatewayMeterRecord, copies: number): string[] {
  const fields: string[] = [];
  if (pad12(a.address) !== pad12(d.address)) fields.push('address');
  if (a.port !== null && a.port !== d.port) fields.push('port');
  if (protocolDiffers(a.protocol, d.protocol)) fields.push('protocol');
  if (a.collector !== null && a.collector !== (d.collector === '' ? '' : pad12(d.collector)))
    fields.push('collector');
  if (copies > 1) fields.push('duplicate');
  return fields;
}

/**
 * The archive against the concentrator's table, one entry per measuring point either names, in
 * point order: match, missing (archive only), extra (table only) or mismatch with the fields that
 * differ (a point the table holds more than once is a mismatch 'duplicate').
 */
export function diffTable(
  archive: readonly ArchiveMeter[],
  device: readonly GatewayMeterRecord[],
  readAt: Date,
): TableDiff {
  const byPoint = new Map<number, GatewayMeterRecord[]>();
  for (const d of device) byPoint.set(d.point, [...(byPoint.get(d.point) ?? []), d]);
  const held = new Map(archive.map((a) => [a.point, a]));
  const points = [...new Set([...held.keys(), ...byPoint.keys()])].sort((x, y) => x - y);
  const counts = { match: 0, missing: 0, extra: 0, mismatch: 0 };
  const entries = points.map((point): DiffEntry => {
    const a = held.get(point);
    const ds = byPoint.get(point) ?? [];
    const d = ds.find((x) => a && differences(a, x, 1).length === 0) ?? ds[0];
    const archiveView = a && {
      meterId: a.meterId,
      assetNo: a.assetNo,
      address: a.address,
      port: a.port,
      protocol: a.protocol,
    };
    const deviceView = d && {
      address: d.address,
      port: d.port,
      protocol: d.protocol,
      collector: d.collector,
    };
    let entry: DiffEntry;
    if (a && !d) entry = { point, status: 'missing', archive: archiveView };
    else if (!a && d) entry = { point, status: 'extra', device: deviceView };
    else {
      const fields = differences(a as ArchiveMeter, d as GatewayMeterRecord, ds.length);
      entry =
        fields.length === 0
          ? { point, status: 'match', archive: archiveView, device: deviceView }
          : { point, status: 'mismatch', archive: archiveView, device: deviceView, fields };
    }
    counts[entry.status]++;
    return entry;
  });
  return { readAt: readAt.toISOString(), counts, entries };
}
