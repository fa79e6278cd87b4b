/**
 * What an operator reads of an application's history, through the real clients: metric series
 * (CloudWatch GetMetricData), log events (CloudWatch Logs FilterLogEvents, every page), and the Flink
 * dashboard's checkpoint and exception history behind CreateApplicationPresignedUrl.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import { APP_METRICS } from '@mfc/engine';

/** Any credentials do for the emulator (it is also used by the BFF's restart test, hence no harness import). */
const credentials = { accessKeyId: 'AKIDHISTORY', secretAccessKey: 'history-reader' };

export interface History {
  /** Per metric: [epoch ms, value] pairs, oldest first. */
  metrics: Record<string, [number, number][]>;
  logs: { timestamp: number; message: string }[];
  checkpoints?: { counts: unknown; history: unknown[] };
  exceptions?: unknown[];
}

export function clients(url: string) {
  const config = { endpoint: url, region: 'us-east-1', credentials, maxAttempts: 2 };
  return {
    ka: new ka.KinesisAnalyticsV2Client(config),
    cw: new CloudWatchClient(config),
    logs: new CloudWatchLogsClient(config),
  };
}

export async function metricSeries(
  cw: CloudWatchClient,
  app: string,
  from: number,
  to: number,
  names: readonly string[] = APP_METRICS,
): Promise<Record<string, [number, number][]>> {
  const out: Record<string, [number, number][]> = {};
  const res = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(from),
      EndTime: new Date(to),
      ScanBy: 'TimestampAscending',
      MetricDataQueries: names.map((name, i) => ({
        Id: `m${i}`,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/KinesisAnalytics',
            MetricName: name,
            Dimensions: [{ Name: 'Application', Value: app }],
          },
          Period: 60,
          Stat: 'Maximum',
        },
      })),
    }),
  );
  names.forEach((name, i) => {
    const r = res.MetricDataResults!.find((m) => m.Id === `m${i}`)!;
    out[name] = r.Timestamps!.map((t, j) => [t.getTime(), r.Values![j]!]);
  });
  return out;
}

export async function logEvents(
  logs: CloudWatchLogsClient,
  group: string,
): Promise<{ timestamp: number; message: string }[]> {
  const out: { timestamp: number; message: string }[] = [];
  let nextToken: string | undefined;
  do {
    const r = await logs.send(new FilterLogEventsCommand({ logGroupName: group, nextToken }));
    for (const e of r.events ?? []) out.push({ timestamp: e.timestamp!, message: e.message! });
    nextToken = r.nextToken;
  } while (nextToken);
  return out;
}

/** The current job's checkpoint statistics and exception history, from the dashboard REST API. */
export async function dashboard(
  client: ka.KinesisAnalyticsV2Client,
  app: string,
): Promise<{ checkpoints: { counts: unknown; history: unknown[] }; exceptions: unknown[]; jid: string }> {
  const { AuthorizedUrl } = await client.send(
    new ka.CreateApplicationPresignedUrlCommand({ ApplicationName: app, UrlType: 'FLINK_DASHBOARD_URL' }),
  );
  const base = new URL(AuthorizedUrl!);
  const token = base.searchParams.get('authToken')!;
  const get = async <T>(path: string): Promise<T> => {
    const url = new URL(path, `${base.origin}${base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`}`);
    url.searchParams.set('authToken', token);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const { jobs } = await get<{ jobs: { id: string; status: string }[] }>('jobs');
  // The current job, as the console picks it: the active one, else the newest.
  const ended = new Set(['FINISHED', 'CANCELED', 'FAILED', 'SUSPENDED']);
  const jid = (jobs.find((j) => !ended.has(j.status)) ?? jobs.at(-1)!).id;
  const cp = await get<{ counts: unknown; history: unknown[] }>(`jobs/${jid}/checkpoints`);
  const ex = await get<{ exceptionHistory: { entries: unknown[] } }>(`jobs/${jid}/exceptions?maxExceptions=100`);
  return { jid, checkpoints: { counts: cp.counts, history: cp.history }, exceptions: ex.exceptionHistory.entries };
}

/** Keeps the points and events at or before `t`: what existed when a history was read. */
export function upTo(h: History, t: number): History {
  return {
    ...h,
    metrics: Object.fromEntries(Object.entries(h.metrics).map(([k, v]) => [k, v.filter(([ts]) => ts <= t)])),
    logs: h.logs.filter((e) => e.timestamp <= t),
  };
}
