/** Aggregations the REST API reports over subtasks and checkpoint histories. */

/** Percentile with linear interpolation between closest ranks; 0 for an empty list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** `AggregatedTaskDetailsInfo` statistics: integers, as the spec types them (int64). */
export interface TaskStats {
  min: number;
  max: number;
  avg: number;
  sum: number;
  median: number;
  p25: number;
  p75: number;
  p95: number;
}

export function taskStats(values: readonly number[]): TaskStats {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sum(sorted);
  return {
    min: Math.round(sorted[0] ?? 0),
    max: Math.round(sorted[sorted.length - 1] ?? 0),
    avg: Math.round(sorted.length > 0 ? total / sorted.length : 0),
    sum: Math.round(total),
    median: Math.round(percentile(sorted, 50)),
    p25: Math.round(percentile(sorted, 25)),
    p75: Math.round(percentile(sorted, 75)),
    p95: Math.round(percentile(sorted, 95)),
  };
}

/** `StatsSummaryDto` of the checkpoint summaries: integer min/max/avg, double percentiles. */
export interface StatsSummary {
  min: number;
  max: number;
  avg: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
}

export function statsSummary(values: readonly number[]): StatsSummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: Math.round(sorted[0] ?? 0),
    max: Math.round(sorted[sorted.length - 1] ?? 0),
    avg: Math.round(sorted.length > 0 ? sum(sorted) / sorted.length : 0),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
  };
}

/** The aggregations `subtasks/metrics?agg=` offers. */
export interface MetricAggregate {
  min: number;
  max: number;
  avg: number;
  sum: number;
  skew: number;
}

export function metricAggregate(values: readonly number[]): MetricAggregate {
  const total = sum(values);
  const avg = values.length > 0 ? total / values.length : 0;
  const max = values.length > 0 ? Math.max(...values) : 0;
  return {
    min: values.length > 0 ? Math.min(...values) : 0,
    max,
    avg,
    sum: total,
    // Flink's data skew: how far the busiest subtask is above the average, in percent.
    skew: avg > 0 ? ((max - avg) / avg) * 100 : 0,
  };
}
