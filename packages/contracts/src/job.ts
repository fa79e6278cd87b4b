/** The Flink job behind a running application, read through the dashboard REST API. */
import { z } from 'zod';

export const EXECUTION_STATES = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'RUNNING',
  'FINISHED',
  'CANCELING',
  'CANCELED',
  'FAILED',
  'RECONCILING',
  'INITIALIZING',
] as const;
export const ExecutionState = z.enum(EXECUTION_STATES);
export type ExecutionState = z.infer<typeof ExecutionState>;

export const JobVertex = z.object({
  id: z.string(),
  name: z.string(),
  parallelism: z.number().int(),
  status: z.string(),
  /** One entry per subtask, in subtask order. */
  subtaskStates: z.array(ExecutionState),
  backpressure: z.enum(['ok', 'low', 'high']),
  backpressureRatio: z.number(),
  busyRatio: z.number(),
  recordsInPerSecond: z.number(),
  recordsOutPerSecond: z.number(),
});
export type JobVertex = z.infer<typeof JobVertex>;

export const JobEdge = z.object({ source: z.string(), target: z.string(), shipStrategy: z.string() });
export type JobEdge = z.infer<typeof JobEdge>;

export const JobException = z.object({
  exceptionName: z.string(),
  message: z.string(),
  stacktrace: z.string().optional(),
  timestamp: z.number(),
  taskName: z.string().optional(),
  taskManagerId: z.string().optional(),
});
export type JobException = z.infer<typeof JobException>;

export const JobView = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    jid: z.string(),
    name: z.string(),
    state: z.string(),
    startTime: z.number(),
    durationMs: z.number(),
    restarts: z.number(),
    vertices: z.array(JobVertex),
    edges: z.array(JobEdge),
    latestException: JobException.optional(),
    fetchedAt: z.number(),
  }),
  z.object({
    available: z.literal(false),
    /** Why there is no job to show (not running, updating, dashboard unreachable). */
    reason: z.string(),
    status: z.string().optional(),
  }),
]);
export type JobView = z.infer<typeof JobView>;

export const SubtaskRow = z.object({
  index: z.number().int(),
  state: ExecutionState,
  attempt: z.number().int(),
  taskManagerId: z.string(),
  endpoint: z.string(),
  startTime: z.number(),
  durationMs: z.number(),
  recordsIn: z.number(),
  recordsOut: z.number(),
});
export const SubtasksView = z.object({ vertexId: z.string(), name: z.string(), subtasks: z.array(SubtaskRow) });
export type SubtasksView = z.infer<typeof SubtasksView>;

export const CheckpointRow = z.object({
  id: z.number(),
  status: z.string(),
  type: z.string(),
  triggerTimestamp: z.number(),
  endToEndDurationMs: z.number(),
  stateSize: z.number(),
  checkpointedSize: z.number(),
  alignmentDurationMs: z.number().optional(),
  failureMessage: z.string().optional(),
});
export type CheckpointRow = z.infer<typeof CheckpointRow>;

export const CheckpointsView = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    config: z.object({
      mode: z.string(),
      intervalMs: z.number(),
      minPauseMs: z.number(),
      timeoutMs: z.number(),
      enabled: z.boolean(),
    }),
    counts: z.object({
      completed: z.number(),
      failed: z.number(),
      inProgress: z.number(),
      restored: z.number(),
      total: z.number(),
    }),
    history: z.array(CheckpointRow),
    latestCompleted: CheckpointRow.optional(),
    latestFailed: CheckpointRow.optional(),
  }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);
export type CheckpointsView = z.infer<typeof CheckpointsView>;

export const ExceptionsView = z.object({ entries: z.array(JobException), truncated: z.boolean() });
export type ExceptionsView = z.infer<typeof ExceptionsView>;
