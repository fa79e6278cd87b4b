/**
 * CloudWatch Logs Insights over an application's log group: a query is started, then read until it is
 * Complete (results arrive while it runs). The presets are the queries the AWS guidance gives operators.
 */
import { z } from 'zod';
import { MetricRange } from './resources.js';

export const InsightsStatus = z.enum(['Scheduled', 'Running', 'Complete', 'Failed', 'Cancelled', 'Timeout', 'Unknown']);
export type InsightsStatus = z.infer<typeof InsightsStatus>;

export const InsightsQueryRequest = z.object({
  query: z.string().trim().min(1, 'The query is empty.').max(10_000, 'A query is at most 10,000 characters.'),
  range: MetricRange.default('1h'),
});
export type InsightsQueryRequest = z.infer<typeof InsightsQueryRequest>;

export const InsightsStarted = z.object({ queryId: z.string(), from: z.number(), to: z.number() });
export type InsightsStarted = z.infer<typeof InsightsStarted>;

export const InsightsResults = z.object({
  queryId: z.string(),
  status: InsightsStatus,
  /** Columns in the order the query displays them (@ptr left out). */
  fields: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.string())),
  statistics: z.object({ recordsMatched: z.number(), recordsScanned: z.number(), bytesScanned: z.number() }),
});
export type InsightsResults = z.infer<typeof InsightsResults>;

export interface InsightsPreset {
  id: string;
  name: string;
  description: string;
  query: string;
}

/** The AWS guidance's "Monitoring subtasks failure while the job is running", verbatim. */
export const SUBTASK_TRANSITIONS_QUERY = `fields @timestamp, @message
| parse @message /^(?<task>.+) switched from (?<fromStatus>[A-Z]+) to (?<toStatus>[A-Z]+)\\./
| filter ispresent(task) and ispresent(fromStatus) and ispresent(toStatus)
| display @timestamp, task, fromStatus, toStatus
| limit 10000`;

export const INSIGHTS_PRESETS: readonly InsightsPreset[] = [
  {
    id: 'subtask-transitions',
    name: 'Subtask transitions',
    description: 'Every subtask switching state while the job runs (AWS guidance: monitoring subtasks failure).',
    query: SUBTASK_TRANSITIONS_QUERY,
  },
  {
    id: 'failures-per-5m',
    name: 'Failures per 5 minutes',
    description: 'How often subtasks fail, in 5-minute bins.',
    query: `filter @message like /switched from [A-Z]+ to FAILED/
| stats count(*) as failures by bin(5m)`,
  },
  {
    id: 'errors',
    name: 'Errors and warnings',
    description: 'The newest ERROR and WARN lines.',
    query: `fields @timestamp, messageType, message
| filter messageType = "ERROR" or messageType = "WARN"
| sort @timestamp desc
| limit 200`,
  },
];
