import * as echarts from 'echarts';

export type ChartKind = 'bar' | 'line' | 'pie';
export const CHART_KINDS: readonly ChartKind[] = ['bar', 'line', 'pie'];
/** at most this many categories are drawn; the rest are summed into one "…" slice */
export const CHART_MAX_POINTS = 40;

export interface ChartPoint {
  label: string;
  value: number;
}

/** Sums `value` by `label` over the rows, keeping first-seen order, capped at CHART_MAX_POINTS. */
export function chartPoints(rows: readonly Record<string, unknown>[], labelKey: string, valueKey: string) {
  const sums = new Map<string, number>();
  for (const r of rows) {
    const label = String(r[labelKey] ?? '');
    const v = Number(r[valueKey]);
    sums.set(label, (sums.get(label) ?? 0) + (Number.isFinite(v) ? v : 0));
  }
  const all = [...sums].map(([label, value]) => ({ label, value }));
  if (all.length <= CHART_MAX_POINTS) return all;
  const head = all.slice(0, CHART_MAX_POINTS - 1);
  const rest = all.slice(CHART_MAX_POINTS - 1).reduce((s, p) => s + p.value, 0);
  return [...head, { label: '…', value: rest }];
}

/**
 * An SVG chart rendered on the server by ECharts (SSR, no DOM, no script in the output). It takes
 * data only — the layout names a kind and two columns; there is no option object a template could
 * fill with code. Labels are text nodes escaped by the SVG renderer.
 */
export function renderChart(
  kind: ChartKind,
  points: readonly ChartPoint[],
  width = 640,
  height = 320,
): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    const labels = points.map((p) => p.label);
    const values = points.map((p) => Math.round(p.value * 100) / 100);
    chart.setOption(
      kind === 'pie'
        ? {
            animation: false,
            series: [
              {
                type: 'pie',
                radius: '65%',
                data: points.map((_p, i) => ({ name: labels[i], value: values[i] })),
              },
            ],
          }
        : {
            animation: false,
            grid: { left: 60, right: 20, top: 20, bottom: 60 },
            xAxis: { type: 'category', data: labels, axisLabel: { rotate: labels.length > 8 ? 45 : 0 } },
            yAxis: { type: 'value' },
            series: [{ type: kind, data: values }],
          },
    );
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
