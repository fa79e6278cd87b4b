/** The per-application event log, rendered in Flink's own wording. */
import type { ClusterState, LogEntry } from './cluster-state.js';

const MAX_ENTRIES = 4000;

export function appendLog(cluster: ClusterState, entry: LogEntry): void {
  cluster.log.push(entry);
  cluster.logTotal++;
  if (cluster.log.length > MAX_ENTRIES + 500) {
    cluster.log.splice(0, cluster.log.length - MAX_ENTRIES);
    const referenced = new Set(cluster.log.map((e) => ('j' in e ? e.j : '')));
    for (const jid of Object.keys(cluster.logJobs)) if (!referenced.has(jid)) delete cluster.logJobs[jid];
  }
}

export interface RenderedLogLine {
  timestamp: number;
  kind: LogEntry['k'];
  message: string;
}

/** E.g. `Session window 30 min (2/4)#0 (<attempt id>) switched from INITIALIZING to RUNNING.` */
export function renderLog(cluster: ClusterState, entry: LogEntry): RenderedLogLine {
  switch (entry.k) {
    case 'subtask': {
      const job = cluster.logJobs[entry.j];
      const v = job?.vertices[entry.v];
      const attemptId = `${entry.j}_${v?.id ?? ''}_${entry.i}_${entry.a}`;
      const tail = entry.cause ? ` with failure cause: ${entry.cause}` : '.';
      return {
        timestamp: entry.t,
        kind: entry.k,
        message: `${v?.name ?? '?'} (${entry.i + 1}/${v?.parallelism ?? '?'})#${entry.a} (${attemptId}) switched from ${entry.from} to ${entry.to}${tail}`,
      };
    }
    case 'job':
      return {
        timestamp: entry.t,
        kind: entry.k,
        message: `Job ${cluster.logJobs[entry.j]?.name ?? ''} (${entry.j}) switched from state ${entry.from} to ${entry.to}.`,
      };
    case 'info':
      return { timestamp: entry.t, kind: entry.k, message: entry.text };
  }
}
