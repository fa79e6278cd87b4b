/**
 * The checkpoint coordinator: a trigger every CheckpointInterval, with MinPauseBetweenCheckpoints between
 * the end of one checkpoint and the start of the next. Durations come from state size and backpressure
 * (barriers queue behind backpressured buffers, so alignment grows and checkpoints can expire).
 *
 * A checkpoint's end and outcome are decided when it is triggered; it is settled (COMPLETED or FAILED at
 * its planned end) by whoever looks next: the next trigger, a metrics sample, a failover, a reader. One
 * event per checkpoint instead of two keeps a thousand applications cheap to simulate.
 */
import type { CheckpointRecord, ClusterState, JobState } from './cluster-state.js';
import { Random } from '../util/random.js';
import { FLINK_EVENT, type FlinkEventPayload, type FlinkRuntime } from './flink-runtime.js';
import { jobStatics, stateGrowth, vertexStateBytes } from './job-statics.js';

const HISTORY = 10;
const RECENT = 100;
const MB = 1024 * 1024;

/** Flink starts the periodic scheduler with a random delay between the min pause and the interval. */
export function scheduleFirstCheckpoint(rt: FlinkRuntime, cluster: ClusterState, job: JobState): void {
  const cp = job.checkpoints;
  if (!cp.enabled || cp.triggerEventId) return;
  const delay = rt.random(cluster, (r) => r.int(Math.min(cp.minPause, cp.interval), cp.interval));
  scheduleTrigger(rt, cluster, job, rt.now() + Math.max(1, delay));
}

function scheduleTrigger(rt: FlinkRuntime, cluster: ClusterState, job: JobState, at: number): void {
  const scheduler = rt.env.scheduler;
  job.checkpoints.triggerEventId = scheduler.schedule(at, FLINK_EVENT.checkpointTrigger, {
    appKey: cluster.appKey,
    jid: job.jid,
  } satisfies FlinkEventPayload).id;
}

export function runCheckpointTrigger(rt: FlinkRuntime, cluster: ClusterState, job: JobState): void {
  const cp = job.checkpoints;
  cp.triggerEventId = undefined;
  const now = rt.now();
  settleCheckpoints(rt, cluster, job, now);
  // Not all tasks running (initializing or restarting): Flink declines before triggering and tries again.
  if (job.status !== 'RUNNING' || job.pendingSubtasks > 0 || cp.inProgressId !== undefined) {
    scheduleTrigger(rt, cluster, job, now + cp.interval);
    return;
  }
  const statics = jobStatics(job);
  const growth = stateGrowth(job, now);
  const first = cp.latestCompletedId === undefined;
  const perVertex: CheckpointRecord['perVertex'] = {};
  let stateSize = 0;
  let checkpointedSize = 0;
  const r = Random.over(cluster.rng);
  const delta = r.jitter(0.08, 0.5);
  for (let i = 0; i < statics.vertexIds.length; i++) {
    const bytes = vertexStateBytes(statics, i, growth);
    // RocksDB incremental checkpoints upload only changed SST files after the first one.
    const uploaded = Math.round(first ? bytes : bytes * delta) + 2048 * statics.parallelism[i]!;
    perVertex[statics.vertexIds[i]!] = { stateSize: bytes, checkpointedSize: uploaded };
    stateSize += bytes;
    checkpointedSize += uploaded;
  }
  const numSubtasks = statics.totalSubtasks;
  const backpressure = statics.maxBackpressured;
  const timing = {
    startDelayMs: Math.round(backpressure > 0.1 ? r.jitter(backpressure * 20_000, 0.5) : r.int(1, 40)),
    alignmentDurationMs: Math.round(
      backpressure > 0.1 ? r.jitter(backpressure * backpressure * 1_500_000, 0.5) : r.int(0, 25),
    ),
    syncDurationMs: r.int(3, 40),
    asyncDurationMs: Math.round(r.jitter(150 + (checkpointedSize / MB) * 12, 0.3)),
  };
  const duration = timing.startDelayMs + timing.alignmentDurationMs + timing.syncDurationMs + timing.asyncDurationMs;
  const keyProblem = rt.hooks.keyProblem(cluster.keyArn);
  const id = cp.nextId++;
  // An unusable key fails the upload; an over-long alignment expires the checkpoint at its timeout.
  const plannedEnd = keyProblem ? now + timing.asyncDurationMs : now + Math.min(duration, cp.timeout);
  // The record that falls out of the history is reused when nothing else refers to it: a thousand
  // applications checkpointing every minute would otherwise keep the old generation busy.
  const recycled =
    cp.history.length >= HISTORY && ![cp.latestCompleted, cp.latestFailed, cp.latestSavepoint].includes(cp.history[0])
      ? cp.history[0]
      : undefined;
  const fields: CheckpointRecord = {
    id,
    status: 'IN_PROGRESS',
    type: 'CHECKPOINT',
    triggerTimestamp: now,
    latestAckTimestamp: now,
    endToEndDuration: 0,
    stateSize,
    checkpointedSize,
    alignmentBuffered: 0,
    processedData: Math.round(backpressure * 4 * MB),
    persistedData: 0,
    ...timing,
    numSubtasks,
    numAcknowledgedSubtasks: 0,
    perVertex,
    plannedEnd,
    ...(keyProblem
      ? {
          plannedFailure: `java.io.IOException: Could not flush to file and close the file system output stream: ${keyProblem}`,
        }
      : duration > cp.timeout
        ? { plannedFailure: 'Checkpoint expired before completing.' }
        : {}),
  };
  const record = recycled ? Object.assign(clear(recycled), fields) : fields;
  cp.history.push(record);
  if (cp.history.length > HISTORY) cp.history.shift();
  cp.counts.total++;
  cp.counts.in_progress++;
  cp.inProgressId = id;
  // The next trigger keeps the interval after this trigger and the min pause after this one's end.
  scheduleTrigger(rt, cluster, job, Math.max(now + cp.interval, plannedEnd + cp.minPause, now + 1));
}

/** Settles the checkpoint in progress if its planned end has passed. */
export function settleCheckpoints(rt: FlinkRuntime, cluster: ClusterState, job: JobState, now: number): void {
  const cp = job.checkpoints;
  if (cp.inProgressId === undefined) return;
  const record = cp.history.find((c) => c.id === cp.inProgressId);
  if (!record || record.status !== 'IN_PROGRESS') {
    cp.inProgressId = undefined;
    return;
  }
  if (record.plannedEnd === undefined || now < record.plannedEnd) return;
  const end = record.plannedEnd;
  if (record.plannedFailure) fail(job, record, record.plannedFailure, end);
  else {
    record.status = 'COMPLETED';
    record.latestAckTimestamp = end;
    record.endToEndDuration = end - record.triggerTimestamp;
    record.numAcknowledgedSubtasks = record.numSubtasks;
    record.persistedData = record.checkpointedSize;
    record.externalPath = `s3://managed-flink-state/${cluster.clusterId}/${job.jid}/chk-${record.id}`;
    cp.counts.in_progress--;
    cp.counts.completed++;
    cp.latestCompletedId = record.id;
    cp.latestCompleted = record;
    pushRecent(cp.recent.stateSize, record.stateSize);
    pushRecent(cp.recent.checkpointedSize, record.checkpointedSize);
    pushRecent(cp.recent.duration, record.endToEndDuration);
  }
  record.plannedEnd = undefined;
  record.plannedFailure = undefined;
  cp.inProgressId = undefined;
  void rt;
}

/** A failure or a stop aborts the checkpoint in progress, unless it had already ended. */
export function abortInProgressCheckpoint(rt: FlinkRuntime, cluster: ClusterState, job: JobState, why: string): void {
  const cp = job.checkpoints;
  settleCheckpoints(rt, cluster, job, rt.now());
  const record = cp.history.find((c) => c.id === cp.inProgressId);
  if (record && record.status === 'IN_PROGRESS') {
    record.plannedEnd = undefined;
    record.plannedFailure = undefined;
    fail(job, record, why, rt.now());
  }
  cp.inProgressId = undefined;
}

function fail(job: JobState, record: CheckpointRecord, message: string, now: number) {
  const cp = job.checkpoints;
  record.status = 'FAILED';
  record.failureTimestamp = now;
  record.failureMessage = message;
  record.latestAckTimestamp = now;
  record.endToEndDuration = now - record.triggerTimestamp;
  record.numAcknowledgedSubtasks = Math.floor(record.numSubtasks / 2);
  cp.counts.in_progress--;
  cp.counts.failed++;
  cp.latestFailedId = record.id;
  cp.latestFailed = record;
}

/** Empties a record for reuse (its optional fields must not leak into the next checkpoint). */
function clear(r: CheckpointRecord): CheckpointRecord {
  r.failureTimestamp = undefined;
  r.failureMessage = undefined;
  r.externalPath = undefined;
  r.plannedEnd = undefined;
  r.plannedFailure = undefined;
  return r;
}

function pushRecent(list: number[], value: number): void {
  list.push(value);
  if (list.length > RECENT) list.shift();
}
