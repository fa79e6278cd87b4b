/**
 * When an application needs attention, as data: one row per signal, with what it reads, its threshold,
 * the tab of the application page that shows the evidence, and a pure function from the facts to a
 * finding. The fleet and the application header both judge with this table, against the embedded
 * emulator and against AWS alike (the facts come from calls the service offers: CloudWatch GetMetricData,
 * the Flink dashboard through CreateApplicationPresignedUrl, DescribeApplicationOperation).
 */
import type { Attention, AttentionSignal, EvidenceTab, HealthSignal, UnreadFacts } from '@mfc/contracts';
import {
  checkpointFailuresInWindow,
  exceptionsInWindow,
  failedCheckpointCount,
  type HealthFacts,
  type ProbedJob,
} from './facts.js';

export interface HealthRule {
  signal: HealthSignal;
  /** What the rule reads, for people. */
  reads: string;
  /** The facts it judges: it never fires from others (while they are unread, the health says so instead). */
  facts: readonly UnreadFacts['facts'][];
  /** Its threshold and window, for people; the numbers are in the facts (windowMs, checkpointStaleMs). */
  threshold: string;
  tab: EvidenceTab;
  evaluate(f: HealthFacts): { message: string; since?: number } | undefined;
}

/** Job states that mean the job is not processing while the application says RUNNING. */
export const UNHEALTHY_JOB_STATES = new Set([
  'RESTARTING',
  'FAILING',
  'FAILED',
  'SUSPENDED',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
]);
/** A cancel in progress or done: its subtasks are CANCELED by design. */
const CANCELLED_JOB_STATES = new Set(['CANCELLING', 'CANCELED']);

const running = (f: HealthFacts) => f.status === 'RUNNING';
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "5 minutes", "1 minute", "90 seconds". */
export function duration(ms: number): string {
  if (ms >= 60 * 60_000 && ms % (60 * 60_000) === 0) return plural(ms / (60 * 60_000), 'hour');
  if (ms >= 60_000 && ms % 60_000 === 0) return plural(ms / 60_000, 'minute');
  if (ms >= 60_000) return plural(Math.round(ms / 60_000), 'minute');
  return plural(Math.round(ms / 1000), 'second');
}

/** The job while the application is RUNNING (null: its cluster has none; undefined: unread or not running). */
const jobOf = (f: HealthFacts): ProbedJob | null | undefined => (running(f) ? f.job : undefined);

export const RULES: readonly HealthRule[] = [
  {
    signal: 'restart-loop',
    reads: 'CloudWatch fullRestarts (Maximum per minute), max − min over the window',
    facts: ['metrics'],
    threshold: 'rose at least once within the window (5 minutes)',
    tab: 'metrics',
    evaluate(f) {
      const n = f.metrics?.restartsInWindow ?? 0;
      if (!running(f) || n <= 0) return undefined;
      return {
        message: `The job restarted ${plural(n, 'time')} in the last ${duration(f.windowMs)}.`,
        ...(f.metrics?.restartsSince !== undefined ? { since: f.metrics.restartsSince } : {}),
      };
    },
  },
  {
    signal: 'job-state',
    reads: 'Flink dashboard GET /jobs/overview: the current job’s state',
    facts: ['job'],
    threshold: `the job is ${[...UNHEALTHY_JOB_STATES].join(', ')} or missing while the application is RUNNING`,
    tab: 'job',
    evaluate(f) {
      const job = jobOf(f);
      if (job === null) return { message: 'The application is RUNNING but its Flink cluster has no job.' };
      if (!job || !UNHEALTHY_JOB_STATES.has(job.state)) return undefined;
      return { message: `The job is ${job.state} while the application is RUNNING.` };
    },
  },
  {
    signal: 'subtasks-failed',
    reads: 'Flink dashboard GET /jobs/overview: subtask counts by state (tasks.failed, tasks.canceled)',
    facts: ['job'],
    threshold: 'any subtask FAILED or CANCELED while the application is RUNNING and the job is not being cancelled',
    tab: 'job',
    evaluate(f) {
      const job = jobOf(f);
      if (!job || CANCELLED_JOB_STATES.has(job.state)) return undefined;
      const { failed, canceled, total } = job.subtasks;
      if (failed + canceled === 0) return undefined;
      const parts = [
        ...(failed > 0 ? [`${plural(failed, 'subtask')} FAILED`] : []),
        ...(canceled > 0 ? [`${failed > 0 ? canceled : plural(canceled, 'subtask')} CANCELED`] : []),
      ];
      return { message: `${parts.join(' and ')} of ${total}.` };
    },
  },
  {
    signal: 'new-exceptions',
    reads: 'Flink dashboard GET /jobs/{jid}/exceptions: the exception history’s timestamps',
    facts: ['exceptions'],
    threshold: 'at least one entry within the window (5 minutes)',
    tab: 'job',
    evaluate(f) {
      if (!running(f)) return undefined;
      const recent = exceptionsInWindow(f);
      const latest = recent[0];
      if (!latest) return undefined;
      // The history is cut (20 entries): when every entry returned is recent, there may be more.
      const atLeast = f.exceptions?.truncated && recent.length === f.exceptions.entries.length ? ' or more' : '';
      const count = `${recent.length}${atLeast} exception${recent.length === 1 && !atLeast ? '' : 's'}`;
      return {
        message: `The job threw ${count} in the last ${duration(f.windowMs)}; the latest: ${latest.message}`,
        since: recent.at(-1)!.timestamp,
      };
    },
  },
  {
    signal: 'checkpoints-failing',
    reads:
      'Flink dashboard GET /jobs/{jid}/checkpoints (failed checkpoints it lists) and CloudWatch numberOfFailedCheckpoints',
    facts: ['checkpoints', 'metrics'],
    threshold: 'at least one checkpoint failed within the window (5 minutes)',
    tab: 'checkpoints',
    evaluate(f) {
      const n = failedCheckpointCount(f) ?? 0;
      if (!running(f) || n <= 0) return undefined;
      const failures = checkpointFailuresInWindow(f);
      const why = failures.at(-1)?.message;
      return {
        message: `${plural(n, 'checkpoint')} failed in the last ${duration(f.windowMs)}${why ? `: ${why}` : '.'}`,
        ...(failures[0] ? { since: failures[0].at } : {}),
      };
    },
  },
  {
    signal: 'checkpoints-stale',
    reads: 'Flink dashboard GET /jobs/{jid}/checkpoints (latest completed) and /jobs/overview (job start)',
    facts: ['job', 'checkpoints'],
    threshold:
      'checkpointing on and no checkpoint completed for MFC_CHECKPOINT_STALE_MS (10 minutes; at least two intervals), counted from the job’s start at the earliest',
    tab: 'checkpoints',
    evaluate(f) {
      const job = jobOf(f);
      const cp = f.checkpoints;
      if (!job || !cp) return undefined;
      const period = Math.max(f.checkpointStaleMs, 2 * (cp.intervalMs ?? 0));
      // A job that started less than the period ago has not had the time to checkpoint.
      const since = Math.max(cp.latestCompletedAt ?? -Infinity, job.startTime ?? -Infinity);
      if (!Number.isFinite(since) || f.now - since <= period) return undefined;
      const every = cp.intervalMs ? ` (checkpointing every ${duration(cp.intervalMs)})` : '';
      return {
        message:
          cp.latestCompletedAt !== undefined && cp.latestCompletedAt >= since
            ? `The last checkpoint completed ${duration(f.now - since)} ago${every}.`
            : `No checkpoint has completed since the job started ${duration(f.now - since)} ago${every}.`,
        since,
      };
    },
  },
  {
    signal: 'operation-failed',
    reads: 'ListApplicationOperations / DescribeApplicationOperation: the newest operation',
    facts: [],
    threshold: 'the newest operation ended FAILED (any status)',
    tab: 'operations',
    evaluate(f) {
      const op = f.lastOperation;
      if (op?.status !== 'FAILED') return undefined;
      return {
        message: `${op.operation} failed${op.errorString ? `: ${op.errorString.slice(0, 160)}` : '.'}`,
        ...(op.endTime !== undefined ? { since: op.endTime } : {}),
      };
    },
  },
  {
    signal: 'job-unreadable',
    reads: 'whether the Flink dashboard answered the reads above',
    facts: [],
    threshold: 'a dashboard read failed (not merely pending) while the application is RUNNING',
    tab: 'job',
    evaluate(f) {
      if (!running(f)) return undefined;
      const failed = f.unread.filter((u) => u.facts !== 'metrics' && !u.pending);
      if (failed.length === 0) return undefined;
      const what = failed.map((u) => UNREAD_NAMES[u.facts]).join(', ');
      return { message: `Could not read ${what}: ${failed[0]!.reason}` };
    },
  },
];

const UNREAD_NAMES: Record<UnreadFacts['facts'], string> = {
  job: 'the job',
  exceptions: 'its exceptions',
  checkpoints: 'its checkpoints',
  metrics: 'its metrics',
};

/** Every signal the facts raise, in the table's order. */
export function findings(f: HealthFacts): AttentionSignal[] {
  return RULES.flatMap((rule) => {
    const found = rule.evaluate(f);
    return found ? [{ signal: rule.signal, tab: rule.tab, ...found }] : [];
  });
}

export function attentionOf(f: HealthFacts): Attention {
  const signals = findings(f);
  return { flag: signals.length > 0, reasons: signals.map((s) => s.message), signals };
}
