/**
 * The facts the health rules read, gathered from what the BFF could learn about one application: the
 * Flink dashboard's answers (the prober, or the live watcher when a browser watches), CloudWatch metrics
 * and the newest operation. What could not be read is listed as such, never filled in as "fine".
 */
import type { ApplicationStatus, JobHealth, OperationView, UnreadFacts } from '@mfc/contracts';
import type { FleetHealth } from '../services/metrics.js';

export interface SubtaskCounts {
  total: number;
  running: number;
  failed: number;
  canceled: number;
}

/** The current job as the dashboard showed it. */
export interface ProbedJob {
  jid?: string;
  state: string;
  /** When the job was submitted (restarts keep it). */
  startTime?: number;
  subtasks: SubtaskCounts;
}

export interface ProbedException {
  timestamp: number;
  name: string;
  /** The first line of the stack trace. */
  message: string;
  taskName?: string;
}

export interface ProbedCheckpoints {
  /** When the newest completed checkpoint completed. */
  latestCompletedAt?: number;
  /** Failed checkpoints the dashboard still lists (its history and its latest failure). */
  failures: { id: number; at: number; message?: string }[];
  intervalMs?: number;
}

/** One read of an application's job from its Flink dashboard. */
export interface JobProbe {
  /** Service time of the read. */
  readAt: number;
  /** null: the cluster has no job. Absent: not read (see unread). */
  job?: ProbedJob | null;
  /** Newest first, as many as the dashboard returned. */
  exceptions?: { entries: ProbedException[]; truncated: boolean };
  /** null: checkpointing is off (the dashboard answers 404). */
  checkpoints?: ProbedCheckpoints | null;
  unread: UnreadFacts[];
}

/** What the metrics say over the window. */
export interface MetricFacts {
  restartsInWindow: number;
  restartsSince?: number;
  failedCheckpointsInWindow: number;
  totalRestarts: number;
}

export interface HealthFacts {
  /** Service time the facts are judged at. */
  now: number;
  windowMs: number;
  checkpointStaleMs: number;
  status: ApplicationStatus;
  metrics?: MetricFacts;
  job?: ProbedJob | null;
  exceptions?: JobProbe['exceptions'];
  checkpoints?: ProbedCheckpoints | null;
  lastOperation?: OperationView;
  /** When the job facts were read. */
  readAt?: number;
  unread: UnreadFacts[];
}

/** What the live watcher of an application knows of its job (written by events/watchers.ts). */
export interface WatchedJob {
  jobState?: string;
  subtasksRunning: number;
  subtasksTotal: number;
  subtasksFailed?: number;
  subtasksCanceled?: number;
}

export interface Sources {
  status: ApplicationStatus;
  now: number;
  windowMs: number;
  checkpointStaleMs: number;
  /** The metrics read for the fleet: this application's entry, or the error that stopped the read. */
  metrics?: FleetHealth | Error;
  /** 'pending': not read yet (read in the background). */
  probe?: JobProbe | 'pending';
  watched?: WatchedJob;
  lastOperation?: OperationView;
}

export const PENDING_REASON = 'Not read yet: the BFF reads the jobs of a big fleet in the background.';

/** Combines the sources into the facts; job facts only matter, and are only read, while RUNNING. */
export function gatherFacts(src: Sources): HealthFacts {
  const base = {
    now: src.now,
    windowMs: src.windowMs,
    checkpointStaleMs: src.checkpointStaleMs,
    status: src.status,
    ...(src.lastOperation ? { lastOperation: src.lastOperation } : {}),
  };
  if (src.status !== 'RUNNING') return { ...base, unread: [] };
  const unread: UnreadFacts[] = [];
  let metrics: MetricFacts | undefined;
  if (src.metrics instanceof Error)
    unread.push({ facts: 'metrics', reason: `CloudWatch metrics could not be read: ${src.metrics.message}` });
  else if (!src.metrics || src.metrics.datapoints === 0)
    unread.push({ facts: 'metrics', reason: 'CloudWatch has no fullRestarts datapoints in the window.' });
  else
    metrics = {
      restartsInWindow: src.metrics.restartsLast5m,
      ...(src.metrics.restartsSince !== undefined ? { restartsSince: src.metrics.restartsSince } : {}),
      failedCheckpointsInWindow: src.metrics.failedCheckpointsLast5m,
      totalRestarts: src.metrics.totalRestarts,
    };
  const probe = src.probe === 'pending' ? undefined : src.probe;
  // Nothing of the job is known while its read is pending or failed: one entry says so for all of it.
  if (src.probe === 'pending') unread.push({ facts: 'job', reason: PENDING_REASON, pending: true });
  else if (!probe) unread.push({ facts: 'job', reason: 'The job was not read.' });
  else unread.push(...probe.unread);
  // The watcher reads the job several times a second: its state and subtasks are the newer facts.
  const w = src.watched;
  let job = probe?.job;
  if (w?.jobState)
    job = {
      ...(job ?? {}),
      state: w.jobState,
      subtasks: {
        total: w.subtasksTotal,
        running: w.subtasksRunning,
        failed: w.subtasksFailed ?? 0,
        canceled: w.subtasksCanceled ?? 0,
      },
    };
  // The watcher knows the job, not its exceptions and checkpoints: those stay unread.
  const unreadJob = unread.find((u) => u.facts === 'job');
  const stillUnread =
    job !== undefined && unreadJob
      ? [
          ...unread.filter((u) => u !== unreadJob),
          { ...unreadJob, facts: 'exceptions' as const },
          { ...unreadJob, facts: 'checkpoints' as const },
        ]
      : unread;
  return {
    ...base,
    ...(metrics ? { metrics } : {}),
    ...(job !== undefined ? { job } : {}),
    ...(probe?.exceptions ? { exceptions: probe.exceptions } : {}),
    ...(probe && probe.checkpoints !== undefined ? { checkpoints: probe.checkpoints } : {}),
    ...(probe ? { readAt: probe.readAt } : {}),
    unread: stillUnread,
  };
}

const inWindow = (f: HealthFacts, t: number) => t >= f.now - f.windowMs;

/** Exceptions of the job's history inside the window, newest first. */
export function exceptionsInWindow(f: HealthFacts): ProbedException[] {
  return (f.exceptions?.entries ?? []).filter((e) => inWindow(f, e.timestamp));
}

/** Checkpoint failures the dashboard lists inside the window, oldest first. */
export function checkpointFailuresInWindow(f: HealthFacts): ProbedCheckpoints['failures'] {
  return (f.checkpoints?.failures ?? []).filter((c) => inWindow(f, c.at)).sort((a, b) => a.at - b.at);
}

/** Failed checkpoints in the window: the metrics' count or the dashboard's, whichever saw more. */
export function failedCheckpointCount(f: HealthFacts): number | undefined {
  if (!f.metrics && !f.checkpoints) return undefined;
  return Math.max(f.metrics?.failedCheckpointsInWindow ?? 0, checkpointFailuresInWindow(f).length);
}

/** The fleet row's and header's job health: the facts in the contract's terms. */
export function jobHealthOf(f: HealthFacts): JobHealth {
  if (f.status !== 'RUNNING') return { source: 'none' };
  const failedCheckpoints = failedCheckpointCount(f);
  const lastCompleted = f.checkpoints?.latestCompletedAt;
  const job = f.job;
  return {
    source: job !== undefined ? 'dashboard' : f.metrics ? 'metrics' : 'none',
    ...(job
      ? {
          jobStatus: job.state,
          subtasksRunning: job.subtasks.running,
          subtasksTotal: job.subtasks.total,
          subtasksFailed: job.subtasks.failed,
          subtasksCanceled: job.subtasks.canceled,
        }
      : {}),
    ...(f.metrics ? { restartsLast5m: f.metrics.restartsInWindow, totalRestarts: f.metrics.totalRestarts } : {}),
    ...(failedCheckpoints !== undefined ? { failedCheckpointsLast5m: failedCheckpoints } : {}),
    ...(f.exceptions ? { exceptionsInWindow: exceptionsInWindow(f).length } : {}),
    ...(f.checkpoints !== undefined ? { checkpointingEnabled: f.checkpoints !== null } : {}),
    ...(lastCompleted !== undefined ? { lastCheckpointAgeMs: Math.max(0, f.now - lastCompleted) } : {}),
    ...(f.readAt !== undefined ? { readAt: f.readAt } : {}),
    ...(f.unread.length > 0 ? { unread: f.unread } : {}),
  };
}
