/**
 * The simulated Flink cluster behind each running application: TaskManagers sized by KPU, the job with
 * Flink's job and execution state machines, failover with a fixed-delay restart strategy, and the
 * checkpoint coordinator. Everything happens through scheduled events in virtual time.
 */
import type { EngineEnv } from '../engine-env.js';
import { Random, hex128 } from '../util/random.js';
import type { EventLogStore } from '../telemetry/event-log.js';
import {
  runCheckpointTrigger,
  abortInProgressCheckpoint,
  catchUpCheckpoints,
  scheduleFirstCheckpoint,
  settleCheckpoints,
} from './checkpoints.js';
import { buildJobGraph } from './job-graph.js';
import { forgetStatics, processingMs, stateGrowth } from './job-statics.js';
import { faultOf, type Manifest } from './manifest.js';
import {
  isSavepointType,
  type ClusterState,
  type ExecutionState,
  type JobOptions,
  type JobState,
  type JobStatus,
  type SubtaskState,
  type VertexState,
} from './cluster-state.js';

export const FLINK_EVENT = {
  subtaskInit: 'flink.subtaskInit',
  fault: 'flink.fault',
  cancelled: 'flink.cancelled',
  restart: 'flink.restart',
  /** Only in state stored by engines before checkpoint triggers were kept on the job (see checkpoints.ts). */
  checkpointTrigger: 'flink.checkpointTrigger',
} as const;

export interface FlinkEventPayload {
  appKey: string;
  jid: string;
  v?: number;
  i?: number;
  attempt?: number;
  checkpointId?: number;
}

export interface FlinkHooks {
  /** Why the key protecting state cannot be used right now, or undefined when it can. */
  keyProblem(keyArn: string | undefined): string | undefined;
  /** All subtasks of the job reached RUNNING: processing (re)started. */
  processingStarted(appKey: string, at: number): void;
}

export interface SubmitOptions {
  parallelism: number;
  /** State restored into the new job: operator uid → bytes, and where it came from. */
  restore?: { state: Record<string, number>; source: string; isSavepoint: boolean };
  checkpoint: { enabled: boolean; interval: number; minPause: number };
  /** Flink options the job applies from its runtime properties (see job-options.ts). */
  options?: JobOptions;
}

const MB = 1024 * 1024;
const MAX_EXCEPTIONS = 100;

export class FlinkRuntime {
  /** Checkpoint triggers run so far (they are not scheduler events; the engine counts them as events). */
  triggersRun = 0;

  constructor(
    readonly env: EngineEnv,
    readonly hooks: FlinkHooks,
    readonly logs: EventLogStore,
  ) {}

  cluster(appKey: string): ClusterState | undefined {
    return this.env.store.clusters.get(appKey);
  }

  touch(cluster: ClusterState): void {
    this.env.store.clusters.touch(cluster.appKey);
  }

  now(): number {
    return this.env.clock.now();
  }

  /** Runs `fn` with the cluster's own random source, which advances the stored state in place. */
  random<T>(cluster: ClusterState, fn: (r: Random) => T): T {
    return fn(Random.over(cluster.rng));
  }

  // ---- cluster ---------------------------------------------------------------------------------

  /** Provisions (or re-sizes) the cluster: one JobManager and one TaskManager per KPU. */
  provision(appKey: string, parallelism: number, parallelismPerKpu: number, keyArn: string | undefined): ClusterState {
    const existing = this.cluster(appKey);
    if (existing) this.catchUp(existing);
    const now = this.now();
    const cluster: ClusterState = existing ?? {
      appKey,
      clusterId: '',
      createdAt: now,
      parallelism,
      parallelismPerKpu,
      taskManagers: [],
      finishedJobs: [],
      rng: Random.fromSeed(`${this.env.store.meta.get('engine')?.seed ?? ''}:${appKey}:cluster`).state,
    };
    cluster.clusterId = this.random(cluster, (r) => r.hex(8));
    cluster.parallelism = parallelism;
    cluster.parallelismPerKpu = parallelismPerKpu;
    cluster.keyArn = keyArn;
    const kpus = Math.ceil(parallelism / parallelismPerKpu);
    cluster.taskManagers = Array.from({ length: kpus }, (_, n) => ({
      id: `${cluster.clusterId}-taskmanager-1-${n + 1}`,
      host: `10.0.${hash8(cluster.clusterId) % 200}.${10 + (n % 240)}`,
      dataPort: 6121,
      slots: parallelismPerKpu,
      registeredAt: now,
    }));
    if (!existing) this.env.store.clusters.set(appKey, cluster);
    else this.touch(cluster);
    return cluster;
  }

  /**
   * Brings checkpoint statistics up to now: the triggers due have run and a checkpoint whose planned end
   * passed is settled. Readers call it before they look at the coordinator.
   */
  settle(appKey: string): void {
    const cluster = this.cluster(appKey);
    if (cluster) this.settleCluster(cluster);
  }

  settleCluster(cluster: ClusterState): void {
    const job = cluster.job;
    if (!job) return;
    if (this.catchUp(cluster) > 0) this.touch(cluster);
    settleCheckpoints(this, cluster, job, this.now());
  }

  /**
   * Runs the checkpoint triggers of the cluster's job due before now: first thing whenever the job is
   * looked at or changed, so every trigger runs against the state the job had at its time. Returns how
   * many ran (the caller records the change of the cluster).
   */
  catchUp(cluster: ClusterState): number {
    const job = cluster.job;
    const at = job?.checkpoints.nextTriggerAt;
    if (at === undefined || at >= this.now()) return 0;
    const n = catchUpCheckpoints(this, cluster, job!, this.now(), false);
    this.triggersRun += n;
    return n;
  }

  /**
   * Runs every job's checkpoint triggers due before `t` (and at `t` when `inclusive`): at the end of an
   * advance (inclusive, so the stored state is complete at its time) and before something every job may
   * depend on changes (a key deleted by a scheduled event). Returns how many ran.
   */
  catchUpAll(t: number, inclusive: boolean): number {
    let n = 0;
    for (const cluster of this.env.store.clusters.values()) {
      const job = cluster.job;
      const at = job?.checkpoints.nextTriggerAt;
      if (at === undefined || at > t || (at === t && !inclusive)) continue;
      n += catchUpCheckpoints(this, cluster, job!, t, inclusive);
      this.touch(cluster);
    }
    this.triggersRun += n;
    return n;
  }

  teardown(appKey: string): void {
    const cluster = this.cluster(appKey);
    if (!cluster) return;
    this.catchUp(cluster);
    if (cluster.job) this.cancelJobEvents(cluster.job);
    this.env.store.clusters.delete(appKey);
  }

  // ---- job lifecycle ---------------------------------------------------------------------------

  /** The JobManager accepts the job graph: job INITIALIZING → CREATED, subtasks CREATED. */
  submit(appKey: string, manifest: Manifest, opts: SubmitOptions): JobState {
    const cluster = this.cluster(appKey)!;
    this.catchUp(cluster);
    if (cluster.job) this.retireJob(cluster);
    const now = this.now();
    const graph = buildJobGraph(manifest, opts.parallelism);
    const jid = this.random(cluster, (r) => r.hex(32));
    const tmCount = Math.max(1, cluster.taskManagers.length);
    const vertices: VertexState[] = graph.vertices.map((v) => ({
      ...v,
      subtasks: Array.from({ length: v.parallelism }, (_, i): SubtaskState => ({
        state: 'CREATED',
        attempt: 0,
        tm: Math.min(tmCount - 1, Math.floor(i / Math.max(1, cluster.parallelismPerKpu))),
        timestamps: { CREATED: now },
      })),
    }));
    const job: JobState = {
      jid,
      name: manifest.name,
      manifest,
      status: 'INITIALIZING',
      startTime: now,
      endTime: -1,
      statusTimestamps: { INITIALIZING: now },
      vertices,
      numRestarts: 0,
      totalDowntimeMs: 0,
      restoredState: opts.restore?.state ?? {},
      restoredFrom: opts.restore?.source,
      exceptions: [],
      checkpoints: {
        enabled: opts.checkpoint.enabled,
        interval: opts.checkpoint.interval,
        minPause: opts.checkpoint.minPause,
        timeout: 600_000,
        nextId: 1,
        counts: { restored: 0, total: 0, in_progress: 0, completed: 0, failed: 0 },
        history: [],
        recent: { stateSize: [], checkpointedSize: [], duration: [] },
      },
      attemptEvents: [],
      pendingSubtasks: vertices.reduce((n, v) => n + v.parallelism, 0),
      lagMs: 0,
    };
    if (opts.options) job.options = { ...opts.options };
    if (opts.restore) {
      job.checkpoints.counts.restored = 1;
      job.checkpoints.restored = {
        id: 0,
        restoreTimestamp: now,
        isSavepoint: opts.restore.isSavepoint,
        externalPath: opts.restore.source,
      };
    }
    cluster.job = job;
    this.logs.registerJob(appKey, jid, {
      name: job.name,
      vertices: vertices.map((v) => ({ id: v.id, name: v.name, parallelism: v.parallelism })),
    });
    this.logs.append(appKey, { t: now, k: 'info', text: `Submitting job ${job.name} (${jid}).` });
    this.setJobStatus(cluster, job, 'CREATED');
    this.touch(cluster);
    return job;
  }

  /**
   * Subtasks are scheduled and deployed; the job is RUNNING. Each subtask then restores its state
   * (INITIALIZING, longer for more state) before it runs.
   */
  deploy(appKey: string): void {
    const cluster = this.cluster(appKey)!;
    this.catchUp(cluster);
    const job = cluster.job!;
    this.setJobStatus(cluster, job, 'RUNNING');
    this.startAttempt(cluster, job);
    scheduleFirstCheckpoint(this, cluster, job);
    this.touch(cluster);
  }

  /** CREATED → SCHEDULED → DEPLOYING → INITIALIZING for every subtask, with its init completion scheduled. */
  private startAttempt(cluster: ClusterState, job: JobState): void {
    const { profile } = this.env;
    const now = this.now();
    job.pendingSubtasks = 0;
    job.processingSince = undefined;
    const r = Random.over(cluster.rng);
    const entries: { at: number; v: number; i: number }[] = [];
    job.vertices.forEach((v, vi) => {
      const restoredBytes = v.operators.reduce((sum, op) => sum + (job.restoredState[op.uid] ?? 0), 0);
      const mbPerSubtask = restoredBytes / MB / v.parallelism;
      const base = profile.initBaseMs + profile.initPerMbMs * mbPerSubtask;
      v.subtasks.forEach((_, i) => {
        for (const to of ['SCHEDULED', 'DEPLOYING', 'INITIALIZING'] as const) this.setSubtask(cluster, job, vi, i, to);
        // Quantized to 10 ms: subtasks that finish together share one scheduler event.
        entries.push({ at: now + Math.round(r.jitter(base, 0.25) / 10) * 10, v: vi, i });
        job.pendingSubtasks++;
      });
    });
    // One queue per attempt, driven by one event at a time: the scheduler holds one entry per job, not one
    // per subtask. A stable sort keeps subtasks that finish together in their natural order.
    entries.sort((a, b) => a.at - b.at);
    job.initQueue = entries.flatMap((e) => [e.at, e.v, e.i]);
    job.initCursor = 0;
    this.scheduleNextInit(cluster, job);
  }

  private scheduleNextInit(cluster: ClusterState, job: JobState): void {
    const q = job.initQueue;
    const c = job.initCursor ?? 0;
    if (!q || c * 3 >= q.length) return;
    job.attemptEvents.push(
      this.env.scheduler.schedule(q[c * 3]!, FLINK_EVENT.subtaskInit, {
        appKey: cluster.appKey,
        jid: job.jid,
      } satisfies FlinkEventPayload).id,
    );
  }

  /** Every subtask whose initialization is due finishes it (or fails), in order. */
  private runInitQueue(cluster: ClusterState, job: JobState): void {
    const q = job.initQueue;
    if (!q) return;
    const now = this.now();
    while (job.initQueue === q && (job.initCursor ?? 0) * 3 < q.length && q[(job.initCursor ?? 0) * 3]! <= now) {
      const c = job.initCursor ?? 0;
      job.initCursor = c + 1;
      const v = q[c * 3 + 1]!;
      const i = q[c * 3 + 2]!;
      this.subtaskInitialized(cluster, job, v, i, job.vertices[v]!.subtasks[i]!.attempt);
    }
    // A failover replaced or cleared the queue; otherwise wait for the next subtask.
    if (job.initQueue === q) {
      if ((job.initCursor ?? 0) * 3 >= q.length) job.initQueue = undefined;
      else this.scheduleNextInit(cluster, job);
    }
  }

  private setSubtask(cluster: ClusterState, job: JobState, v: number, i: number, to: ExecutionState, cause?: string) {
    const s = job.vertices[v]!.subtasks[i]!;
    const from = s.state;
    if (from === to) return;
    s.state = to;
    s.timestamps[to] = this.now();
    this.logs.appendSubtask(cluster.appKey, this.now(), job.jid, v, i, s.attempt, from, to, cause);
  }

  setJobStatus(cluster: ClusterState, job: JobState, to: JobStatus): void {
    const from = job.status;
    if (from === to) return;
    job.status = to;
    job.statusTimestamps[to] = this.now();
    if (to === 'FINISHED' || to === 'CANCELED' || to === 'FAILED') job.endTime = this.now();
    this.logs.append(cluster.appKey, { t: this.now(), k: 'job', j: job.jid, from, to });
  }

  /** True when the job is RUNNING and every subtask is RUNNING: a savepoint can be taken. */
  isProcessing(appKey: string): boolean {
    const job = this.cluster(appKey)?.job;
    return !!job && job.status === 'RUNNING' && job.pendingSubtasks === 0 && job.processingSince !== undefined;
  }

  /** Current state per operator uid, in bytes: restored state grows toward the operator's nominal size. */
  stateBytes(appKey: string): Record<string, number> {
    const job = this.cluster(appKey)?.job;
    if (!job) return {};
    return operatorState(job, this.now());
  }

  /** A manual snapshot, recorded in the checkpoint history as a savepoint; the job keeps running. */
  recordSavepoint(appKey: string, path: string, type: 'SAVEPOINT' | 'SYNC_SAVEPOINT', startedAt: number): void {
    const cluster = this.cluster(appKey);
    const job = cluster?.job;
    if (!cluster || !job) return;
    this.catchUp(cluster);
    settleCheckpoints(this, cluster, job, this.now());
    const state = operatorState(job, this.now());
    const total = Object.values(state).reduce((a, b) => a + b, 0);
    const cp = job.checkpoints;
    const record = {
      id: cp.nextId++,
      status: 'COMPLETED' as const,
      type,
      triggerTimestamp: startedAt,
      latestAckTimestamp: this.now(),
      endToEndDuration: this.now() - startedAt,
      stateSize: total,
      checkpointedSize: total,
      alignmentBuffered: 0,
      processedData: 0,
      persistedData: 0,
      syncDurationMs: 20,
      asyncDurationMs: Math.max(0, this.now() - startedAt - 20),
      alignmentDurationMs: 0,
      startDelayMs: 3,
      numSubtasks: job.vertices.reduce((n, v) => n + v.parallelism, 0),
      numAcknowledgedSubtasks: job.vertices.reduce((n, v) => n + v.parallelism, 0),
      externalPath: path,
      perVertex: Object.fromEntries(
        job.vertices.map((v) => {
          const bytes = v.operators.reduce((s, o) => s + (state[o.uid] ?? 0), 0);
          return [v.id, { stateSize: bytes, checkpointedSize: bytes }];
        }),
      ),
    };
    cp.history.push(record);
    if (cp.history.length > 10) cp.history.shift();
    cp.counts.total++;
    cp.counts.completed++;
    cp.latestSavepointId = record.id;
    cp.latestSavepoint = record;
    this.touch(cluster);
  }

  /** Stop-with-savepoint: every subtask and the job end FINISHED. */
  finishJob(appKey: string): void {
    const cluster = this.cluster(appKey);
    const job = cluster?.job;
    if (!cluster || !job) return;
    this.catchUp(cluster);
    abortInProgressCheckpoint(this, cluster, job, 'Checkpoint Coordinator is suspending.');
    this.cancelJobEvents(job);
    job.vertices.forEach((v, vi) => v.subtasks.forEach((_, i) => this.setSubtask(cluster, job, vi, i, 'FINISHED')));
    this.setJobStatus(cluster, job, 'FINISHED');
    this.retireJob(cluster);
    this.touch(cluster);
  }

  /** Cancels the job without a savepoint (force stop, rollback, an update without snapshots). */
  cancelJob(appKey: string): void {
    const cluster = this.cluster(appKey);
    const job = cluster?.job;
    if (!cluster || !job) return;
    this.catchUp(cluster);
    abortInProgressCheckpoint(this, cluster, job, 'Checkpoint Coordinator is suspending.');
    this.cancelJobEvents(job);
    if (job.status !== 'CANCELED' && job.status !== 'FINISHED' && job.status !== 'FAILED') {
      this.setJobStatus(cluster, job, 'CANCELLING');
      job.vertices.forEach((v, vi) =>
        v.subtasks.forEach((s, i) => {
          if (isActive(s.state)) this.setSubtask(cluster, job, vi, i, 'CANCELING');
          if (s.state !== 'FAILED' && s.state !== 'FINISHED') this.setSubtask(cluster, job, vi, i, 'CANCELED');
        }),
      );
      this.setJobStatus(cluster, job, 'CANCELED');
    }
    this.retireJob(cluster);
    this.touch(cluster);
  }

  private retireJob(cluster: ClusterState): void {
    const job = cluster.job;
    if (!job) return;
    this.cancelJobEvents(job);
    if (job.outageSince !== undefined) {
      job.totalDowntimeMs += this.now() - job.outageSince;
      job.outageSince = undefined;
    }
    cluster.finishedJobs.push({
      jid: job.jid,
      name: job.name,
      status: job.status,
      startTime: job.startTime,
      endTime: job.endTime === -1 ? this.now() : job.endTime,
    });
    if (cluster.finishedJobs.length > 5) cluster.finishedJobs.shift();
    cluster.job = undefined;
  }

  private cancelJobEvents(job: JobState): void {
    const { scheduler } = this.env;
    job.initQueue = undefined;
    job.initCursor = undefined;
    for (const id of job.attemptEvents) scheduler.cancel(id);
    job.attemptEvents = [];
    scheduler.cancel(job.restartEventId);
    job.restartEventId = undefined;
    job.checkpoints.nextTriggerAt = undefined;
    scheduler.cancel(job.checkpoints.triggerEventId);
    job.checkpoints.triggerEventId = undefined;
  }

  // ---- failover --------------------------------------------------------------------------------

  /**
   * A task failed: it goes FAILED, every other subtask is cancelled, the job RESTARTING, and the
   * fixed-delay restart strategy brings a new attempt after the delay.
   */
  failover(cluster: ClusterState, job: JobState, v: number, i: number, exception: string): void {
    this.catchUp(cluster);
    if (job.status !== 'RUNNING') return;
    const now = this.now();
    this.cancelJobEvents(job);
    abortInProgressCheckpoint(this, cluster, job, 'Checkpoint was aborted because a task failed: ' + exception);
    const vertex = job.vertices[v]!;
    const tm = cluster.taskManagers[vertex.subtasks[i]!.tm];
    this.setSubtask(cluster, job, v, i, 'FAILED', exception);
    this.setJobStatus(cluster, job, 'RESTARTING');
    job.vertices.forEach((vx, vi) =>
      vx.subtasks.forEach((s, si) => {
        if (vi === v && si === i) return;
        if (isActive(s.state)) this.setSubtask(cluster, job, vi, si, 'CANCELING');
      }),
    );
    job.exceptions.push({
      exceptionName: exception.split(':')[0]!.trim(),
      stacktrace: stacktraceFor(exception, vertex.name),
      timestamp: now,
      taskName: `${vertex.name} (${i + 1}/${vertex.parallelism})`,
      endpoint: tm ? `${tm.host}:${tm.dataPort}` : '',
      taskManagerId: tm?.id ?? '',
    });
    if (job.exceptions.length > MAX_EXCEPTIONS) job.exceptions.shift();
    if (job.outageSince === undefined) job.outageSince = now;
    job.processingSince = undefined;
    const { scheduler, profile } = this.env;
    job.attemptEvents.push(
      scheduler.schedule(now + profile.cancelMs, FLINK_EVENT.cancelled, { appKey: cluster.appKey, jid: job.jid }).id,
    );
    job.restartEventId = scheduler.schedule(
      now + Math.max(profile.restartDelayMs, profile.cancelMs),
      FLINK_EVENT.restart,
      {
        appKey: cluster.appKey,
        jid: job.jid,
      },
    ).id;
    this.touch(cluster);
  }

  private restart(cluster: ClusterState, job: JobState): void {
    if (job.status !== 'RESTARTING') return;
    job.restartEventId = undefined;
    job.numRestarts++;
    // Restore from the latest completed checkpoint (or keep the state this run was restored with).
    const latest = job.checkpoints.latestCompleted ?? job.checkpoints.latestSavepoint;
    if (latest) {
      job.restoredState = operatorStateAt(job, latest);
      forgetStatics(job);
      job.checkpoints.counts.restored++;
      job.checkpoints.restored = {
        id: latest.id,
        restoreTimestamp: this.now(),
        isSavepoint: isSavepointType(latest.type),
        externalPath: latest.externalPath ?? '',
      };
    }
    job.vertices.forEach((v, vi) =>
      v.subtasks.forEach((s, i) => {
        if (s.state === 'CANCELING') this.setSubtask(cluster, job, vi, i, 'CANCELED');
        s.attempt++;
        s.timestamps = {};
        const from = s.state;
        s.state = 'CREATED';
        s.timestamps.CREATED = this.now();
        this.logs.appendSubtask(cluster.appKey, this.now(), job.jid, vi, i, s.attempt, from, 'CREATED');
      }),
    );
    this.setJobStatus(cluster, job, 'RUNNING');
    this.startAttempt(cluster, job);
    scheduleFirstCheckpoint(this, cluster, job);
    this.touch(cluster);
  }

  // ---- events ----------------------------------------------------------------------------------

  /** Handles a flink.* event; returns false for events that are not the runtime's. */
  handle(type: string, payload: FlinkEventPayload): boolean {
    if (!type.startsWith('flink.')) return false;
    const cluster = this.cluster(payload.appKey);
    const job = cluster?.job;
    if (!cluster || !job || job.jid !== payload.jid) return true;
    this.catchUp(cluster);
    switch (type) {
      case FLINK_EVENT.subtaskInit:
        this.runInitQueue(cluster, job);
        break;
      case FLINK_EVENT.fault: {
        const s = job.vertices[payload.v!]?.subtasks[payload.i!];
        const fault = faultOf(job.manifest, 'fail-after');
        if (s && s.attempt === payload.attempt && s.state === 'RUNNING' && fault)
          this.failover(
            cluster,
            job,
            payload.v!,
            payload.i!,
            fault.exception ?? 'java.lang.RuntimeException: fail-after',
          );
        break;
      }
      case FLINK_EVENT.cancelled:
        job.vertices.forEach((v, vi) =>
          v.subtasks.forEach((s, i) => {
            if (s.state === 'CANCELING') this.setSubtask(cluster, job, vi, i, 'CANCELED');
          }),
        );
        break;
      case FLINK_EVENT.restart:
        this.restart(cluster, job);
        break;
      case FLINK_EVENT.checkpointTrigger:
        runCheckpointTrigger(this, cluster, job);
        this.triggersRun++;
        break;
    }
    this.touch(cluster);
    return true;
  }

  private subtaskInitialized(cluster: ClusterState, job: JobState, v: number, i: number, attempt: number): void {
    const vertex = job.vertices[v]!;
    const s = vertex.subtasks[i]!;
    if (s.attempt !== attempt || s.state !== 'INITIALIZING' || job.status !== 'RUNNING') return;
    const uids = new Set(vertex.operators.map((o) => o.uid));
    const onInit = faultOf(job.manifest, 'fail-on-init');
    if (onInit && i === 0 && (!onInit.operator || uids.has(onInit.operator))) {
      this.failover(cluster, job, v, i, onInit.exception ?? 'java.lang.RuntimeException: fail-on-init');
      return;
    }
    const onRestore = faultOf(job.manifest, 'fail-on-restore');
    const restoresHere = vertex.operators.some((o) => (job.restoredState[o.uid] ?? 0) > 0);
    if (onRestore && i === 0 && restoresHere && (!onRestore.operator || uids.has(onRestore.operator))) {
      this.failover(
        cluster,
        job,
        v,
        i,
        onRestore.exception ?? 'java.lang.Exception: Exception while creating StreamOperatorStateContext.',
      );
      return;
    }
    this.setSubtask(cluster, job, v, i, 'RUNNING');
    job.pendingSubtasks--;
    if (job.pendingSubtasks === 0) this.processingStarted(cluster, job);
  }

  private processingStarted(cluster: ClusterState, job: JobState): void {
    const now = this.now();
    job.processingSince = now;
    if (job.outageSince !== undefined) {
      job.totalDowntimeMs += now - job.outageSince;
      job.outageSince = undefined;
    }
    const failAfter = faultOf(job.manifest, 'fail-after');
    if (failAfter) {
      const target = failAfter.operator
        ? job.vertices.findIndex((v) => v.operators.some((o) => o.uid === failAfter.operator))
        : job.vertices.length - 1;
      const v = Math.max(0, target);
      const i = this.random(cluster, (r) => r.int(0, job.vertices[v]!.parallelism - 1));
      const at = now + Math.round((failAfter.afterSeconds ?? 10) * 1000);
      job.attemptEvents.push(
        this.env.scheduler.schedule(at, FLINK_EVENT.fault, {
          appKey: cluster.appKey,
          jid: job.jid,
          v,
          i,
          attempt: job.vertices[v]!.subtasks[i]!.attempt,
        } satisfies FlinkEventPayload).id,
      );
    }
    this.hooks.processingStarted(cluster.appKey, now);
  }

  /** Vertex subtask counts per execution state (all ten keys). */
  static stateCounts(subtasks: { state: ExecutionState }[]): Record<ExecutionState, number> {
    const counts = Object.fromEntries(
      (
        [
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
        ] as const
      ).map((s) => [s, 0]),
    ) as Record<ExecutionState, number>;
    for (const s of subtasks) counts[s.state]++;
    return counts;
  }
}

const isActive = (s: ExecutionState) =>
  s === 'CREATED' || s === 'SCHEDULED' || s === 'DEPLOYING' || s === 'INITIALIZING' || s === 'RUNNING';

/** Nominal state of each operator: stateMbPerSubtask × parallelism, approached over the first 30 minutes. */
export function operatorState(job: JobState, now: number): Record<string, number> {
  const growth = stateGrowth(job, now);
  const uptimeHours = processingMs(job, now) / 3_600_000;
  const out: Record<string, number> = {};
  for (const v of job.vertices)
    for (const op of v.operators) {
      const nominal = (op.stateMbPerSubtask ?? 0) * MB * v.parallelism;
      const restored = job.restoredState[op.uid] ?? 0;
      const leak = (job.manifest.faults ?? [])
        .filter((f) => f.kind === 'state-leak' && f.operator === op.uid)
        .reduce((sum, f) => sum + (f.mbPerHour ?? 0) * MB * v.parallelism * uptimeHours, 0);
      const bytes = Math.round(Math.max(restored, nominal * growth) + leak);
      if (bytes > 0 || op.stateMbPerSubtask !== undefined) out[op.uid] = bytes;
    }
  return out;
}

/** Operator state as a completed checkpoint holds it. */
function operatorStateAt(
  job: JobState,
  cp: { perVertex: Record<string, { stateSize: number }> },
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of job.vertices) {
    const bytes = cp.perVertex[v.id]?.stateSize ?? 0;
    const weights = v.operators.map((o) => o.stateMbPerSubtask ?? 0);
    const total = weights.reduce((a, b) => a + b, 0);
    v.operators.forEach((o, n) => {
      const share = total > 0 ? weights[n]! / total : n === 0 ? 1 : 0;
      if (bytes * share > 0) out[o.uid] = Math.round(bytes * share);
    });
  }
  return out;
}

function stacktraceFor(exception: string, task: string): string {
  return [
    exception,
    `\tat com.example.${task.replace(/[^A-Za-z0-9]/g, '')}.processElement(Unknown Source)`,
    '\tat org.apache.flink.streaming.runtime.tasks.OneInputStreamTask$StreamTaskNetworkOutput.emitRecord(OneInputStreamTask.java:238)',
    '\tat org.apache.flink.streaming.runtime.io.AbstractStreamTaskNetworkInput.processElement(AbstractStreamTaskNetworkInput.java:157)',
    '\tat org.apache.flink.streaming.runtime.tasks.StreamTask.processInput(StreamTask.java:579)',
    '\tat org.apache.flink.runtime.taskmanager.Task.run(Task.java:566)',
    '\tat java.base/java.lang.Thread.run(Thread.java:829)',
  ].join('\n');
}

function hash8(text: string): number {
  return parseInt(hex128(text).slice(0, 6), 16);
}
