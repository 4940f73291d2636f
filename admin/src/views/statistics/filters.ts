/** The filters the statistics tabs share. */
export interface StatsFilters {
  range: [string, string];
  month: string;
  areaId: string;
  kind: string;
}

/** A fraction as a percentage with one decimal ("—" when undefined). */
export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(1)}%`;
}
