/**
 * A GetMetricData request's queries, run together: metric queries read their series, expressions are
 * evaluated in dependency order (each id once), and the queries with ReturnData answer. Alarms built on
 * `Metrics` run through the same function, so an alarm sees exactly what GetMetricData shows.
 */
import type { MetricPoint } from '../telemetry/metrics.js';
import { ServiceError } from '../util/errors.js';
import {
  evaluate,
  mathError,
  parseExpression,
  referencedIds,
  usesMetricsFunction,
  type MathContext,
  type Node,
  type Series,
  type Value,
} from './metric-math.js';
import { aggregate, checkPeriod } from './statistics.js';

export interface MetricRef {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name?: string; Value?: string }[];
}

export interface MetricStat {
  Metric: MetricRef;
  Period: number;
  Stat: string;
  Unit?: string;
}

export interface MetricQuery {
  Id: string;
  Label?: string;
  ReturnData?: boolean;
  Expression?: string;
  Period?: number;
  MetricStat?: MetricStat;
}

export interface MetricQueryResult {
  id: string;
  label: string;
  timestamps: number[];
  values: number[];
}

/** One-minute points of a metric in [from, to) (the caller's store; none when it has no such metric). */
export type MetricReader = (metric: MetricRef, from: number, to: number) => MetricPoint[];

const invalid = (message: string) => new ServiceError('InvalidParameterValueException', message);
const ID = /^[a-z][a-zA-Z0-9_]*$/;

export interface CompiledQueries {
  queries: MetricQuery[];
  trees: Map<string, Node>;
}

/** Validates a request's queries (ids, one of MetricStat or Expression, references, cycles). */
export function compileQueries(queries: MetricQuery[], field = 'MetricDataQueries'): CompiledQueries {
  const ids = new Set<string>();
  const trees = new Map<string, Node>();
  queries.forEach((q, i) => {
    if (ids.has(q.Id)) throw invalid(`The value ${q.Id} for field Id is not unique.`);
    ids.add(q.Id);
    if (!ID.test(q.Id))
      throw new ServiceError(
        'ValidationError',
        `The value ${q.Id} for parameter ${field}.member.${i + 1}.Id is invalid: an id starts with a lowercase letter and holds only letters, digits and underscores.`,
      );
    if ((q.Expression === undefined) === (q.MetricStat === undefined))
      throw new ServiceError(
        'ValidationError',
        `Exactly one of ${field}.member.${i + 1}.MetricStat and ${field}.member.${i + 1}.Expression must be specified.`,
      );
    if (q.MetricStat) checkPeriod(q.MetricStat.Period);
    if (q.Expression !== undefined) trees.set(q.Id, parseExpression(q.Id, q.Expression));
  });
  for (const [id, tree] of trees)
    for (const ref of referencedIds(tree)) if (!ids.has(ref)) throw mathError(id, `Unrecognized metric id ${ref}.`);
  // Cycles: an expression may not depend on itself, through METRICS() (which takes metric queries only) or ids.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw mathError(path[0]!, `Circular reference: ${[...path, id].join(' → ')}.`);
    state.set(id, 'visiting');
    const tree = trees.get(id);
    if (tree) for (const ref of referencedIds(tree)) visit(ref, [...path, id]);
    state.set(id, 'done');
  };
  for (const id of trees.keys()) visit(id, []);
  if (queries.length > 0 && !queries.some((q) => q.ReturnData !== false))
    throw new ServiceError('ValidationError', `At least one of the ${field} must return data.`);
  return { queries, trees };
}

/** Runs compiled queries over [start, end); results of the queries with ReturnData, in request order. */
export function runQueries(
  { queries, trees }: CompiledQueries,
  start: number,
  end: number,
  read: MetricReader,
  /** The service's now (no point is made up after it); the range's end by default. */
  now = end,
): MetricQueryResult[] {
  const byId = new Map(queries.map((q) => [q.Id, q]));
  const values = new Map<string, Value>();
  const metricSeries = (q: MetricQuery): Series => {
    const stat = q.MetricStat!;
    const points = aggregate(read(stat.Metric, start, end), stat.Period, stat.Stat);
    return {
      label: q.Label ?? stat.Metric.MetricName ?? q.Id,
      timestamps: points.map((p) => p.timestamp),
      values: points.map((p) => p.value),
      period: stat.Period,
    };
  };
  const metrics = queries.filter((q) => q.MetricStat);
  const defaultPeriod = q0Period(queries);
  const valueOf = (id: string): Value => {
    const known = values.get(id);
    if (known) return known;
    const q = byId.get(id)!;
    let v: Value;
    if (q.MetricStat) v = { kind: 'series', series: metricSeries(q) };
    else {
      const ctx: MathContext = {
        id,
        resolve: valueOf,
        metrics: () => metrics.map((m) => ({ id: m.Id, series: (valueOf(m.Id) as { series: Series }).series })),
        start,
        end,
        now,
        period: q.Period ?? defaultPeriod,
      };
      v = evaluate(ctx, trees.get(id)!);
      if (v.kind === 'string' || v.kind === 'keyword')
        throw mathError(id, 'The expression must give a number or time series.');
    }
    values.set(id, v);
    return v;
  };
  const out: MetricQueryResult[] = [];
  for (const q of queries) {
    if (q.ReturnData === false) continue;
    const v = valueOf(q.Id);
    const label = q.Label ?? (q.MetricStat ? (q.MetricStat.Metric.MetricName ?? q.Id) : q.Id);
    if (v.kind === 'series') out.push({ id: q.Id, label, timestamps: v.series.timestamps, values: v.series.values });
    else if (v.kind === 'array')
      for (const s of v.items)
        out.push({ id: q.Id, label: `${label} ${s.label}`, timestamps: s.timestamps, values: s.values });
    else if (v.kind === 'scalar') {
      // A number is drawn at the timestamps of the request's metrics (a flat line), as CloudWatch does.
      const times = [...new Set(metrics.flatMap((m) => (valueOf(m.Id) as { series: Series }).series.timestamps))].sort(
        (a, b) => a - b,
      );
      out.push({
        id: q.Id,
        label,
        timestamps: Number.isFinite(v.value) ? times : [],
        values: times.map(() => v.value),
      });
    }
  }
  return out;
}

/** Whether an expression names METRICS() (kept for alarms, which need exactly one series). */
export function namesAllMetrics(c: CompiledQueries, id: string): boolean {
  const t = c.trees.get(id);
  return t ? usesMetricsFunction(t) : false;
}

function q0Period(queries: MetricQuery[]): number {
  const periods = queries.map((q) => q.MetricStat?.Period ?? q.Period).filter((p): p is number => p !== undefined);
  return periods.length > 0 ? Math.min(...periods) : 60;
}
