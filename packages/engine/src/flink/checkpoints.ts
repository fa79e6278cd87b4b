/**
 * The checkpoint coordinator: a trigger every CheckpointInterval, with MinPauseBetweenCheckpoints between
 * the end of one checkpoint and the start of the next. Durations come from state size and backpressure
 * (barriers queue behind backpressured buffers, so alignment grows and checkpoints can expire).
 *
 * Two Flink options the job may take from its runtime properties (see job-options.ts) change that, as
 * Flink's documentation on checkpointing under backpressure describes:
 * - buffer debloating keeps about a second of data in flight instead of full buffers, so barriers wait
 *   behind far less: start delay, alignment and the data processed during alignment shrink to
 *   DEBLOAT_FACTOR of their aligned values (throughput is unchanged);
 * - unaligned checkpoints let barriers overtake the in-flight buffers: the start delay is the time to reach
 *   the front of the queue, there is next to no alignment, and the in-flight data is persisted with the
 *   checkpoint instead (`persistedData`, part of the checkpointed size). Savepoints stay aligned.
 * Without backpressure barriers do not queue, and neither option changes the durations.
 *
 * A checkpoint's end and outcome are decided when it is triggered; it is settled (COMPLETED or FAILED at
 * its planned end) by whoever looks next: the next trigger, a metrics sample, a failover, a reader.
 *
 * Triggers are not scheduler events: each job keeps the time of its next trigger (`nextTriggerAt`), and
 * triggers run, each at its own time and in order, when the job is next looked at or changed (see
 * `catchUpCheckpoints`): before any event or call that changes the job, before a metrics sample, at the
 * end of every `Engine.advanceTo`, and before a key changes state in the middle of an advance. A trigger
 * depends only on its job (state, random source), its cluster and the state of the key protecting it,
 * so running it later gives what running it on time would have given. A thousand applications
 * checkpointing every minute then cost no scheduler traffic (an event object, an id, a payload, a queue
 * insertion and removal, a table row per checkpoint) and one visit of each job per simulated minute.
 */
import type { CheckpointRecord, ClusterState, JobState } from './cluster-state.js';
import { Random } from '../util/random.js';
import { jitter, noise } from '../telemetry/noise.js';
import type { FlinkRuntime } from './flink-runtime.js';
import { jobStatics, processingMs, stateGrowth, vertexParallelism, vertexStateBytes } from './job-statics.js';

const HISTORY = 10;
const RECENT = 100;
const MB = 1024 * 1024;

/** Backpressured ratio above which barriers queue behind in-flight buffers (Flink's 'low' level). */
const CONGESTED = 0.1;
/** What buffer debloating leaves of the in-flight data, hence of start delay and alignment, under backpressure. */
export const DEBLOAT_FACTOR = 0.15;
/** Aligned start delay per unit of backpressured ratio, and alignment per unit of its square. */
const START_DELAY_PER_BACKPRESSURE_MS = 20_000;
const ALIGNMENT_PER_BACKPRESSURE2_MS = 1_500_000;
/** Unaligned: the barrier waits for the record in hand and one network hop, not for the queue. */
const UNALIGNED_START_DELAY_MS = 20;
const UNALIGNED_ALIGNMENT_MS = 2;

/** Flink starts the periodic scheduler with a random delay between the min pause and the interval. */
export function scheduleFirstCheckpoint(rt: FlinkRuntime, cluster: ClusterState, job: JobState): void {
  const cp = job.checkpoints;
  if (!cp.enabled || cp.nextTriggerAt !== undefined || cp.triggerEventId) return;
  const delay = rt.random(cluster, (r) => r.int(Math.min(cp.minPause, cp.interval), cp.interval));
  cp.nextTriggerAt = rt.now() + Math.max(1, delay);
}

/**
 * Runs the job's checkpoint triggers due before `until` (and at `until` when `inclusive`), in time order,
 * each at its own time. Returns how many ran.
 */
export function catchUpCheckpoints(
  rt: FlinkRuntime,
  cluster: ClusterState,
  job: JobState,
  until: number,
  inclusive: boolean,
): number {
  const cp = job.checkpoints;
  let n = 0;
  for (let at = cp.nextTriggerAt; at !== undefined && (at < until || (inclusive && at === until));) {
    cp.nextTriggerAt = undefined;
    runCheckpointTrigger(rt, cluster, job, at);
    n++;
    at = cp.nextTriggerAt;
  }
  return n;
}

/** One trigger at `now`: settles the previous checkpoint, starts the next one and sets the next trigger. */
export function runCheckpointTrigger(rt: FlinkRuntime, cluster: ClusterState, job: JobState, now = rt.now()): void {
  const cp = job.checkpoints;
  // Set by engines before triggers were kept on the job; the stored event that carried it has fired.
  cp.triggerEventId = undefined;
  settleCheckpoints(rt, cluster, job, now);
  // Not all tasks running (initializing or restarting): Flink declines before triggering and tries again.
  if (job.status !== 'RUNNING' || job.pendingSubtasks > 0 || cp.inProgressId !== undefined) {
    cp.nextTriggerAt = now + Math.max(1, cp.interval);
    return;
  }
  const statics = jobStatics(job);
  const growth = stateGrowth(job, now);
  const uptime = processingMs(job, now);
  const first = cp.latestCompletedId === undefined;
  // The record that falls out of the history is reused when nothing else refers to it: a thousand
  // applications checkpointing every minute would otherwise keep the old generation busy. Its per-vertex
  // entries are reused too: every record of a job has an entry for each of the job's vertices (which never
  // change), so a steady checkpoint allocates nothing that outlives the young generation but its path.
  const oldest = cp.history.length >= HISTORY ? cp.history[0] : undefined;
  const recycled =
    oldest !== undefined && oldest !== cp.latestCompleted && oldest !== cp.latestFailed && oldest !== cp.latestSavepoint
      ? oldest
      : undefined;
  const ids = statics.vertexIds;
  const perVertex: CheckpointRecord['perVertex'] = recycled ? recycled.perVertex : {};
  let stateSize = 0;
  let checkpointedSize = 0;
  const r = Random.over(cluster.rng);
  const delta = r.jitter(0.08, 0.5);
  for (let i = 0; i < ids.length; i++) {
    const bytes = vertexStateBytes(statics, i, growth, uptime);
    // RocksDB incremental checkpoints upload only changed SST files after the first one.
    const uploaded = Math.round(first ? bytes : bytes * delta) + 2048 * vertexParallelism(statics, i);
    const entry = perVertex[ids[i]!];
    if (entry) {
      entry.stateSize = bytes;
      entry.checkpointedSize = uploaded;
    } else perVertex[ids[i]!] = { stateSize: bytes, checkpointedSize: uploaded };
    stateSize += bytes;
    checkpointedSize += uploaded;
  }
  const numSubtasks = statics.totalSubtasks;
  const backpressure = statics.maxBackpressured;
  const congested = backpressure > CONGESTED;
  const unaligned = job.options?.unalignedCheckpoints === true;
  const debloat = job.options?.bufferDebloat === true;
  // Drawn in this order (the random sequence is part of the deterministic history); the options only
  // transform the draws, so a job draws exactly the same numbers with them as without them.
  const delayMean = backpressure * START_DELAY_PER_BACKPRESSURE_MS;
  const alignMean = backpressure * backpressure * ALIGNMENT_PER_BACKPRESSURE2_MS;
  const delayDraw = congested ? r.jitter(delayMean, 0.5) : r.int(1, 40);
  const alignDraw = congested ? r.jitter(alignMean, 0.5) : r.int(0, 25);
  const syncDurationMs = r.int(3, 40);
  let startDelayMs = Math.round(delayDraw);
  let alignmentDurationMs = Math.round(alignDraw);
  // Share of the aligned alignment left: the data processed during alignment shrinks with it.
  let alignmentLeft = 1;
  if (congested && unaligned) {
    startDelayMs = Math.round(UNALIGNED_START_DELAY_MS * (delayDraw / delayMean));
    alignmentDurationMs = Math.round(UNALIGNED_ALIGNMENT_MS * (alignDraw / alignMean));
    alignmentLeft = alignDraw > 0 ? alignmentDurationMs / alignDraw : 0;
  } else if (congested && debloat) {
    startDelayMs = Math.round(delayDraw * DEBLOAT_FACTOR);
    alignmentDurationMs = Math.round(alignDraw * DEBLOAT_FACTOR);
    alignmentLeft = DEBLOAT_FACTOR;
  }
  // Unaligned: the in-flight buffers are persisted with the checkpoint (uploaded with the state). Their
  // noise is a hash, not a draw: a job draws the same numbers with the option as without it.
  let persistedData = 0;
  if (unaligned) {
    const fill = jitter(noise(`${job.jid}:${cp.nextId}:in-flight`), 1, 0.2);
    const inFlight = statics.inFlightTotal * (debloat ? DEBLOAT_FACTOR : 1) * fill;
    for (let i = 0; i < ids.length; i++) {
      const share = statics.inFlightTotal > 0 ? statics.inFlightBytes[i]! / statics.inFlightTotal : 0;
      const bytes = Math.round(inFlight * share);
      perVertex[ids[i]!]!.checkpointedSize += bytes;
      persistedData += bytes;
    }
    checkpointedSize += persistedData;
  }
  const asyncDurationMs = Math.round(r.jitter(150 + (checkpointedSize / MB) * 12, 0.3));
  const duration = startDelayMs + alignmentDurationMs + syncDurationMs + asyncDurationMs;
  const keyProblem = rt.hooks.keyProblem(cluster.keyArn);
  const id = cp.nextId++;
  // An unusable key fails the upload; an over-long alignment expires the checkpoint at its timeout.
  const plannedEnd = keyProblem ? now + asyncDurationMs : now + Math.min(duration, cp.timeout);
  const plannedFailure = keyProblem
    ? `java.io.IOException: Could not flush to file and close the file system output stream: ${keyProblem}`
    : duration > cp.timeout
      ? 'Checkpoint expired before completing.'
      : undefined;
  const processedData = Math.round(backpressure * 4 * MB * alignmentLeft);
  const type = unaligned ? 'UNALIGNED_CHECKPOINT' : 'CHECKPOINT';
  let record: CheckpointRecord;
  if (recycled) {
    // Field by field rather than Object.assign of a fresh object: same keys, same order, no garbage.
    record = clear(recycled);
    record.id = id;
    record.status = 'IN_PROGRESS';
    record.type = type;
    record.triggerTimestamp = now;
    record.latestAckTimestamp = now;
    record.endToEndDuration = 0;
    record.stateSize = stateSize;
    record.checkpointedSize = checkpointedSize;
    record.alignmentBuffered = 0;
    record.processedData = processedData;
    record.persistedData = persistedData;
    record.startDelayMs = startDelayMs;
    record.alignmentDurationMs = alignmentDurationMs;
    record.syncDurationMs = syncDurationMs;
    record.asyncDurationMs = asyncDurationMs;
    record.numSubtasks = numSubtasks;
    record.numAcknowledgedSubtasks = 0;
    record.perVertex = perVertex;
    record.plannedEnd = plannedEnd;
    if (plannedFailure !== undefined) record.plannedFailure = plannedFailure;
    cp.history.shift();
  } else {
    record = {
      id,
      status: 'IN_PROGRESS',
      type,
      triggerTimestamp: now,
      latestAckTimestamp: now,
      endToEndDuration: 0,
      stateSize,
      checkpointedSize,
      alignmentBuffered: 0,
      processedData,
      persistedData,
      startDelayMs,
      alignmentDurationMs,
      syncDurationMs,
      asyncDurationMs,
      numSubtasks,
      numAcknowledgedSubtasks: 0,
      perVertex,
      plannedEnd,
    };
    if (plannedFailure !== undefined) record.plannedFailure = plannedFailure;
  }
  cp.history.push(record);
  if (cp.history.length > HISTORY) cp.history.shift();
  cp.counts.total++;
  cp.counts.in_progress++;
  cp.inProgressId = id;
  // The next trigger keeps the interval after this trigger and the min pause after this one's end.
  cp.nextTriggerAt = Math.max(now + cp.interval, plannedEnd + cp.minPause, now + 1);
}

/** The checkpoint in progress, searched newest first (it is almost always the last one). */
function inProgressRecord(cp: JobState['checkpoints']): CheckpointRecord | undefined {
  const h = cp.history;
  for (let i = h.length - 1; i >= 0; i--) if (h[i]!.id === cp.inProgressId) return h[i];
  return undefined;
}

/** Settles the checkpoint in progress if its planned end has passed. */
export function settleCheckpoints(rt: FlinkRuntime, cluster: ClusterState, job: JobState, now: number): void {
  const cp = job.checkpoints;
  if (cp.inProgressId === undefined) return;
  const record = inProgressRecord(cp);
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
    record.externalPath = checkpointPathPrefix(cluster, job) + record.id;
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

/** `s3://managed-flink-state/<cluster>/<job>/chk-`, built once per job rather than for every checkpoint. */
function checkpointPathPrefix(cluster: ClusterState, job: JobState): string {
  const st = jobStatics(job);
  if (st.pathPrefix === undefined || st.pathClusterId !== cluster.clusterId) {
    st.pathPrefix = `s3://managed-flink-state/${cluster.clusterId}/${job.jid}/chk-`;
    st.pathClusterId = cluster.clusterId;
  }
  return st.pathPrefix;
}

/** A failure or a stop aborts the checkpoint in progress, unless it had already ended. */
export function abortInProgressCheckpoint(rt: FlinkRuntime, cluster: ClusterState, job: JobState, why: string): void {
  const cp = job.checkpoints;
  settleCheckpoints(rt, cluster, job, rt.now());
  const record = inProgressRecord(cp);
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
  // Shift before pushing: V8 shifts an array of at most 100 elements in place with a fast copy, while a
  // longer one goes to the runtime, which trims the array's start and soon reallocates it on the push.
  if (list.length >= RECENT) list.shift();
  list.push(value);
}
