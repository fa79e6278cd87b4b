/**
 * CloudWatch subset over AWS JSON 1.0 (what @aws-sdk/client-cloudwatch and the aws CLI speak): GetMetricData
 * with metric math, GetMetricStatistics and ListMetrics for namespace AWS/KinesisAnalytics, dimension
 * Application, read from the engine's one-minute series (and the telemetry file past 24 hours); metric
 * alarms, evaluated by the engine on its clock. Periods are whole minutes.
 */
import {
  aggregate,
  APP_METRICS,
  compileQueries,
  METRIC_SLOTS,
  MINUTE,
  resolveMetric,
  runQueries,
  ServiceError,
  type AppMetric,
  type CallContext,
  type Engine,
  type MetricPoint,
  type MetricQuery,
  type MetricRef,
} from '@mfc/engine';
import { METRIC_RETENTION_MS, type MetricArchive } from '../persistence/telemetry-store.js';
import type { Handler, JsonService } from '../protocol/json-rpc.js';
import { alarmHandlers } from './cloudwatch-alarms.js';
import { loadModel } from '../protocol/model.js';

export { METRICS_NAMESPACE as NAMESPACE } from '@mfc/engine';
import { METRICS_NAMESPACE as NAMESPACE } from '@mfc/engine';
const invalid = (message: string) => new ServiceError('InvalidParameterValueException', message);

type Dimension = NonNullable<MetricRef['Dimensions']>[number];

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
  // Nothing is sampled after now; the ring is read back from the range's end, so an end years ahead
  // would read only minutes that never were.
  to = Math.min(to, now);
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
  const source = resolveMetric(engine.core, ctx.account, ctx.region, metric);
  // EndTime is exclusive.
  return source ? metricHistory(engine, archive, source.appKey, source.name, from, to - 1) : [];
}

function getMetricData(
  engine: Engine,
  archive: MetricArchive | undefined,
  ctx: CallContext,
  input: Record<string, unknown>,
) {
  const queries = input.MetricDataQueries as MetricQuery[];
  const from = (input.StartTime as Date).getTime();
  const to = (input.EndTime as Date).getTime();
  if (to <= from) throw invalid('The parameter StartTime must be less than the parameter EndTime.');
  const compiled = compileQueries(queries);
  const results = runQueries(
    compiled,
    from,
    to,
    (metric, start, end) => pointsFor(engine, archive, ctx, metric, start, end),
    engine.core.now(),
  ).map((r) => {
    const order = input.ScanBy === 'TimestampAscending' ? 1 : -1;
    const idx = r.timestamps.map((_t, i) => i);
    if (order < 0) idx.reverse();
    return {
      Id: r.id,
      Label: r.label,
      Timestamps: idx.map((i) => new Date(r.timestamps[i]!)),
      Values: idx.map((i) => r.values[i]!),
      StatusCode: 'Complete',
      Messages: [],
    };
  });
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
    ...alarmHandlers(engine),
  };
  return {
    name: 'cloudwatch',
    model: loadModel('cloudwatch'),
    contentType: 'application/x-amz-json-1.0',
    handlers,
    validationErrorFor: () => 'InvalidParameterValueException',
  };
}
