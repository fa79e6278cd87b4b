/**
 * CloudWatch alarms on an application's metrics, as the console shows them: their state and reason, the
 * state changes over a time range (bands on the metrics charts), and the recommended restart-loop alarm
 * the console can create — shown as the exact PutMetricAlarm request before it is made.
 */
import { z } from 'zod';

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export const AlarmState = z.enum(ALARM_STATES);
export type AlarmState = z.infer<typeof AlarmState>;

export const AlarmView = z.object({
  name: z.string(),
  arn: z.string(),
  description: z.string().optional(),
  state: AlarmState,
  reason: z.string(),
  /** CloudWatch's StateReasonData (JSON text), when the evaluation wrote one. */
  reasonData: z.string().optional(),
  /** When the state last changed (epoch ms, service time). */
  stateSince: z.number(),
  /** What the alarm watches, in one line: "DIFF(fullRestarts) > 0 for 5 of 5 periods of 1 minute". */
  condition: z.string(),
  /** The metrics it reads from this application. */
  metrics: z.array(z.string()),
  periodSeconds: z.number().int(),
  actionsEnabled: z.boolean(),
  /** Where it notifies (SNS topics and other action ARNs), by state. */
  actions: z.object({ alarm: z.array(z.string()), ok: z.array(z.string()), insufficientData: z.array(z.string()) }),
  /** This is the recommended restart-loop alarm (by its name). */
  recommended: z.boolean(),
});
export type AlarmView = z.infer<typeof AlarmView>;

/** One alarm's state over [from, to]: intervals, the last one open when it still holds. */
export const AlarmBand = z.object({
  alarm: z.string(),
  state: AlarmState,
  from: z.number(),
  to: z.number().optional(),
});
export type AlarmBand = z.infer<typeof AlarmBand>;

export const AlarmHistoryEntry = z.object({
  alarm: z.string(),
  at: z.number(),
  type: z.enum(['StateUpdate', 'ConfigurationUpdate', 'Action']),
  summary: z.string(),
});
export type AlarmHistoryEntry = z.infer<typeof AlarmHistoryEntry>;

/** The PutMetricAlarm request of the recommended alarm, as JSON the CLI's --cli-input-json accepts. */
export const RecommendedAlarm = z.object({
  name: z.string(),
  /** Why this alarm, in a sentence. */
  rationale: z.string(),
  request: z.record(z.string(), z.unknown()),
  /** The same request as an `aws cloudwatch put-metric-alarm` command line. */
  cli: z.string(),
  /** An alarm of that name exists already. */
  exists: z.boolean(),
});
export type RecommendedAlarm = z.infer<typeof RecommendedAlarm>;

export const AlarmsResponse = z.object({
  alarms: z.array(AlarmView),
  from: z.number(),
  to: z.number(),
  bands: z.array(AlarmBand),
  history: z.array(AlarmHistoryEntry),
  recommended: RecommendedAlarm,
});
export type AlarmsResponse = z.infer<typeof AlarmsResponse>;

/** The fleet's alarm column: how many alarms watch the application, and which are in ALARM. */
export const AlarmSummary = z.object({
  total: z.number().int(),
  inAlarm: z.array(z.string()),
  insufficientData: z.number().int(),
});
export type AlarmSummary = z.infer<typeof AlarmSummary>;

export const AlarmSummariesResponse = z.object({
  /** By application name; applications no alarm watches are absent. */
  applications: z.record(z.string(), AlarmSummary),
  /** When the alarms were read (epoch ms, wall time of the BFF). */
  readAt: z.number(),
});
export type AlarmSummariesResponse = z.infer<typeof AlarmSummariesResponse>;
