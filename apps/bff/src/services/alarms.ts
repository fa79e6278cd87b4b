/**
 * CloudWatch alarms on the applications' metrics, through the calls CloudWatch offers (DescribeAlarms,
 * DescribeAlarmHistory, PutMetricAlarm), so the same code reads the embedded emulator and AWS: which
 * alarms watch an application (a metric of AWS/KinesisAnalytics with its Application dimension), their
 * state over time, and the recommended restart-loop alarm of the AWS guidance.
 */
import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type MetricAlarm,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import type {
  AlarmBand,
  AlarmHistoryEntry,
  AlarmState,
  AlarmSummariesResponse,
  AlarmsResponse,
  AlarmView,
  RecommendedAlarm,
} from '@mfc/contracts';
import type { AwsClients } from '../aws/clients.js';

const NAMESPACE = 'AWS/KinesisAnalytics';
/** How long a full read of the region's alarms is reused by the views (the watcher reads on its own clock). */
const ALARMS_TTL_MS = 2_000;
const RANGE_MS: Record<string, number> = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '3h': 3 * 60 * 60_000,
  '12h': 12 * 60 * 60_000,
  '24h': 24 * 60 * 60_000,
};

const WORDS: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};

/** The recommended alarm's name for an application. */
export const recommendedAlarmName = (app: string) => `${app}-restart-loop`;

/** Applications whose metrics an alarm reads. */
export function alarmApplications(a: MetricAlarm): string[] {
  const metrics = a.Metrics
    ? a.Metrics.flatMap((q) => (q.MetricStat?.Metric ? [q.MetricStat.Metric] : []))
    : [{ Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions }];
  const apps = new Set<string>();
  for (const m of metrics) {
    if (m.Namespace !== NAMESPACE) continue;
    const app = m.Dimensions?.find((d) => d.Name === 'Application')?.Value;
    if (app) apps.add(app);
  }
  return [...apps];
}

function periodText(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

function periodOf(a: MetricAlarm): number {
  if (a.Period) return a.Period;
  const returned = a.Metrics?.find((q) => q.ReturnData !== false);
  return (
    returned?.MetricStat?.Period ?? returned?.Period ?? a.Metrics?.find((q) => q.MetricStat)?.MetricStat?.Period ?? 60
  );
}

/** "DIFF(fullRestarts) > 0 for 5 of 5 periods of 1 minute". */
export function alarmCondition(a: MetricAlarm): string {
  let what: string;
  if (a.Metrics) {
    const returned = a.Metrics.find((q) => q.ReturnData !== false);
    const names = new Map(a.Metrics.flatMap((q) => (q.MetricStat ? [[q.Id!, q.MetricStat.Metric!.MetricName!]] : [])));
    what = returned?.Expression
      ? returned.Expression.replace(/\b[a-z][a-zA-Z0-9_]*\b/g, (id) => names.get(id) ?? id)
      : `${returned?.MetricStat?.Stat ?? ''}(${returned?.MetricStat?.Metric?.MetricName ?? returned?.Id ?? '?'})`;
  } else what = `${a.Statistic ?? a.ExtendedStatistic ?? ''}(${a.MetricName ?? '?'})`;
  const n = a.EvaluationPeriods ?? 1;
  const m = a.DatapointsToAlarm ?? n;
  const op = WORDS[a.ComparisonOperator ?? ''] ?? a.ComparisonOperator ?? '?';
  return `${what} ${op} ${a.Threshold ?? '?'} for ${m} of ${n} period${n === 1 ? '' : 's'} of ${periodText(periodOf(a))}`;
}

export function alarmView(a: MetricAlarm): AlarmView {
  const metrics = a.Metrics
    ? a.Metrics.flatMap((q) => (q.MetricStat?.Metric?.MetricName ? [q.MetricStat.Metric.MetricName] : []))
    : a.MetricName
      ? [a.MetricName]
      : [];
  const apps = alarmApplications(a);
  return {
    name: a.AlarmName!,
    arn: a.AlarmArn ?? '',
    ...(a.AlarmDescription ? { description: a.AlarmDescription } : {}),
    state: (a.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState,
    reason: a.StateReason ?? '',
    ...(a.StateReasonData ? { reasonData: a.StateReasonData } : {}),
    stateSince: (a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp ?? new Date(0)).getTime(),
    condition: alarmCondition(a),
    metrics: [...new Set(metrics)],
    periodSeconds: periodOf(a),
    actionsEnabled: a.ActionsEnabled ?? true,
    actions: { alarm: a.AlarmActions ?? [], ok: a.OKActions ?? [], insufficientData: a.InsufficientDataActions ?? [] },
    recommended: apps.length === 1 && a.AlarmName === recommendedAlarmName(apps[0]!),
  };
}

/** The guidance's restart-loop alarm for an application: DIFF of fullRestarts above 0 for 5 minutes in a row. */
export function recommendedAlarmRequest(app: string, topicArn?: string): PutMetricAlarmCommandInput {
  return {
    AlarmName: recommendedAlarmName(app),
    AlarmDescription: `The Flink job of ${app} keeps restarting: fullRestarts rose in each of the last 5 minutes (a fail-and-restart loop while the application may still say RUNNING).`,
    Metrics: [
      {
        Id: 'm1',
        MetricStat: {
          Metric: {
            Namespace: NAMESPACE,
            MetricName: 'fullRestarts',
            Dimensions: [{ Name: 'Application', Value: app }],
          },
          Period: 60,
          Stat: 'Maximum',
        },
        ReturnData: false,
      },
      { Id: 'e1', Expression: 'DIFF(m1)', Label: 'fullRestarts increase per minute', ReturnData: true },
    ],
    EvaluationPeriods: 5,
    DatapointsToAlarm: 5,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    // A stopped application publishes no fullRestarts: that is not a loop.
    TreatMissingData: 'notBreaching',
    ...(topicArn ? { AlarmActions: [topicArn], OKActions: [topicArn] } : {}),
  };
}

/** A shell-safe `aws cloudwatch put-metric-alarm` line for a request. */
export function cliCommand(request: PutMetricAlarmCommandInput): string {
  const json = JSON.stringify(request);
  return `aws cloudwatch put-metric-alarm --cli-input-json '${json.replace(/'/g, `'\\''`)}'`;
}

/** The state intervals over [from, to] from StateUpdate history items; the last one is open. */
export function alarmBands(
  alarm: string,
  current: AlarmState,
  updates: { at: number; from: AlarmState; to: AlarmState }[],
  from: number,
  to: number,
): AlarmBand[] {
  const sorted = updates.filter((u) => u.at <= to).sort((a, b) => a.at - b.at);
  const bands: AlarmBand[] = [];
  // Before the first change in the range, the alarm was in that change's old state.
  let state = sorted[0]?.from ?? current;
  let since = from;
  const add = (band: AlarmBand) => {
    const last = bands.at(-1);
    // A manual SetAlarmState to the same value does not split an interval.
    if (last && last.state === band.state) {
      if (band.to === undefined) delete last.to;
      else last.to = band.to;
    } else bands.push(band);
  };
  for (const u of sorted) {
    if (u.at > since) {
      add({ alarm, state, from: since, to: u.at });
      since = u.at;
    }
    state = u.to;
  }
  add({ alarm, state, from: since });
  return bands;
}

const STATE_UPDATE = /^Alarm updated from (OK|ALARM|INSUFFICIENT_DATA) to (OK|ALARM|INSUFFICIENT_DATA)$/;

export class AlarmsService {
  private cache?: { at: number; alarms: MetricAlarm[] };
  private reading?: Promise<MetricAlarm[]>;

  constructor(
    private clients: AwsClients,
    private topicArn?: string,
  ) {}

  /** Every metric alarm in the region (DescribeAlarms, every page), reused for a moment. */
  async all(maxAgeMs = ALARMS_TTL_MS): Promise<MetricAlarm[]> {
    if (this.cache && Date.now() - this.cache.at <= maxAgeMs) return this.cache.alarms;
    this.reading ??= this.readAll().finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** Reads every page now and keeps the result. */
  async readAll(filter: { StateValue?: AlarmState; AlarmNames?: string[] } = {}): Promise<MetricAlarm[]> {
    const out: MetricAlarm[] = [];
    let token: string | undefined;
    do {
      const page = await this.clients.cloudWatch.send(
        new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], MaxRecords: 100, NextToken: token, ...filter }),
      );
      out.push(...(page.MetricAlarms ?? []));
      token = page.NextToken;
    } while (token);
    if (!filter.StateValue && !filter.AlarmNames) this.cache = { at: Date.now(), alarms: out };
    return out;
  }

  /** Drops the cached read (after a change made here). */
  invalidate(): void {
    this.cache = undefined;
  }

  async summaries(): Promise<AlarmSummariesResponse> {
    const alarms = await this.all();
    const applications: AlarmSummariesResponse['applications'] = {};
    for (const a of alarms)
      for (const app of alarmApplications(a)) {
        const s = (applications[app] ??= { total: 0, inAlarm: [], insufficientData: 0 });
        s.total++;
        if (a.StateValue === 'ALARM') s.inAlarm.push(a.AlarmName!);
        if (a.StateValue === 'INSUFFICIENT_DATA') s.insufficientData++;
      }
    return { applications, readAt: this.cache?.at ?? Date.now() };
  }

  recommended(app: string, existing: MetricAlarm[]): RecommendedAlarm {
    const request = recommendedAlarmRequest(app, this.topicArn);
    return {
      name: request.AlarmName!,
      rationale:
        'The AWS guidance detects a fail-and-restart loop with a conservative alarm: the DIFF of fullRestarts is above 0 in each of 5 one-minute periods.',
      request: { ...request },
      cli: cliCommand(request),
      exists: existing.some((a) => a.AlarmName === request.AlarmName),
    };
  }

  async forApplication(app: string, range: string, now: number): Promise<AlarmsResponse> {
    const all = await this.all();
    const mine = all.filter((a) => alarmApplications(a).includes(app));
    const to = now;
    const from = now - (RANGE_MS[range] ?? RANGE_MS['1h']!);
    const histories = await Promise.all(mine.map((a) => this.history(a.AlarmName!, from)));
    const history = histories.flat().sort((a, b) => b.at - a.at);
    const bands = mine.flatMap((a, i) => {
      const updates = histories[i]!.flatMap((h) => {
        const m = h.type === 'StateUpdate' ? STATE_UPDATE.exec(h.summary) : null;
        return m ? [{ at: h.at, from: m[1] as AlarmState, to: m[2] as AlarmState }] : [];
      });
      return alarmBands(a.AlarmName!, (a.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState, updates, from, to);
    });
    return {
      alarms: mine
        .map(alarmView)
        .sort((a, b) => stateRank(a.state) - stateRank(b.state) || a.name.localeCompare(b.name)),
      from,
      to,
      bands,
      history,
      recommended: this.recommended(app, all),
    };
  }

  private async history(alarm: string, from: number): Promise<AlarmHistoryEntry[]> {
    const out: AlarmHistoryEntry[] = [];
    let token: string | undefined;
    // At most 5 pages (500 items): a chatty alarm's older changes are not needed for a chart.
    for (let page = 0; page < 5; page++) {
      const r = await this.clients.cloudWatch.send(
        new DescribeAlarmHistoryCommand({
          AlarmName: alarm,
          AlarmTypes: ['MetricAlarm'],
          StartDate: new Date(from),
          MaxRecords: 100,
          NextToken: token,
        }),
      );
      for (const h of r.AlarmHistoryItems ?? [])
        out.push({
          alarm,
          at: h.Timestamp?.getTime() ?? 0,
          type: (h.HistoryItemType ?? 'StateUpdate') as AlarmHistoryEntry['type'],
          summary: h.HistorySummary ?? '',
        });
      token = r.NextToken;
      if (!token) break;
    }
    return out;
  }

  async createRecommended(app: string): Promise<string> {
    const request = recommendedAlarmRequest(app, this.topicArn);
    await this.clients.cloudWatch.send(new PutMetricAlarmCommand(request));
    this.invalidate();
    return request.AlarmName!;
  }
}

const stateRank = (s: AlarmState) => (s === 'ALARM' ? 0 : s === 'INSUFFICIENT_DATA' ? 1 : 2);
