/**
 * Server-Sent Events from GET /api/events: what changed, so the console updates its query cache instead
 * of polling. Each event names the application and carries the new value where it is small.
 */
import { z } from 'zod';
import { AlarmState } from './alarms.js';
import { ApplicationStatus, OperationView } from './common.js';
import { SnapshotView } from './resources.js';
import { SubtaskRuns } from './subtask-runs.js';

export const ServerEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('application'),
    application: z.string(),
    status: ApplicationStatus.optional(),
    versionId: z.number().optional(),
    /** The application is gone. */
    deleted: z.boolean().optional(),
  }),
  z.object({ type: z.literal('operation'), application: z.string(), operation: OperationView }),
  z.object({
    type: z.literal('snapshot'),
    application: z.string(),
    name: z.string(),
    snapshot: SnapshotView.optional(),
    deleted: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('job'),
    application: z.string(),
    jobState: z.string().optional(),
    /** Subtask states per vertex id, as runs (see subtask-runs.ts); none when the job is gone. */
    subtaskRuns: z.record(z.string(), SubtaskRuns),
    restarts: z.number().optional(),
  }),
  z.object({ type: z.literal('fleet'), changed: z.array(z.string()) }),
  /** A CloudWatch alarm changed state; `applications` are those whose metrics it reads (to everyone). */
  z.object({
    type: z.literal('alarm'),
    alarm: z.string(),
    applications: z.array(z.string()),
    state: AlarmState,
    previous: AlarmState.optional(),
    reason: z.string(),
    at: z.number(),
  }),
]);
export type ServerEvent = z.infer<typeof ServerEvent>;
