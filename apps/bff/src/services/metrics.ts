/** Metrics read through CloudWatch GetMetricData, the same calls in both targets. */
import {
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { METRIC_NAMES, type MetricsResponse } from '@mfc/contracts';
import type { AwsClients } from '../aws/clients.js';

const NAMESPACE = 'AWS/KinesisAnalytics';
const RANGES: Record<string, { ms: number; period: number }> = {
  '15m': { ms: 15 * 60_000, period: 60 },
  '1h': { ms: 60 * 60_000, period: 60 },
  '3h': { ms: 3 * 60 * 60_000, period: 60 },
  '12h': { ms: 12 * 60 * 60_000, period: 300 },
  '24h': { ms: 24 * 60 * 60_000, period: 300 },
};
/** GetMetricData takes at most 500 queries per call. */
const MAX_QUERIES = 500;

export interface FleetHealth {
  /** fullRestarts max − min over the window. */
  restartsLast5m: number;
  failedCheckpointsLast5m: number;
  totalRestarts: number;
  downtimeMs: number;
  /** fullRestarts datapoints in the window: none means the metrics say nothing (a gap, a restarted target). */
  datapoints: number;
  /** The first datapoint in the window where fullRestarts rose. */
  restartsSince?: number;
}

/** The health window: restarts and failed checkpoints are counted over it. */
export const HEALTH_WINDOW_MS = 5 * 60_000;

/** One AWS/KinesisAnalytics metric of one application, as a GetMetricData query's MetricStat. */
export const metric = (app: string, name: string, stat = 'Maximum', period = 60): MetricDataQuery['MetricStat'] => ({
  Metric: { Namespace: NAMESPACE, MetricName: name, Dimensions: [{ Name: 'Application', Value: app }] },
  Period: period,
  Stat: stat,
});

/** The points GetMetricData answered for one query id (none when it has no result). */
export function pointsOf(res: GetMetricDataCommandOutput, id: string): { t: number; v: number }[] {
  const result = res.MetricDataResults?.find((m) => m.Id === id);
  return (result?.Timestamps ?? []).map((t, j) => ({ t: t.getTime(), v: result!.Values![j]! }));
}

/** True when fullRestarts kept rising across the window: a fail-and-restart loop. */
export function restartLoop(points: { t: number; v: number }[], now: number): { active: boolean; since?: number } {
  const recent = points.filter((p) => p.t >= now - 5 * 60_000 - 60_000).sort((a, b) => a.t - b.t);
  if (recent.length < 3) return { active: false };
  let rises = 0;
  for (let i = 1; i < recent.length; i++) if (recent[i]!.v > recent[i - 1]!.v) rises++;
  if (rises < recent.length - 2) return { active: false };
  // Since when: walk back while the series keeps rising.
  const all = [...points].sort((a, b) => a.t - b.t);
  let i = all.length - 1;
  while (i > 0 && all[i - 1]!.v < all[i]!.v) i--;
  return { active: true, since: all[i]!.t };
}

export class MetricsService {
  constructor(private clients: AwsClients) {}

  async series(app: string, range: string, now: number): Promise<MetricsResponse> {
    const r = RANGES[range] ?? RANGES['1h']!;
    const from = now - r.ms;
    const queries: MetricDataQuery[] = METRIC_NAMES.map((name, i) => ({
      Id: `m${i}`,
      Label: name,
      MetricStat: metric(
        app,
        name,
        name === 'fullRestarts' || name === 'numberOfFailedCheckpoints' ? 'Maximum' : 'Average',
        r.period,
      ),
    }));
    const res = await this.clients.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(from),
        EndTime: new Date(now + 60_000),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: queries,
      }),
    );
    const series = METRIC_NAMES.map((name, i) => ({ metric: name, points: pointsOf(res, `m${i}`) }));
    const restarts = series.find((s) => s.metric === 'fullRestarts')!.points;
    return { from, to: now, periodSeconds: r.period, series, restartLoop: restartLoop(restarts, now) };
  }

  /** Restarts, failed checkpoints and downtime over the window for many applications at once. */
  async fleetHealth(apps: string[], now: number, windowMs = HEALTH_WINDOW_MS): Promise<Map<string, FleetHealth>> {
    const out = new Map<string, FleetHealth>();
    const names = ['fullRestarts', 'numberOfFailedCheckpoints', 'downtime'] as const;
    const perCall = Math.floor(MAX_QUERIES / names.length);
    for (let start = 0; start < apps.length; start += perCall) {
      const batch = apps.slice(start, start + perCall);
      const queries = batch.flatMap((app, a) =>
        names.map((n, k) => ({ Id: `a${a}_${k}`, MetricStat: metric(app, n) })),
      );
      const res = await this.clients.cloudWatch.send(
        new GetMetricDataCommand({
          // One period more than the window: the delta needs the value before the first rise in it.
          StartTime: new Date(now - windowMs - 60_000),
          EndTime: new Date(now + 60_000),
          ScanBy: 'TimestampAscending',
          MetricDataQueries: queries,
        }),
      );
      const result = (a: number, k: number) => res.MetricDataResults?.find((m) => m.Id === `a${a}_${k}`);
      const values = (a: number, k: number) => result(a, k)?.Values ?? [];
      const delta = (v: number[]) => (v.length > 0 ? Math.max(...v) - Math.min(...v) : 0);
      batch.forEach((app, a) => {
        const restarts = values(a, 0);
        const times = result(a, 0)?.Timestamps ?? [];
        const rose = restarts.findIndex((v, i) => i > 0 && v > restarts[i - 1]!);
        out.set(app, {
          restartsLast5m: delta(restarts),
          failedCheckpointsLast5m: delta(values(a, 1)),
          totalRestarts: restarts.at(-1) ?? 0,
          downtimeMs: values(a, 2).at(-1) ?? 0,
          datapoints: restarts.length,
          ...(rose > 0 && times[rose] ? { restartsSince: times[rose].getTime() } : {}),
        });
      });
    }
    return out;
  }
}
