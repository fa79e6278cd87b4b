/**
 * CloudWatch metric alarms on the simulated clock: PutMetricAlarm and the calls around it, and the
 * evaluation CloudWatch runs at the end of every period — the last EvaluationPeriods datapoints, M of
 * which must breach (DatapointsToAlarm), missing data treated as configured — moving an alarm between
 * INSUFFICIENT_DATA, OK and ALARM with CloudWatch's StateReason and StateReasonData, and recording each
 * change, and each action it would have run, in the alarm history.
 */
import type { EngineEnv } from '../engine-env.js';
import type { ServiceCore } from '../service/core.js';
import { paginate } from '../service/pagination.js';
import type { CallContext } from '../service/records.js';
import { MINUTE } from '../telemetry/metrics.js';
import { ServiceError } from '../util/errors.js';
import {
  ALARM_STATES,
  COMPARISONS,
  TREAT_MISSING,
  type AlarmHistoryRecord,
  type AlarmRecord,
  type AlarmState,
  type Comparison,
  type HistoryItemType,
  type TreatMissing,
} from './alarm-records.js';
import { compileQueries, namesAllMetrics, runQueries, type MetricQuery, type MetricRef } from './metric-queries.js';
import { resolveMetric, sameMetric } from './metric-source.js';
import { aggregate, checkPeriod, isStatistic } from './statistics.js';

const validation = (message: string) => new ServiceError('ValidationError', message);
const invalidValue = (message: string) => new ServiceError('InvalidParameterValueException', message);
const notFound = (message: string) => new ServiceError('ResourceNotFound', message, 404);

/** Alarms per account and region (CloudWatch's own quota is far larger; this bounds the store). */
export const MAX_ALARMS = 10_000;
/** CloudWatch keeps alarm history for two weeks. */
export const HISTORY_RETENTION_MS = 14 * 24 * 60 * MINUTE;
/** History items kept per alarm at most, whatever their age. */
const MAX_HISTORY_PER_ALARM = 1_000;
const ACTION_ARN = /^arn:aws[a-z-]*:(sns|lambda|autoscaling|ssm|ssm-incidents|swf|ec2|automate):/;

export interface PutMetricAlarmInput {
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: { Name: string; Value: string }[];
  Period?: number;
  Unit?: string;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator?: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Metrics?: MetricQuery[];
  Tags?: { Key: string; Value: string }[];
  ThresholdMetricId?: string;
}

/** A state change the evaluation made (for whoever forwards them: the BFF's webhook, tests). */
export interface AlarmTransition {
  alarm: AlarmRecord;
  from: AlarmState;
  to: AlarmState;
  at: number;
}

const BREACHES: Record<Comparison, (v: number, t: number) => boolean> = {
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  GreaterThanThreshold: (v, t) => v > t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};
const WORDS: Record<Comparison, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** CloudWatch's timestamp in StateReasonData: 2026-12-04T21:35:00.000+0000. */
const isoZ = (t: number) => new Date(t).toISOString().replace('Z', '+0000');
/** CloudWatch's timestamp in StateReason: 04/12/26 21:35:00 (dd/MM/yy, UTC). */
function reasonDate(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
const num = (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v));

export class AlarmService {
  /** Transitions since the last drain (not persisted: observers read them after each advance). */
  private transitions: AlarmTransition[] = [];

  constructor(
    private readonly core: ServiceCore,
    private readonly env: EngineEnv,
  ) {}

  private get store() {
    return this.env.store;
  }

  private key(ctx: CallContext, name: string): string {
    return `${ctx.account}:${ctx.region}:${name}`;
  }

  private arn(ctx: CallContext, name: string): string {
    return `arn:aws:cloudwatch:${ctx.region}:${ctx.account}:alarm:${name}`;
  }

  private alarmsIn(ctx: CallContext): AlarmRecord[] {
    return [...this.store.alarms.values()]
      .filter((a) => a.account === ctx.account && a.region === ctx.region)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // ---- PutMetricAlarm ----------------------------------------------------------------------------

  putMetricAlarm(ctx: CallContext, input: PutMetricAlarmInput): void {
    const config = this.validate(input);
    const key = this.key(ctx, input.AlarmName);
    const existing = this.store.alarms.get(key);
    if (!existing && this.alarmsIn(ctx).length >= MAX_ALARMS)
      throw new ServiceError('LimitExceededFault', `The maximum number of alarms (${MAX_ALARMS}) has been reached.`);
    const now = this.core.now();
    const alarm: AlarmRecord = {
      key,
      account: ctx.account,
      region: ctx.region,
      name: input.AlarmName,
      arn: this.arn(ctx, input.AlarmName),
      ...(input.AlarmDescription !== undefined ? { description: input.AlarmDescription } : {}),
      actionsEnabled: input.ActionsEnabled ?? true,
      okActions: input.OKActions ?? [],
      alarmActions: input.AlarmActions ?? [],
      insufficientDataActions: input.InsufficientDataActions ?? [],
      ...config,
      // An update overwrites the configuration and leaves the state as it is.
      state: existing?.state ?? 'INSUFFICIENT_DATA',
      stateReason: existing?.stateReason ?? 'Unchecked: Initial alarm creation',
      ...(existing?.stateReasonData ? { stateReasonData: existing.stateReasonData } : {}),
      stateUpdatedAt: existing?.stateUpdatedAt ?? now,
      stateTransitionedAt: existing?.stateTransitionedAt ?? now,
      configurationUpdatedAt: now,
      // Tags are set when an alarm is created; on an update they are ignored (TagResource changes them).
      tags: existing?.tags ?? input.Tags ?? [],
    };
    this.store.alarms.set(key, alarm);
    this.history(alarm, 'ConfigurationUpdate', `Alarm "${alarm.name}" ${existing ? 'updated' : 'created'}`, {
      version: '1.0',
      type: existing ? 'Update' : 'Create',
      updatedAlarm: this.describe(alarm),
    });
  }

  private validate(
    input: PutMetricAlarmInput,
  ): Pick<
    AlarmRecord,
    | 'metric'
    | 'metrics'
    | 'evaluationPeriods'
    | 'datapointsToAlarm'
    | 'threshold'
    | 'comparisonOperator'
    | 'treatMissingData'
  > {
    if (input.ThresholdMetricId !== undefined)
      throw validation('Anomaly detection alarms (ThresholdMetricId) are not supported by the emulator.');
    const single = input.MetricName !== undefined || input.Namespace !== undefined;
    if (single && input.Metrics) throw validation('Specify either MetricName or Metrics, not both.');
    if (!single && !input.Metrics) throw validation('Either MetricName and Namespace, or Metrics, must be specified.');
    if (input.ComparisonOperator === undefined) throw validation('ComparisonOperator is required.');
    if (!(COMPARISONS as readonly string[]).includes(input.ComparisonOperator))
      throw validation(
        `ComparisonOperator ${input.ComparisonOperator} is not supported by the emulator (anomaly detection bands are not).`,
      );
    if (input.Threshold === undefined) throw validation('Threshold is required.');
    if (input.EvaluationPeriods === undefined) throw validation('EvaluationPeriods is required.');
    const n = input.EvaluationPeriods;
    if (input.DatapointsToAlarm !== undefined && input.DatapointsToAlarm > n)
      throw validation(`DatapointsToAlarm (${input.DatapointsToAlarm}) must not exceed EvaluationPeriods (${n}).`);
    if (input.TreatMissingData !== undefined && !(TREAT_MISSING as readonly string[]).includes(input.TreatMissingData))
      throw validation(`TreatMissingData must be one of ${TREAT_MISSING.join(', ')}.`);
    for (const arn of [
      ...(input.OKActions ?? []),
      ...(input.AlarmActions ?? []),
      ...(input.InsufficientDataActions ?? []),
    ])
      if (!ACTION_ARN.test(arn)) throw validation(`Invalid action: ${arn}`);
    let period: number;
    const out = {
      evaluationPeriods: n,
      ...(input.DatapointsToAlarm !== undefined ? { datapointsToAlarm: input.DatapointsToAlarm } : {}),
      threshold: input.Threshold,
      comparisonOperator: input.ComparisonOperator as Comparison,
      ...(input.TreatMissingData !== undefined ? { treatMissingData: input.TreatMissingData as TreatMissing } : {}),
    };
    if (single) {
      if (!input.MetricName || !input.Namespace) throw validation('MetricName and Namespace are both required.');
      if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined))
        throw validation('Exactly one of Statistic and ExtendedStatistic must be specified.');
      const stat = input.Statistic ?? input.ExtendedStatistic!;
      if (!isStatistic(stat)) throw invalidValue(`The statistic ${stat} is not supported.`);
      if (input.Period === undefined) throw validation('Period is required.');
      checkPeriod(input.Period);
      period = input.Period;
      this.checkSpan(period, n);
      return {
        ...out,
        metric: {
          Namespace: input.Namespace,
          MetricName: input.MetricName,
          Dimensions: input.Dimensions ?? [],
          ...(input.Statistic !== undefined ? { Statistic: input.Statistic } : {}),
          ...(input.ExtendedStatistic !== undefined ? { ExtendedStatistic: input.ExtendedStatistic } : {}),
          Period: input.Period,
          ...(input.Unit !== undefined ? { Unit: input.Unit } : {}),
        },
      };
    }
    const queries = input.Metrics!;
    const compiled = compileQueries(queries, 'Metrics');
    const returning = queries.filter((q) => q.ReturnData !== false);
    if (returning.length !== 1)
      throw validation('Exactly one element of the Metrics list must return data (ReturnData true).');
    if (namesAllMetrics(compiled, returning[0]!.Id))
      throw validation('The expression of an alarm must create exactly one time series: METRICS() makes an array.');
    for (const q of queries)
      if (q.Expression !== undefined && q.MetricStat === undefined && q.Period !== undefined) checkPeriod(q.Period);
    period = alarmPeriod(queries);
    this.checkSpan(period, n);
    return { ...out, metrics: queries };
  }

  private checkSpan(period: number, n: number): void {
    // What the engine keeps in memory to evaluate from: a day of one-minute samples.
    if (period * n > 86_400)
      throw validation(
        `The product of Period (${period}) and EvaluationPeriods (${n}) must not exceed one day (86400).`,
      );
  }

  // ---- reads -------------------------------------------------------------------------------------

  describeAlarms(
    ctx: CallContext,
    input: {
      AlarmNames?: string[];
      AlarmNamePrefix?: string;
      AlarmTypes?: string[];
      StateValue?: string;
      ActionPrefix?: string;
      MaxRecords?: number;
      NextToken?: string;
    },
  ) {
    if (input.AlarmNames && input.AlarmNamePrefix)
      throw invalidValue('AlarmNames and AlarmNamePrefix cannot be used together.');
    const wantMetric = !input.AlarmTypes || input.AlarmTypes.includes('MetricAlarm');
    const rows = wantMetric
      ? this.alarmsIn(ctx).filter(
          (a) =>
            (!input.AlarmNames || input.AlarmNames.includes(a.name)) &&
            (!input.AlarmNamePrefix || a.name.startsWith(input.AlarmNamePrefix)) &&
            (!input.StateValue || a.state === input.StateValue) &&
            (!input.ActionPrefix ||
              [...a.okActions, ...a.alarmActions, ...a.insufficientDataActions].some((x) =>
                x.startsWith(input.ActionPrefix!),
              )),
        )
      : [];
    const { page, nextToken } = pageOf(rows, (a) => a.name, input.MaxRecords ?? 50, input.NextToken);
    return {
      MetricAlarms: page.map((a) => this.describe(a)),
      CompositeAlarms: [],
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  describeAlarmsForMetric(
    ctx: CallContext,
    input: MetricRef & { Statistic?: string; ExtendedStatistic?: string; Period?: number; Unit?: string },
  ) {
    const matches = (a: AlarmRecord) => {
      if (a.metric)
        return (
          sameMetric(a.metric, input) &&
          (input.Statistic === undefined || a.metric.Statistic === input.Statistic) &&
          (input.ExtendedStatistic === undefined || a.metric.ExtendedStatistic === input.ExtendedStatistic) &&
          (input.Period === undefined || a.metric.Period === input.Period)
        );
      return (a.metrics ?? []).some((q) => q.MetricStat && sameMetric(q.MetricStat.Metric, input));
    };
    return {
      MetricAlarms: this.alarmsIn(ctx)
        .filter(matches)
        .map((a) => this.describe(a)),
    };
  }

  describeAlarmHistory(
    ctx: CallContext,
    input: {
      AlarmName?: string;
      AlarmTypes?: string[];
      HistoryItemType?: string;
      StartDate?: Date;
      EndDate?: Date;
      MaxRecords?: number;
      NextToken?: string;
      ScanBy?: string;
    },
  ) {
    const now = this.core.now();
    const from = Math.max(input.StartDate?.getTime() ?? -Infinity, now - HISTORY_RETENTION_MS);
    const to = input.EndDate?.getTime() ?? Infinity;
    const prefix = `${ctx.account}:${ctx.region}:`;
    const groups = input.AlarmName
      ? [historyGroup(this.key(ctx, input.AlarmName))]
      : [...this.store.alarmHistory.groupKeys()].filter((g) => decodeURIComponent(g).startsWith(prefix));
    const wantMetric = !input.AlarmTypes || input.AlarmTypes.includes('MetricAlarm');
    const items = wantMetric
      ? groups
          .flatMap((g) => this.store.alarmHistory.list(g))
          .filter(
            (h) =>
              h.at >= from && h.at <= to && (input.HistoryItemType === undefined || h.type === input.HistoryItemType),
          )
      : [];
    const ascending = input.ScanBy === 'TimestampAscending';
    items.sort((a, b) => (ascending ? a.at - b.at || a.seq - b.seq : b.at - a.at || b.seq - a.seq));
    const { page, nextToken } = pageOf(items, (h) => String(h.seq), input.MaxRecords ?? 50, input.NextToken);
    return {
      AlarmHistoryItems: page.map((h) => ({
        AlarmName: h.alarmName,
        AlarmType: 'MetricAlarm',
        Timestamp: new Date(h.at),
        HistoryItemType: h.type,
        HistorySummary: h.summary,
        HistoryData: h.data,
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    };
  }

  // ---- changes -----------------------------------------------------------------------------------

  deleteAlarms(ctx: CallContext, names: string[]): void {
    const missing = names.filter((n) => !this.store.alarms.has(this.key(ctx, n)));
    if (missing.length > 0) throw notFound(`The alarm ${missing[0]} does not exist.`);
    for (const n of names) this.store.alarms.delete(this.key(ctx, n));
  }

  setAlarmState(
    ctx: CallContext,
    input: { AlarmName: string; StateValue: string; StateReason: string; StateReasonData?: string },
  ): void {
    const alarm = this.store.alarms.get(this.key(ctx, input.AlarmName));
    if (!alarm) throw notFound(`The alarm ${input.AlarmName} does not exist.`);
    if (!(ALARM_STATES as readonly string[]).includes(input.StateValue))
      throw invalidValue(`StateValue must be one of ${ALARM_STATES.join(', ')}.`);
    if (input.StateReasonData !== undefined)
      try {
        JSON.parse(input.StateReasonData);
      } catch {
        throw new ServiceError('InvalidFormat', 'StateReasonData is not valid JSON.');
      }
    // Until the next evaluation, which sets the state from the data again.
    this.transition(alarm, input.StateValue as AlarmState, input.StateReason, input.StateReasonData);
  }

  setActionsEnabled(ctx: CallContext, names: string[], enabled: boolean): void {
    for (const n of names) {
      const alarm = this.store.alarms.get(this.key(ctx, n));
      if (!alarm || alarm.actionsEnabled === enabled) continue;
      alarm.actionsEnabled = enabled;
      this.store.alarms.touch(alarm.key);
    }
  }

  /** The alarm an alarm ARN names, or ResourceNotFoundException. */
  byArn(ctx: CallContext, arn: string): AlarmRecord {
    const m = /^arn:aws[a-z-]*:cloudwatch:([^:]+):(\d{12}):alarm:(.+)$/.exec(arn);
    if (!m) throw invalidValue(`Invalid ARN: ${arn}`);
    const alarm = m[1] === ctx.region && m[2] === ctx.account ? this.store.alarms.get(this.key(ctx, m[3]!)) : undefined;
    if (!alarm) throw new ServiceError('ResourceNotFoundException', `The resource ${arn} does not exist.`, 404);
    return alarm;
  }

  tag(ctx: CallContext, arn: string, tags: { Key: string; Value: string }[]): void {
    const alarm = this.byArn(ctx, arn);
    const byKey = new Map(alarm.tags.map((t) => [t.Key, t.Value]));
    for (const t of tags) byKey.set(t.Key, t.Value);
    if (byKey.size > 50) throw invalidValue('An alarm can have at most 50 tags.');
    alarm.tags = [...byKey].map(([Key, Value]) => ({ Key, Value }));
    this.store.alarms.touch(alarm.key);
  }

  untag(ctx: CallContext, arn: string, keys: string[]): void {
    const alarm = this.byArn(ctx, arn);
    alarm.tags = alarm.tags.filter((t) => !keys.includes(t.Key));
    this.store.alarms.touch(alarm.key);
  }

  // ---- evaluation --------------------------------------------------------------------------------

  /** Evaluates every alarm whose period ends at `now` (the engine calls this each virtual minute). */
  evaluateDue(now: number): void {
    for (const alarm of this.store.alarms.values()) {
      const period = (alarm.metric?.Period ?? alarmPeriod(alarm.metrics ?? [])) * 1000;
      if (now % period === 0) this.evaluate(alarm, now, period);
    }
    if (now % (60 * MINUTE) === 0) this.pruneHistory(now);
  }

  /** State changes made since the last call, oldest first. */
  drainTransitions(): AlarmTransition[] {
    const out = this.transitions;
    this.transitions = [];
    return out;
  }

  private evaluate(alarm: AlarmRecord, now: number, periodMs: number): void {
    const n = alarm.evaluationPeriods;
    const m = alarm.datapointsToAlarm ?? n;
    // The datapoints of the last N periods, the newest being the one that ends now.
    const slots: number[] = [];
    for (let i = n - 1; i >= 0; i--) slots.push(now - i * periodMs);
    const values = this.datapoints(alarm, now, periodMs, n);
    const present = slots.map((t) => values.get(t));
    const breaches = BREACHES[alarm.comparisonOperator];
    const treat = alarm.treatMissingData ?? 'missing';
    let breaching = 0;
    let fine = 0;
    for (const v of present) {
      if (v === undefined) {
        if (treat === 'breaching') breaching++;
        else if (treat === 'notBreaching') fine++;
      } else if (breaches(v, alarm.threshold)) breaching++;
      else fine++;
    }
    const known = present.filter((v): v is number => v !== undefined);
    let next: AlarmState;
    let reason: string;
    if (breaching + fine === 0) {
      if (treat === 'ignore') return;
      next = 'INSUFFICIENT_DATA';
      reason = `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`;
    } else {
      next = breaching >= m ? 'ALARM' : 'OK';
      const list = slots
        .map((t, i) => ({ t, v: present[i] }))
        .filter((p): p is { t: number; v: number } => p.v !== undefined)
        .reverse()
        .map((p) => `${num(p.v)} (${reasonDate(p.t)})`)
        .join(', ');
      const count = next === 'ALARM' ? breaching : fine;
      const word = WORDS[alarm.comparisonOperator];
      reason =
        `Threshold Crossed: ${count} out of the last ${n} datapoints [${list}] were ${next === 'ALARM' ? '' : 'not '}${word} the threshold (${num(alarm.threshold)}) ` +
        `(minimum ${next === 'ALARM' ? m : 1} datapoint${(next === 'ALARM' ? m : 1) === 1 ? '' : 's'} for ${alarm.state === 'ALARM' ? 'ALARM' : alarm.state === 'OK' ? 'OK' : 'INSUFFICIENT_DATA'} -> ${next} transition).`;
    }
    if (next === alarm.state) return;
    const data = JSON.stringify({
      version: '1.0',
      queryDate: isoZ(now),
      startDate: isoZ(slots[0]!),
      ...(alarm.metric ? { statistic: alarm.metric.Statistic ?? alarm.metric.ExtendedStatistic } : {}),
      period: periodMs / 1000,
      recentDatapoints: known,
      threshold: alarm.threshold,
      evaluatedDatapoints: slots
        .map((t, i) => ({ t, v: present[i] }))
        .reverse()
        .map((p) =>
          p.v === undefined ? { timestamp: isoZ(p.t) } : { timestamp: isoZ(p.t), sampleCount: 1.0, value: p.v },
        ),
    });
    this.transition(alarm, next, reason, data);
  }

  /** The alarm's datapoints by timestamp, over its evaluation range. */
  private datapoints(alarm: AlarmRecord, now: number, periodMs: number, n: number): Map<number, number> {
    // A margin before the range: DIFF and RATE need the point before the first, FILL its neighbours.
    const from = now - (n + 5) * periodMs;
    const to = now + periodMs;
    const read = (metric: MetricRef, start: number, end: number) => {
      const source = resolveMetric(this.core, alarm.account, alarm.region, metric);
      return source ? this.core.telemetry.metrics.query(source.appKey, source.name, start, end - 1) : [];
    };
    const out = new Map<number, number>();
    if (alarm.metric) {
      const stat = alarm.metric.Statistic ?? alarm.metric.ExtendedStatistic!;
      for (const p of aggregate(read(alarm.metric, from, to), alarm.metric.Period, stat)) out.set(p.timestamp, p.value);
      return out;
    }
    try {
      const [result] = runQueries(compileQueries(alarm.metrics!, 'Metrics'), from, to, read, now);
      result?.timestamps.forEach((t, i) => out.set(t, result.values[i]!));
    } catch {
      // An expression that fails on this data (it validated when the alarm was put) gives no datapoint.
    }
    return out;
  }

  private transition(alarm: AlarmRecord, to: AlarmState, reason: string, data?: string): void {
    const now = this.core.now();
    const from = alarm.state;
    const old = { stateValue: from, stateReason: alarm.stateReason };
    alarm.state = to;
    alarm.stateReason = reason;
    if (data !== undefined) alarm.stateReasonData = data;
    else delete alarm.stateReasonData;
    alarm.stateUpdatedAt = now;
    if (from !== to) alarm.stateTransitionedAt = now;
    this.store.alarms.touch(alarm.key);
    this.history(alarm, 'StateUpdate', `Alarm updated from ${from} to ${to}`, {
      version: '1.0',
      oldState: old,
      newState: { stateValue: to, stateReason: reason, ...(data ? { stateReasonData: JSON.parse(data) } : {}) },
    });
    if (from !== to) {
      this.transitions.push({ alarm, from, to, at: now });
      if (alarm.actionsEnabled) {
        const actions =
          to === 'ALARM' ? alarm.alarmActions : to === 'OK' ? alarm.okActions : alarm.insufficientDataActions;
        // No SNS here: the action is recorded as CloudWatch records one it ran.
        for (const arn of actions)
          this.history(alarm, 'Action', `Successfully executed action ${arn}`, {
            actionState: 'Succeeded',
            stateUpdateTimestamp: now,
            notificationResource: arn,
            publishedMessage: {
              default: JSON.stringify({ AlarmName: alarm.name, NewStateValue: to, NewStateReason: reason }),
            },
          });
      }
    }
  }

  private history(alarm: AlarmRecord, type: HistoryItemType, summary: string, data: unknown): void {
    const meta = this.store.meta.get('engine')!;
    const seq = (meta.counters.alarmHistory = (meta.counters.alarmHistory ?? 0) + 1);
    const group = historyGroup(alarm.key);
    const item: AlarmHistoryRecord = {
      alarmName: alarm.name,
      seq,
      at: this.core.now(),
      type,
      summary,
      data: JSON.stringify(data),
    };
    this.store.alarmHistory.set(group, String(seq).padStart(12, '0'), item);
    const all = this.store.alarmHistory.list(group);
    for (let i = 0; i < all.length - MAX_HISTORY_PER_ALARM; i++)
      this.store.alarmHistory.delete(group, String(all[i]!.seq).padStart(12, '0'));
  }

  private pruneHistory(now: number): void {
    for (const group of [...this.store.alarmHistory.groupKeys()])
      for (const h of this.store.alarmHistory.list(group))
        if (h.at < now - HISTORY_RETENTION_MS) this.store.alarmHistory.delete(group, String(h.seq).padStart(12, '0'));
        else break;
  }

  describe(a: AlarmRecord) {
    return {
      AlarmName: a.name,
      AlarmArn: a.arn,
      ...(a.description !== undefined ? { AlarmDescription: a.description } : {}),
      AlarmConfigurationUpdatedTimestamp: new Date(a.configurationUpdatedAt),
      ActionsEnabled: a.actionsEnabled,
      OKActions: a.okActions,
      AlarmActions: a.alarmActions,
      InsufficientDataActions: a.insufficientDataActions,
      StateValue: a.state,
      StateReason: a.stateReason,
      ...(a.stateReasonData !== undefined ? { StateReasonData: a.stateReasonData } : {}),
      StateUpdatedTimestamp: new Date(a.stateUpdatedAt),
      StateTransitionedTimestamp: new Date(a.stateTransitionedAt),
      ...(a.metric
        ? {
            MetricName: a.metric.MetricName,
            Namespace: a.metric.Namespace,
            ...(a.metric.Statistic !== undefined ? { Statistic: a.metric.Statistic } : {}),
            ...(a.metric.ExtendedStatistic !== undefined ? { ExtendedStatistic: a.metric.ExtendedStatistic } : {}),
            Dimensions: a.metric.Dimensions,
            Period: a.metric.Period,
            ...(a.metric.Unit !== undefined ? { Unit: a.metric.Unit } : {}),
          }
        : { Metrics: a.metrics }),
      EvaluationPeriods: a.evaluationPeriods,
      ...(a.datapointsToAlarm !== undefined ? { DatapointsToAlarm: a.datapointsToAlarm } : {}),
      Threshold: a.threshold,
      ComparisonOperator: a.comparisonOperator,
      ...(a.treatMissingData !== undefined ? { TreatMissingData: a.treatMissingData } : {}),
    };
  }
}

/** The period an alarm on queries is evaluated at: the returned query's own, else its metrics'. */
export function alarmPeriod(queries: MetricQuery[]): number {
  const returned = queries.find((q) => q.ReturnData !== false);
  if (returned?.MetricStat) return returned.MetricStat.Period;
  if (returned?.Period) return returned.Period;
  const periods = queries.flatMap((q) => (q.MetricStat ? [q.MetricStat.Period] : []));
  return periods.length > 0 ? Math.min(...periods) : 60;
}

/** History groups are keyed by the alarm's key, encoded (alarm names may hold the table's separator). */
const historyGroup = (key: string) => encodeURIComponent(key);

/** CloudWatch's paging: MaxRecords 1–100 and an opaque token naming the next row. */
function pageOf<T>(rows: T[], idOf: (row: T) => string, max: number, token: string | undefined) {
  try {
    return paginate(rows, idOf, max, token);
  } catch {
    throw new ServiceError('InvalidNextToken', `The token ${token} is not valid.`);
  }
}
