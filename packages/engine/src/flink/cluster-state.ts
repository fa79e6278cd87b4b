/**
 * The stored state of the simulated Flink cluster behind one running application: JobManager,
 * TaskManagers, the job with its vertices and subtasks, the checkpoint coordinator and the event log.
 */
import type { RandomState } from '../util/random.js';
import type { Manifest } from './manifest.js';
import type { VertexSpec } from './job-graph.js';

/** Flink's ExecutionState, in Java ordinal order. */
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
export type ExecutionState = (typeof EXECUTION_STATES)[number];

export const JOB_STATUSES = [
  'INITIALIZING',
  'CREATED',
  'RUNNING',
  'FAILING',
  'FAILED',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
  'RESTARTING',
  'SUSPENDED',
  'RECONCILING',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface TaskManagerState {
  id: string;
  host: string;
  dataPort: number;
  slots: number;
  registeredAt: number;
}

export interface SubtaskState {
  state: ExecutionState;
  attempt: number;
  /** Index of the TaskManager running it. */
  tm: number;
  /** When the current attempt entered each state. */
  timestamps: Partial<Record<ExecutionState, number>>;
}

export interface VertexState extends VertexSpec {
  subtasks: SubtaskState[];
}

export interface ExceptionEntry {
  exceptionName: string;
  stacktrace: string;
  timestamp: number;
  taskName: string;
  endpoint: string;
  taskManagerId: string;
}

/** Flink's RestAPICheckpointType: periodic checkpoints are UNALIGNED_CHECKPOINT when the job enables them. */
export type CheckpointType = 'CHECKPOINT' | 'UNALIGNED_CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT';

/** True for savepoints (taken on request or by stop/update), false for periodic checkpoints. */
export function isSavepointType(type: CheckpointType): boolean {
  return type === 'SAVEPOINT' || type === 'SYNC_SAVEPOINT';
}

export interface CheckpointRecord {
  id: number;
  status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  type: CheckpointType;
  triggerTimestamp: number;
  latestAckTimestamp: number;
  endToEndDuration: number;
  stateSize: number;
  checkpointedSize: number;
  /** Deprecated in Flink (always 0), kept for the wire. */
  alignmentBuffered: number;
  /** Bytes processed during the alignment (between the first and the last barrier), all subtasks. */
  processedData: number;
  /** In-flight bytes persisted with the checkpoint: only unaligned checkpoints persist any. */
  persistedData: number;
  syncDurationMs: number;
  asyncDurationMs: number;
  alignmentDurationMs: number;
  startDelayMs: number;
  numSubtasks: number;
  numAcknowledgedSubtasks: number;
  failureTimestamp?: number;
  failureMessage?: string;
  externalPath?: string;
  /** Per vertex id: state and checkpointed bytes. */
  perVertex: Record<string, { stateSize: number; checkpointedSize: number }>;
  /** While in progress: when it ends, and why it will fail (if it will). */
  plannedEnd?: number;
  plannedFailure?: string;
}

export interface CheckpointCoordinatorState {
  enabled: boolean;
  interval: number;
  minPause: number;
  timeout: number;
  nextId: number;
  counts: { restored: number; total: number; in_progress: number; completed: number; failed: number };
  /** Newest last; Flink keeps the last 10 in the history. */
  history: CheckpointRecord[];
  latestCompletedId?: number;
  latestSavepointId?: number;
  latestFailedId?: number;
  latestCompleted?: CheckpointRecord;
  latestSavepoint?: CheckpointRecord;
  latestFailed?: CheckpointRecord;
  restored?: { id: number; restoreTimestamp: number; isSavepoint: boolean; externalPath: string };
  /** Recent values for the summary percentiles. */
  recent: { stateSize: number[]; checkpointedSize: number[]; duration: number[] };
  inProgressId?: number;
  /** When the coordinator triggers next (it runs lazily: see checkpoints.ts); unset while stopped. */
  nextTriggerAt?: number;
  /** The scheduled trigger event of engines before `nextTriggerAt`, still honoured when loaded. */
  triggerEventId?: string;
}

/**
 * Flink options the job applied from the application's runtime properties (the property group
 * `FlinkApplicationProperties`, see job-options.ts), fixed for the job's life: a change takes effect at the
 * next deploy. Absent when the job runs with Flink's defaults.
 */
export interface JobOptions {
  /** `execution.checkpointing.unaligned`: barriers overtake in-flight buffers (savepoints stay aligned). */
  unalignedCheckpoints?: boolean;
  /** `taskmanager.network.memory.buffer-debloat.enabled`: in-flight buffers shrink to about 1 s of data. */
  bufferDebloat?: boolean;
}

export interface JobState {
  jid: string;
  name: string;
  manifest: Manifest;
  options?: JobOptions;
  status: JobStatus;
  startTime: number;
  endTime: number;
  statusTimestamps: Partial<Record<JobStatus, number>>;
  vertices: VertexState[];
  /** Flink's numRestarts / AWS fullRestarts for this run of the application. */
  numRestarts: number;
  /** Since when the job has been processing without interruption (all subtasks RUNNING). */
  processingSince?: number;
  /** Start of the current outage (job not processing), for the downtime metric. */
  outageSince?: number;
  totalDowntimeMs: number;
  /** Operator uid → bytes of state restored at the start of this run. */
  restoredState: Record<string, number>;
  restoredFrom?: string;
  exceptions: ExceptionEntry[];
  checkpoints: CheckpointCoordinatorState;
  /** Scheduled events of the current attempt (subtask inits, faults); cancelled on failover. */
  attemptEvents: string[];
  restartEventId?: string;
  /** Subtasks not yet RUNNING in the current attempt. */
  pendingSubtasks: number;
  /** Subtasks still initializing, as flat [time, vertex, subtask] triples in time order, and how far done. */
  initQueue?: number[];
  initCursor?: number;
  /** How far the sources are behind the head of their streams (millisBehindLatest). */
  lagMs: number;
}

/** Log entries are compact; names come from the log's job table when the log is read. */
export type LogEntry =
  | {
      t: number;
      k: 'subtask';
      j: string;
      v: number;
      i: number;
      a: number;
      from: ExecutionState;
      to: ExecutionState;
      cause?: string;
    }
  | { t: number; k: 'job'; j: string; from: JobStatus; to: JobStatus }
  | { t: number; k: 'info'; text: string };

export interface LoggedJob {
  name: string;
  vertices: { id: string; name: string; parallelism: number }[];
}

export interface ClusterState {
  appKey: string;
  clusterId: string;
  createdAt: number;
  parallelism: number;
  parallelismPerKpu: number;
  taskManagers: TaskManagerState[];
  job?: JobState;
  /** Jobs that ended on this cluster (for /jobs/overview after a stop-with-savepoint). */
  finishedJobs: { jid: string; name: string; status: JobStatus; startTime: number; endTime: number }[];
  rng: RandomState;
  /** Key protecting state, as of this cluster's start; checkpoints fail while it is unusable. */
  keyArn?: string;
}
