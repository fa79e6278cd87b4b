/** Chart data shaping: recharts wants one row per x with a field per line. */
import type { MetricsResponse } from '@mfc/contracts';

export type MetricName = MetricsResponse['series'][number]['metric'];
export type Row = { t: number } & Partial<Record<string, number>>;

/** Rows by timestamp with one field per metric asked for (missing points stay undefined: a gap, not a zero). */
export function mergeSeries(series: MetricsResponse['series'], metrics: readonly MetricName[]): Row[] {
  const rows = new Map<number, Row>();
  for (const s of series) {
    if (!metrics.includes(s.metric)) continue;
    for (const p of s.points) {
      let row = rows.get(p.t);
      if (!row) rows.set(p.t, (row = { t: p.t }));
      row[s.metric] = p.v;
    }
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** The latest value of a metric, for the chart's headline number. */
export function latest(series: MetricsResponse['series'], metric: MetricName): number | undefined {
  return series.find((s) => s.metric === metric)?.points.at(-1)?.v;
}
