/**
 * The checkpoint coordinator: a trigger every CheckpointInterval, with MinPauseBetweenCheckpoints between
 * the end of one checkpoint and the start of the next. Durations come from state size and backpressure
 * (barriers queue behind backpressured buffers, so alignment grows and checkpoints can expire).
 */
import type { CheckpointRecord, ClusterState, JobState } from './cluster-state.js';
import { computeFlow } from './flow.js';
import { FLINK_EVENT, operatorState, type FlinkEventPayload, type FlinkRuntime } from './flink-runtime.js';

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
  // Not all tasks running (initializing or restarting): Flink declines before triggering and tries again.
  if (job.status !== 'RUNNING' || job.pendingSubtasks > 0 || cp.inProgressId !== undefined) {
    scheduleTrigger(rt, cluster, job, now + cp.interval);
    return;
  }
  const flow = computeFlow(job);
  const state = operatorState(job, now);
  const numSubtasks = job.vertices.reduce((n, v) => n + v.parallelism, 0);
  const first = cp.latestCompletedId === undefined;
  const perVertex: CheckpointRecord['perVertex'] = {};
  let stateSize = 0;
  let checkpointedSize = 0;
  const delta = rt.random(cluster, (r) => r.jitter(0.08, 0.5));
  for (const v of job.vertices) {
    const bytes = v.operators.reduce((s, o) => s + (state[o.uid] ?? 0), 0);
    // RocksDB incremental checkpoints upload only changed SST files after the first one.
    const uploaded = Math.round(first ? bytes : bytes * delta) + 2048 * v.parallelism;
    perVertex[v.id] = { stateSize: bytes, checkpointedSize: uploaded };
    stateSize += bytes;
    checkpointedSize += uploaded;
  }
  const backpressure = Math.max(0, ...[...flow.vertices.values()].map((f) => f.backpressured));
  const timing = rt.random(cluster, (r) => ({
    startDelayMs: Math.round(backpressure > 0.1 ? r.jitter(backpressure * 20_000, 0.5) : r.int(1, 40)),
    alignmentDurationMs: Math.round(
      backpressure > 0.1 ? r.jitter(backpressure * backpressure * 1_500_000, 0.5) : r.int(0, 25),
    ),
    syncDurationMs: r.int(3, 40),
    asyncDurationMs: Math.round(r.jitter(150 + (checkpointedSize / MB) * 12, 0.3)),
  }));
  const duration = timing.startDelayMs + timing.alignmentDurationMs + timing.syncDurationMs + timing.asyncDurationMs;
  const keyProblem = rt.hooks.keyProblem(cluster.keyArn);
  const id = cp.nextId++;
  const record: CheckpointRecord = {
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
  };
  cp.history.push(record);
  if (cp.history.length > HISTORY) cp.history.shift();
  cp.counts.total++;
  cp.counts.in_progress++;
  cp.inProgressId = id;
  // An unusable key fails the upload; an over-long alignment expires the checkpoint at its timeout.
  const endsAt = keyProblem ? now + timing.asyncDurationMs : now + Math.min(duration, cp.timeout);
  cp.completeEventId = rt.env.scheduler.schedule(endsAt, FLINK_EVENT.checkpointComplete, {
    appKey: cluster.appKey,
    jid: job.jid,
    checkpointId: id,
  } satisfies FlinkEventPayload).id;
}

export function completeCheckpoint(rt: FlinkRuntime, cluster: ClusterState, job: JobState, id: number): void {
  const cp = job.checkpoints;
  cp.completeEventId = undefined;
  const record = cp.history.find((c) => c.id === id);
  if (!record || record.status !== 'IN_PROGRESS') return;
  const now = rt.now();
  const keyProblem = rt.hooks.keyProblem(cluster.keyArn);
  const planned = record.startDelayMs + record.alignmentDurationMs + record.syncDurationMs + record.asyncDurationMs;
  if (keyProblem)
    fail(
      rt,
      cluster,
      job,
      record,
      `java.io.IOException: Could not flush to file and close the file system output stream: ${keyProblem}`,
    );
  else if (planned > cp.timeout) fail(rt, cluster, job, record, 'Checkpoint expired before completing.');
  else {
    record.status = 'COMPLETED';
    record.latestAckTimestamp = now;
    record.endToEndDuration = now - record.triggerTimestamp;
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
  cp.inProgressId = undefined;
  // The next trigger keeps the interval after the last trigger and the min pause after this end.
  scheduleTrigger(rt, cluster, job, Math.max(record.triggerTimestamp + cp.interval, now + cp.minPause, now + 1));
}

export function abortInProgressCheckpoint(rt: FlinkRuntime, cluster: ClusterState, job: JobState, why: string): void {
  const cp = job.checkpoints;
  const record = cp.history.find((c) => c.id === cp.inProgressId);
  if (record && record.status === 'IN_PROGRESS') fail(rt, cluster, job, record, why);
  cp.inProgressId = undefined;
}

function fail(rt: FlinkRuntime, _cluster: ClusterState, job: JobState, record: CheckpointRecord, message: string) {
  const cp = job.checkpoints;
  const now = rt.now();
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

function pushRecent(list: number[], value: number): void {
  list.push(value);
  if (list.length > RECENT) list.shift();
}
