/**
 * CloudWatch subset over AWS JSON 1.0 (what @aws-sdk/client-cloudwatch speaks): GetMetricData,
 * GetMetricStatistics and ListMetrics for namespace AWS/KinesisAnalytics, dimension Application, read
 * from the engine's one-minute series. Periods are whole minutes; statistics are computed over the
 * samples in each period.
 */
import {
  APP_METRICS,
  METRIC_SLOTS,
  MINUTE,
  ServiceError,
  type AppMetric,
  type CallContext,
  type Engine,
  type MetricPoint,
} from '@mfc/engine';
import { METRIC_RETENTION_MS, type MetricArchive } from '../persistence/telemetry-store.js';
import type { Handler, JsonService } from '../protocol/json-rpc.js';
import { loadModel } from '../protocol/model.js';

export const NAMESPACE = 'AWS/KinesisAnalytics';
const invalid = (message: string) => new ServiceError('InvalidParameterValueException', message);

interface Dimension {
  Name?: string;
  Value?: string;
}
interface MetricRef {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
}
interface Query {
  Id: string;
  Label?: string;
  ReturnData?: boolean;
  Expression?: string;
  MetricStat?: { Metric: MetricRef; Period: number; Stat: string };
}

/**
 * Points of one application metric in [from, to]: the engine's ring holds the last 24 hours, the archive
 * (the data directory's telemetry file) what is older, up to the 15 days CloudWatch keeps one-minute data.
 */
export function metricHistory(
  engine: Engine,
  archive: MetricArchive | undefined,
  appKey: string,
  metric: AppMetric,
  from: number,
  to: number,
): MetricPoint[] {
  const now = engine.now();
  const start = Math.max(from, now - METRIC_RETENTION_MS);
  // The first minute the ring can hold; everything from there on is read from it, pending writes included.
  const ringStart = (Math.floor(now / MINUTE) - METRIC_SLOTS + 1) * MINUTE;
  const recent = engine.telemetry.metrics.query(appKey, metric, Math.max(start, ringStart), to);
  if (!archive || start >= ringStart) return recent;
  const older = archive.points(
    appKey,
    APP_METRICS.indexOf(metric),
    Math.ceil(start / MINUTE),
    Math.min(Math.floor(to / MINUTE), ringStart / MINUTE - 1),
  );
  return older.length > 0 ? [...older, ...recent] : recent;
}

/** The application's points of one metric, or none when the query does not name one. */
function pointsFor(
  engine: Engine,
  archive: MetricArchive | undefined,
  ctx: CallContext,
  metric: MetricRef,
  from: number,
  to: number,
): MetricPoint[] {
  if (metric.Namespace !== NAMESPACE || !APP_METRICS.includes(metric.MetricName as AppMetric)) return [];
  const dims = metric.Dimensions ?? [];
  const app = dims.find((d) => d.Name === 'Application')?.Value;
  if (!app || dims.length !== 1) return [];
  // EndTime is exclusive.
  return metricHistory(engine, archive, engine.core.appKey(ctx, app), metric.MetricName as AppMetric, from, to - 1);
}

export function statistic(values: number[], stat: string): number {
  const sorted = () => [...values].sort((a, b) => a - b);
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
    const s = sorted();
    const rank = Math.ceil((Number(p[1]) / 100) * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, rank))]!;
  }
  throw invalid(`The statistic ${stat} is not supported. Use Average, Sum, Minimum, Maximum, SampleCount or pNN.`);
}

/** Buckets points by period (aligned to the epoch) and applies the statistic. */
export function aggregate(points: MetricPoint[], periodSeconds: number, stat: string): MetricPoint[] {
  if (!Number.isInteger(periodSeconds) || periodSeconds < 60 || periodSeconds % 60 !== 0)
    throw invalid(
      `The parameter Period must be a multiple of 60 for metrics with one-minute resolution (got ${periodSeconds}).`,
    );
  const periodMs = periodSeconds * 1000;
  const buckets = new Map<number, number[]>();
  for (const p of points) {
    const t = Math.floor(p.timestamp / periodMs) * periodMs;
    let b = buckets.get(t);
    if (!b) buckets.set(t, (b = []));
    b.push(p.value);
  }
  return [...buckets]
    .sort(([a], [b]) => a - b)
    .map(([timestamp, values]) => ({ timestamp, value: statistic(values, stat) }));
}

function getMetricData(
  engine: Engine,
  archive: MetricArchive | undefined,
  ctx: CallContext,
  input: Record<string, unknown>,
) {
  const queries = input.MetricDataQueries as Query[];
  const from = (input.StartTime as Date).getTime();
  const to = (input.EndTime as Date).getTime();
  if (to <= from) throw invalid('The parameter StartTime must be less than the parameter EndTime.');
  const ids = new Set<string>();
  const results = [];
  for (const q of queries) {
    if (ids.has(q.Id)) throw invalid(`The value ${q.Id} for field Id is not unique.`);
    ids.add(q.Id);
    if (q.Expression)
      throw invalid('Metric math expressions and Metrics Insights queries are not supported by the emulator.');
    if (!q.MetricStat) throw invalid(`The MetricDataQuery ${q.Id} needs MetricStat.`);
    if (q.ReturnData === false) continue;
    let points = aggregate(
      pointsFor(engine, archive, ctx, q.MetricStat.Metric, from, to),
      q.MetricStat.Period,
      q.MetricStat.Stat,
    );
    if (input.ScanBy !== 'TimestampAscending') points = points.reverse();
    results.push({
      Id: q.Id,
      Label: q.Label ?? q.MetricStat.Metric.MetricName,
      Timestamps: points.map((p) => new Date(p.timestamp)),
      Values: points.map((p) => p.value),
      StatusCode: 'Complete',
      Messages: [],
    });
  }
  return { MetricDataResults: results, Messages: [] };
}

function getMetricStatistics(
  engine: Engine,
  archive: MetricArchive | undefined,
  ctx: CallContext,
  input: Record<string, unknown>,
) {
  const stats = [...((input.Statistics as string[] | undefined) ?? [])];
  const extended = [...((input.ExtendedStatistics as string[] | undefined) ?? [])];
  if (stats.length + extended.length === 0)
    throw new ServiceError('MissingRequiredParameterException', 'Statistics or ExtendedStatistics must be specified.');
  const metric: MetricRef = {
    Namespace: input.Namespace as string,
    MetricName: input.MetricName as string,
    Dimensions: input.Dimensions as Dimension[],
  };
  const from = (input.StartTime as Date).getTime();
  const to = (input.EndTime as Date).getTime();
  const points = pointsFor(engine, archive, ctx, metric, from, to);
  const period = input.Period as number;
  const byStat = [...stats, ...extended].map((s) => [s, aggregate(points, period, s)] as const);
  const datapoints = (byStat[0]?.[1] ?? []).map((p, i) => {
    const d: Record<string, unknown> = { Timestamp: new Date(p.timestamp), Unit: 'None' };
    const ext: Record<string, number> = {};
    for (const [s, series] of byStat) {
      if (stats.includes(s)) d[s] = series[i]!.value;
      else ext[s] = series[i]!.value;
    }
    if (extended.length > 0) d.ExtendedStatistics = ext;
    return d;
  });
  return { Label: metric.MetricName, Datapoints: datapoints };
}

function listMetrics(engine: Engine, ctx: CallContext, input: Record<string, unknown>) {
  if (input.Namespace !== undefined && input.Namespace !== NAMESPACE) return { Metrics: [] };
  const filters = (input.DimensionFilters ?? input.Dimensions ?? []) as { Name: string; Value?: string }[];
  const metrics = [];
  for (const app of engine.core.appsIn(ctx.account, ctx.region)) {
    if (!engine.telemetry.metrics.has(app.key)) continue;
    if (!filters.every((f) => f.Name === 'Application' && (f.Value === undefined || f.Value === app.name))) continue;
    for (const name of APP_METRICS)
      if (input.MetricName === undefined || input.MetricName === name)
        metrics.push({
          Namespace: NAMESPACE,
          MetricName: name,
          Dimensions: [{ Name: 'Application', Value: app.name }],
        });
  }
  return { Metrics: metrics };
}

export function cloudWatchService(engine: () => Engine, archive: () => MetricArchive | undefined): JsonService {
  const handlers: Record<string, Handler> = {
    GetMetricData: (ctx, input) => getMetricData(engine(), archive(), ctx, input),
    GetMetricStatistics: (ctx, input) => getMetricStatistics(engine(), archive(), ctx, input),
    ListMetrics: (ctx, input) => listMetrics(engine(), ctx, input),
  };
  return {
    name: 'cloudwatch',
    model: loadModel('cloudwatch'),
    contentType: 'application/x-amz-json-1.0',
    handlers,
    validationErrorFor: () => 'InvalidParameterValueException',
  };
}
