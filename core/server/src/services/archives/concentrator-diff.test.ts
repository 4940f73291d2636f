import { describe, expect, it } from 'vitest';
import { type ArchiveMeter, diffTable } from './concentrator-diff.ts';

const at = new Date('2026-11-30T05:00:00Z');
const meter = (point: number, over: Partial<ArchiveMeter> = {}): ArchiveMeter => ({
  point,
  meterId: `m${point}`,
  assetNo: `A${point}`,
  address: `00000000000${point}`,
  port: 2,
  protocol: 'dlt645-2007',
  collector: '',
  ...over,
});
const rec = (point: number, over: Record<string, unknown> = {}) => ({
  point,
  port: 2,
  protocol: 'dlt645-2007',
  address: `00000000000${point}`,
  collector: '',
  ...over,
});
const brief = (archive: ArchiveMeter[], device: ReturnType<typeof rec>[]) =>
  diffTable(archive, device, at).entries.map((e) => [e.point, e.status, e.fields ?? []]);

describe('the archive against a concentrator table', () => {
  it('pads short addresses, and compares the port only where the route names one', () => {
    expect(
      brief([meter(1, { address: '1' }), meter(2, { port: null })], [rec(1), rec(2, { port: 7 })]),
    ).toEqual([
      [1, 'match', []],
      [2, 'match', []],
    ]);
  });

  it('names each differing field, collector included, and a point held twice', () => {
    expect(
      brief(
        [meter(1, { collector: '000000000042' }), meter(2), meter(3), meter(4, { collector: null })],
        [
          rec(1),
          rec(2, { protocol: 'dlt645-1997', port: 3 }),
          rec(3),
          rec(3, { address: '999999999999' }),
          rec(4, { collector: '000000000077' }),
        ],
      ),
    ).toEqual([
      [1, 'mismatch', ['collector']],
      [2, 'mismatch', ['port', 'protocol']],
      [3, 'mismatch', ['duplicate']],
      [4, 'match', []],
    ]);
  });

  it('lets a meter read only through the concentrator (gdw1376) take any protocol the table holds', () => {
    expect(brief([meter(1, { protocol: 'gdw1376' })], [rec(1, { protocol: 'dlt645-1997' })])).toEqual([
      [1, 'match', []],
    ]);
    expect(brief([meter(1, { protocol: 'cjt188' })], [rec(1)])).toEqual([[1, 'mismatch', ['protocol']]]);
  });

  it('counts missing and extra points and keeps point order', () => {
    const d = diffTable([meter(5), meter(1)], [rec(9), rec(1)], at);
    expect(d.entries.map((e) => [e.point, e.status])).toEqual([
      [1, 'match'],
      [5, 'missing'],
      [9, 'extra'],
    ]);
    expect(d.counts).toEqual({ match: 1, missing: 1, extra: 1, mismatch: 0 });
    expect(d.readAt).toBe('2026-11-30T05:00:00.000Z');
  });
});
