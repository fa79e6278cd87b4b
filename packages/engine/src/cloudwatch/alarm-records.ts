/** CloudWatch metric alarms as stored rows: configuration, state, and the history CloudWatch keeps. */
import type { MetricQuery, MetricRef } from './metric-queries.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export const ALARM_STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

export const COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const TREAT_MISSING = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
export type TreatMissing = (typeof TREAT_MISSING)[number];

export interface AlarmRecord {
  /** account:region:name. */
  key: string;
  account: string;
  region: string;
  name: string;
  arn: string;
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  /** A single-metric alarm. */
  metric?: MetricRef & { Statistic?: string; ExtendedStatistic?: string; Period: number; Unit?: string };
  /** A metric-math alarm: the queries, exactly one of which returns data. */
  metrics?: MetricQuery[];
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: Comparison;
  treatMissingData?: TreatMissing;
  state: AlarmState;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  configurationUpdatedAt: number;
  tags: { Key: string; Value: string }[];
}

export type HistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';

export interface AlarmHistoryRecord {
  alarmName: string;
  seq: number;
  at: number;
  type: HistoryItemType;
  summary: string;
  /** JSON, as CloudWatch's HistoryData. */
  data: string;
}
