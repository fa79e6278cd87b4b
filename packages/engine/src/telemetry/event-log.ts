/**
 * The per-application event log in Flink's own wording, e.g.
 * `Session window 30 min (2/4)#0 (<attempt id>) switched from INITIALIZING to RUNNING.`
 * Kept in memory (the newest lines per application) across stops and starts of the application;
 * it is observability, not acknowledged state, so it is not persisted.
 */
import type { LogEntry, LoggedJob } from '../flink/cluster-state.js';

export const MAX_LOG_ENTRIES = 10_000;

export interface AppLog {
  /** Oldest first; each entry carries its sequence number `n`. */
  entries: (LogEntry & { n: number })[];
  total: number;
  /** Names of the jobs the log mentions, by job id. */
  jobs: Record<string, LoggedJob>;
}

export interface RenderedLogLine {
  /** Sequence number of the line in the application's log (stable, for pagination). */
  seq: number;
  timestamp: number;
  kind: LogEntry['k'];
  level: 'INFO' | 'WARN' | 'ERROR';
  logger: string;
  message: string;
}

export class EventLogStore {
  private logs = new Map<string, AppLog>();

  private log(appKey: string): AppLog {
    let log = this.logs.get(appKey);
    if (!log) this.logs.set(appKey, (log = { entries: [], total: 0, jobs: {} }));
    return log;
  }

  registerJob(appKey: string, jid: string, job: LoggedJob): void {
    this.log(appKey).jobs[jid] = job;
  }

  append(appKey: string, entry: LogEntry): void {
    const log = this.log(appKey);
    (entry as LogEntry & { n: number }).n = log.total++;
    log.entries.push(entry as LogEntry & { n: number });
    // Trim in batches so appends stay cheap; forget job names no line mentions any more.
    if (log.entries.length > MAX_LOG_ENTRIES + 1000) {
      log.entries.splice(0, log.entries.length - MAX_LOG_ENTRIES);
      const referenced = new Set(log.entries.map((e) => ('j' in e ? e.j : '')));
      for (const jid of Object.keys(log.jobs)) if (!referenced.has(jid)) delete log.jobs[jid];
    }
  }

  get(appKey: string): AppLog | undefined {
    return this.logs.get(appKey);
  }

  delete(appKey: string): void {
    this.logs.delete(appKey);
  }

  /** Rendered lines in [from, to] (epoch ms), oldest first. */
  lines(appKey: string, from = -Infinity, to = Infinity): RenderedLogLine[] {
    const log = this.logs.get(appKey);
    if (!log) return [];
    return log.entries.filter((e) => e.t >= from && e.t <= to).map((e) => render(log, e));
  }
}

export function render(log: AppLog, entry: LogEntry & { n: number }): RenderedLogLine {
  const base = { seq: entry.n, timestamp: entry.t, kind: entry.k };
  switch (entry.k) {
    case 'subtask': {
      const v = log.jobs[entry.j]?.vertices[entry.v];
      const attemptId = `${entry.j}_${v?.id ?? ''}_${entry.i}_${entry.a}`;
      const tail = entry.cause ? ` with failure cause: ${entry.cause}` : '.';
      return {
        ...base,
        level: entry.to === 'FAILED' ? 'WARN' : 'INFO',
        logger: 'org.apache.flink.runtime.executiongraph.ExecutionGraph',
        message: `${v?.name ?? '?'} (${entry.i + 1}/${v?.parallelism ?? '?'})#${entry.a} (${attemptId}) switched from ${entry.from} to ${entry.to}${tail}`,
      };
    }
    case 'job':
      return {
        ...base,
        level: entry.to === 'FAILED' || entry.to === 'FAILING' ? 'ERROR' : 'INFO',
        logger: 'org.apache.flink.runtime.executiongraph.ExecutionGraph',
        message: `Job ${log.jobs[entry.j]?.name ?? ''} (${entry.j}) switched from state ${entry.from} to ${entry.to}.`,
      };
    case 'info':
      return { ...base, level: 'INFO', logger: 'org.apache.flink.runtime.jobmaster.JobMaster', message: entry.text };
  }
}
