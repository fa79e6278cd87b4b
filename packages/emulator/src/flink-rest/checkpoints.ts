/**
 * Checkpoint statistics from the engine's coordinator: counts, summary, latest and history (newest first)
 * with snake_case keys and `className` discriminators; details per vertex and per subtask, where the
 * vertex totals are spread over the subtasks deterministically (a read never draws randomness).
 *
 * Per vertex: sources have no inputs, so no alignment and only the trigger's own start delay; the data
 * processed during alignment and the in-flight data an unaligned checkpoint persists belong to the vertices
 * with inputs, in proportion to the network buffers in front of them. `alignment_buffered` is deprecated in
 * Flink and always 0.
 */
import { isSavepointType, jobStatics, noise, type CheckpointRecord, type JobState } from '@mfc/engine';
import { requireJob, type RestContext } from './context.js';
import { notFound } from './errors.js';
import { statsSummary, type StatsSummary } from './stats.js';

// ---- wire types ------------------------------------------------------------------------------------

type CheckpointStatus = CheckpointRecord['status'];

export interface TaskCheckpointStats {
  id: number;
  status: CheckpointStatus;
  latest_ack_timestamp: number;
  checkpointed_size: number;
  state_size: number;
  end_to_end_duration: number;
  alignment_buffered: number;
  processed_data: number;
  persisted_data: number;
  num_subtasks: number;
  num_acknowledged_subtasks: number;
}

interface CheckpointStatsBase {
  id: number;
  status: CheckpointStatus;
  is_savepoint: boolean;
  savepointFormat?: 'CANONICAL';
  trigger_timestamp: number;
  latest_ack_timestamp: number;
  checkpointed_size: number;
  state_size: number;
  end_to_end_duration: number;
  alignment_buffered: number;
  processed_data: number;
  persisted_data: number;
  num_subtasks: number;
  num_acknowledged_subtasks: number;
  checkpoint_type: CheckpointRecord['type'];
  tasks: Record<string, TaskCheckpointStats>;
}

export type CheckpointStats =
  | (CheckpointStatsBase & { className: 'completed'; external_path: string; discarded: boolean })
  | (CheckpointStatsBase & { className: 'failed'; failure_timestamp: number; failure_message: string })
  | (CheckpointStatsBase & { className: 'in_progress' });

export interface RestoredCheckpoint {
  id: number;
  restore_timestamp: number;
  is_savepoint: boolean;
  external_path: string;
}

export interface CheckpointingStatistics {
  counts: { restored: number; total: number; in_progress: number; completed: number; failed: number };
  summary: Record<
    | 'checkpointed_size'
    | 'state_size'
    | 'end_to_end_duration'
    | 'alignment_buffered'
    | 'processed_data'
    | 'persisted_data',
    StatsSummary
  >;
  /** Absent members: no such checkpoint yet (the dashboard treats absent and null alike). */
  latest: {
    completed?: CheckpointStats;
    savepoint?: CheckpointStats;
    failed?: CheckpointStats;
    restored?: RestoredCheckpoint;
  };
  history: CheckpointStats[];
}

export interface CheckpointConfig {
  mode: 'exactly_once' | 'at_least_once';
  interval: number;
  timeout: number;
  min_pause: number;
  max_concurrent: number;
  externalization: { enabled: boolean; delete_on_cancellation: boolean };
  state_backend: string;
  checkpoint_storage: string;
  unaligned_checkpoints: boolean;
  tolerable_failed_checkpoints: number;
  aligned_checkpoint_timeout: number;
  checkpoints_after_tasks_finish: boolean;
  state_changelog_enabled: boolean;
  changelog_storage: string;
  changelog_periodic_materialization_interval: number;
}

interface Alignment {
  buffered: number;
  processed: number;
  persisted: number;
  duration: number;
}

export type SubtaskCheckpointStats =
  | {
      index: number;
      status: 'completed';
      className: 'completed';
      ack_timestamp: number;
      end_to_end_duration: number;
      state_size: number;
      checkpointed_size: number;
      checkpoint: { sync: number; async: number };
      alignment: Alignment;
      start_delay: number;
      unaligned_checkpoint: boolean;
      aborted: boolean;
    }
  | { index: number; status: 'pending_or_failed'; className: 'pending' };

export interface TaskCheckpointDetails extends TaskCheckpointStats {
  summary: {
    checkpointed_size: StatsSummary;
    state_size: StatsSummary;
    end_to_end_duration: StatsSummary;
    checkpoint_duration: { sync: StatsSummary; async: StatsSummary };
    alignment: Record<keyof Alignment, StatsSummary>;
    start_delay: StatsSummary;
  };
  subtasks: SubtaskCheckpointStats[];
}

// ---- the per-subtask model -------------------------------------------------------------------------

interface SubtaskAck {
  index: number;
  acked: boolean;
  ackTimestamp: number;
  stateSize: number;
  checkpointedSize: number;
  processed: number;
  persisted: number;
  sync: number;
  async: number;
  alignment: number;
  startDelay: number;
}

/** End of the checkpoint so far: its last ack, its failure, or now while in progress. */
function horizon(cp: CheckpointRecord, now: number): number {
  if (cp.status === 'COMPLETED') return cp.latestAckTimestamp;
  if (cp.status === 'FAILED') return cp.failureTimestamp ?? cp.latestAckTimestamp;
  return now;
}

/** Acknowledged subtasks so far: barriers reach sources first, so acks go in job-graph order. */
function acknowledged(cp: CheckpointRecord, now: number): number {
  if (cp.status !== 'IN_PROGRESS') return cp.numAcknowledgedSubtasks;
  const planned = cp.startDelayMs + cp.alignmentDurationMs + cp.syncDurationMs + cp.asyncDurationMs;
  const done = planned > 0 ? (now - cp.triggerTimestamp) / planned : 1;
  return Math.min(cp.numSubtasks - 1, Math.max(0, Math.floor(cp.numSubtasks * done)));
}

/** Each subtask's share of its vertex's checkpoint, stable for a given checkpoint. */
function subtaskAcks(job: JobState, cp: CheckpointRecord, vertexIndex: number, now: number): SubtaskAck[] {
  const vertex = job.vertices[vertexIndex]!;
  const before = job.vertices.slice(0, vertexIndex).reduce((n, v) => n + v.parallelism, 0);
  const acks = acknowledged(cp, now);
  const end = horizon(cp, now);
  const key = (i: number, what: string) => `${job.jid}:${cp.id}:${vertex.id}:${i}:${what}`;
  const weights = vertex.subtasks.map((_, i) => 0.85 + 0.3 * noise(key(i, 'w')));
  const total = weights.reduce((a, b) => a + b, 0);
  const pv = cp.perVertex[vertex.id] ?? { stateSize: 0, checkpointedSize: 0 };
  const source = vertex.inputs.length === 0;
  // Alignment happens where channels meet: at the vertices with inputs, by the buffers in front of them.
  const statics = jobStatics(job);
  const inFlightShare =
    statics.inFlightTotal > 0
      ? (statics.inFlightBytes[vertexIndex] ?? 0) / statics.inFlightTotal
      : source
        ? 0
        : 1 / Math.max(1, job.vertices.filter((v) => v.inputs.length > 0).length);
  const span = Math.max(0, end - cp.triggerTimestamp);
  return vertex.subtasks.map((_, i) => {
    const share = weights[i]! / total;
    // The last acknowledgement of a completed checkpoint is its latest_ack_timestamp.
    const f =
      cp.status === 'COMPLETED' && i === 0 && vertexIndex === job.vertices.length - 1
        ? 1
        : 0.7 + 0.3 * noise(key(i, 'ack'));
    const sync = Math.round(cp.syncDurationMs * (0.8 + 0.2 * noise(key(i, 'sync'))));
    const async = Math.round(cp.asyncDurationMs * (0.8 + 0.2 * noise(key(i, 'async'))));
    const delay = Math.round(cp.startDelayMs * (0.8 + 0.2 * noise(key(i, 'delay'))));
    // A source starts its snapshot on the trigger's RPC; barriers queue only in front of inputs.
    let startDelay = source ? Math.min(delay, 1 + Math.round(9 * noise(key(i, 'delay')))) : delay;
    let alignment = source ? 0 : Math.round(cp.alignmentDurationMs * (0.8 + 0.2 * noise(key(i, 'align'))));
    // A subtask's phases fit in the time the checkpoint has run (an expired one was cut short while
    // aligning); it acknowledges after them.
    const over = startDelay + alignment + sync + async - span;
    if (over > 0) {
      const cut = Math.min(alignment, over);
      alignment -= cut;
      startDelay = Math.max(0, startDelay - (over - cut));
    }
    const own = startDelay + alignment + sync + async;
    return {
      index: i,
      acked: before + i < acks,
      ackTimestamp: cp.triggerTimestamp + Math.min(span, Math.max(own, Math.round(span * f))),
      stateSize: Math.round(pv.stateSize * share),
      checkpointedSize: Math.round(pv.checkpointedSize * share),
      processed: Math.round(cp.processedData * inFlightShare * share),
      persisted: Math.round(cp.persistedData * inFlightShare * share),
      sync,
      async,
      alignment,
      startDelay,
    };
  });
}

function taskStatsOf(job: JobState, cp: CheckpointRecord, vertexIndex: number, now: number): TaskCheckpointStats {
  const acks = subtaskAcks(job, cp, vertexIndex, now);
  const done = acks.filter((a) => a.acked);
  const latestAck = done.length > 0 ? Math.max(...done.map((a) => a.ackTimestamp)) : -1;
  const sum = (f: (a: SubtaskAck) => number) => done.reduce((n, a) => n + f(a), 0);
  return {
    id: cp.id,
    status: cp.status,
    latest_ack_timestamp: latestAck,
    checkpointed_size: sum((a) => a.checkpointedSize),
    state_size: sum((a) => a.stateSize),
    end_to_end_duration: latestAck >= 0 ? latestAck - cp.triggerTimestamp : -1,
    alignment_buffered: 0,
    processed_data: sum((a) => a.processed),
    persisted_data: sum((a) => a.persisted),
    num_subtasks: acks.length,
    num_acknowledged_subtasks: done.length,
  };
}

// ---- statistics ------------------------------------------------------------------------------------

function checkpointStats(job: JobState, cp: CheckpointRecord, now: number, withTasks: boolean): CheckpointStats {
  const savepoint = isSavepointType(cp.type);
  const inProgress = cp.status === 'IN_PROGRESS';
  const base: CheckpointStatsBase = {
    id: cp.id,
    status: cp.status,
    is_savepoint: savepoint,
    ...(savepoint ? { savepointFormat: 'CANONICAL' as const } : {}),
    trigger_timestamp: cp.triggerTimestamp,
    latest_ack_timestamp: inProgress ? cp.triggerTimestamp : cp.latestAckTimestamp,
    checkpointed_size: cp.checkpointedSize,
    state_size: cp.stateSize,
    end_to_end_duration: inProgress ? now - cp.triggerTimestamp : cp.endToEndDuration,
    alignment_buffered: cp.alignmentBuffered,
    processed_data: cp.processedData,
    persisted_data: cp.persistedData,
    num_subtasks: cp.numSubtasks,
    num_acknowledged_subtasks: acknowledged(cp, now),
    checkpoint_type: cp.type,
    // Flink fills the per-task map only on the details endpoint.
    tasks: withTasks ? Object.fromEntries(job.vertices.map((v, vi) => [v.id, taskStatsOf(job, cp, vi, now)])) : {},
  };
  if (cp.status === 'COMPLETED') {
    const retained = cp.id === job.checkpoints.latestCompletedId || savepoint;
    return {
      ...base,
      className: 'completed',
      external_path: cp.externalPath ?? '',
      // MSF retains one checkpoint: a newer one subsumes (discards) the older; savepoints stay.
      discarded: !retained,
    };
  }
  if (cp.status === 'FAILED')
    return {
      ...base,
      className: 'failed',
      failure_timestamp: cp.failureTimestamp ?? cp.latestAckTimestamp,
      failure_message: cp.failureMessage ?? '',
    };
  return { ...base, className: 'in_progress' };
}

function requireCheckpointing(ctx: RestContext) {
  const view = requireJob(ctx);
  if (!view.job.checkpoints.enabled) throw notFound('Checkpointing has not been enabled.');
  return view;
}

function findCheckpoint(job: JobState, raw: string | undefined): CheckpointRecord {
  const cp = job.checkpoints;
  const id = /^\d+$/.test(raw ?? '') ? Number(raw) : NaN;
  const found = [...cp.history, cp.latestCompleted, cp.latestSavepoint, cp.latestFailed].find((c) => c?.id === id);
  if (!found) throw notFound(`Could not find checkpointing statistics for checkpoint ${raw ?? ''}.`);
  return found;
}

// ---- handlers --------------------------------------------------------------------------------------

export function checkpointing(ctx: RestContext): CheckpointingStatistics {
  const { job, now } = requireCheckpointing(ctx);
  const cp = job.checkpoints;
  const completed = cp.history.filter((c) => c.status === 'COMPLETED');
  const latest: CheckpointingStatistics['latest'] = {};
  if (cp.latestCompleted) latest.completed = checkpointStats(job, cp.latestCompleted, now, false);
  if (cp.latestSavepoint) latest.savepoint = checkpointStats(job, cp.latestSavepoint, now, false);
  if (cp.latestFailed) latest.failed = checkpointStats(job, cp.latestFailed, now, false);
  if (cp.restored)
    latest.restored = {
      id: cp.restored.id,
      restore_timestamp: cp.restored.restoreTimestamp,
      is_savepoint: cp.restored.isSavepoint,
      external_path: cp.restored.externalPath,
    };
  return {
    counts: { ...cp.counts },
    summary: {
      checkpointed_size: statsSummary(cp.recent.checkpointedSize),
      state_size: statsSummary(cp.recent.stateSize),
      end_to_end_duration: statsSummary(cp.recent.duration),
      alignment_buffered: statsSummary(completed.map((c) => c.alignmentBuffered)),
      processed_data: statsSummary(completed.map((c) => c.processedData)),
      persisted_data: statsSummary(completed.map((c) => c.persistedData)),
    },
    latest,
    history: [...cp.history].reverse().map((c) => checkpointStats(job, c, now, false)),
  };
}

export function checkpointConfig(ctx: RestContext): CheckpointConfig {
  const { job } = requireCheckpointing(ctx);
  const cp = job.checkpoints;
  return {
    // Lowercase on the wire (the spec's enum is uppercase).
    mode: 'exactly_once',
    interval: cp.interval,
    timeout: cp.timeout,
    min_pause: cp.minPause,
    max_concurrent: 1,
    // MSF keeps externalized checkpoints when a job is cancelled.
    externalization: { enabled: true, delete_on_cancellation: false },
    state_backend: 'EmbeddedRocksDBStateBackend',
    checkpoint_storage: 'FileSystemCheckpointStorage',
    // From the job's runtime properties (FlinkApplicationProperties), as its main() applied them.
    unaligned_checkpoints: job.options?.unalignedCheckpoints === true,
    tolerable_failed_checkpoints: 0,
    aligned_checkpoint_timeout: 0,
    checkpoints_after_tasks_finish: true,
    state_changelog_enabled: false,
    changelog_storage: 'memory',
    changelog_periodic_materialization_interval: 600_000,
  };
}

export function checkpointDetails(ctx: RestContext): CheckpointStats {
  const { job, now } = requireCheckpointing(ctx);
  return checkpointStats(job, findCheckpoint(job, ctx.params.checkpointid), now, true);
}

export function checkpointSubtasks(ctx: RestContext): TaskCheckpointDetails {
  const { job, now } = requireCheckpointing(ctx);
  const cp = findCheckpoint(job, ctx.params.checkpointid);
  const vertexIndex = job.vertices.findIndex((v) => v.id === ctx.params.vertexid);
  if (vertexIndex < 0) throw notFound(`There is no checkpoint statistics for task ${ctx.params.vertexid ?? ''}.`);
  const acks = subtaskAcks(job, cp, vertexIndex, now);
  const done = acks.filter((a) => a.acked);
  const summary = (f: (a: SubtaskAck) => number) => statsSummary(done.map(f));
  return {
    ...taskStatsOf(job, cp, vertexIndex, now),
    summary: {
      checkpointed_size: summary((a) => a.checkpointedSize),
      state_size: summary((a) => a.stateSize),
      end_to_end_duration: summary((a) => a.ackTimestamp - cp.triggerTimestamp),
      checkpoint_duration: { sync: summary((a) => a.sync), async: summary((a) => a.async) },
      alignment: {
        buffered: summary(() => 0),
        processed: summary((a) => a.processed),
        persisted: summary((a) => a.persisted),
        duration: summary((a) => a.alignment),
      },
      start_delay: summary((a) => a.startDelay),
    },
    subtasks: acks.map((a): SubtaskCheckpointStats => {
      if (!a.acked) return { index: a.index, status: 'pending_or_failed', className: 'pending' };
      return {
        index: a.index,
        status: 'completed',
        className: 'completed',
        ack_timestamp: a.ackTimestamp,
        end_to_end_duration: a.ackTimestamp - cp.triggerTimestamp,
        state_size: a.stateSize,
        checkpointed_size: a.checkpointedSize,
        checkpoint: { sync: a.sync, async: a.async },
        alignment: { buffered: 0, processed: a.processed, persisted: a.persisted, duration: a.alignment },
        start_delay: a.startDelay,
        unaligned_checkpoint: cp.type === 'UNALIGNED_CHECKPOINT',
        aborted: false,
      };
    }),
  };
}
