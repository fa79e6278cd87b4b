/**
 * CloudWatch statistics over one-minute samples: a statistic of a period's values, and a series bucketed
 * by period (aligned to the epoch). One place for both GetMetricData/GetMetricStatistics and alarms.
 */
import type { MetricPoint } from '../telemetry/metrics.js';
import { ServiceError } from '../util/errors.js';

const invalid = (message: string) => new ServiceError('InvalidParameterValueException', message);

export function statistic(values: number[], stat: string): number {
  switch (stat) {
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    case 'SampleCount':
      return values.length;
  }
  const p = /^p(\d{1,2}(?:\.\d+)?)$/.exec(stat);
  if (p) {
    const s = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((Number(p[1]) / 100) * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, rank))]!;
  }
  throw invalid(`The statistic ${stat} is not supported. Use Average, Sum, Minimum, Maximum, SampleCount or pNN.`);
}

/** Whether `stat` is one `statistic` computes. */
export function isStatistic(stat: string): boolean {
  return ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'].includes(stat) || /^p\d{1,2}(\.\d+)?$/.test(stat);
}

export function checkPeriod(periodSeconds: number): void {
  if (!Number.isInteger(periodSeconds) || periodSeconds < 60 || periodSeconds % 60 !== 0)
    throw invalid(
      `The parameter Period must be a multiple of 60 for metrics with one-minute resolution (got ${periodSeconds}).`,
    );
}

/** Buckets points (oldest first) by period, aligned to the epoch, and applies the statistic. */
export function aggregate(points: MetricPoint[], periodSeconds: number, stat: string): MetricPoint[] {
  checkPeriod(periodSeconds);
  const periodMs = periodSeconds * 1000;
  const out: MetricPoint[] = [];
  let bucket = NaN;
  let values: number[] = [];
  const close = () => {
    if (values.length > 0) out.push({ timestamp: bucket, value: statistic(values, stat) });
  };
  for (const p of points) {
    const t = Math.floor(p.timestamp / periodMs) * periodMs;
    if (t !== bucket) {
      close();
      bucket = t;
      values = [];
    }
    values.push(p.value);
  }
  close();
  return out;
}
