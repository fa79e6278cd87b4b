/**
 * One subtask's current execution attempt as Flink reports it (SubtaskExecutionAttemptDetailsInfo), its
 * IO counters (IOMetricsInfo), and the vertex-level sums and times built from them.
 */
import type { ExecutionState, IoTotals, SubtaskState, VertexState } from '@mfc/engine';
import type { JobView } from './context.js';
import { aggregateState, DURATION_STATES, isTerminalExecution } from './states.js';

export interface IOMetricsInfo {
  'read-bytes': number;
  'read-bytes-complete': boolean;
  'write-bytes': number;
  'write-bytes-complete': boolean;
  'read-records': number;
  'read-records-complete': boolean;
  'write-records': number;
  'write-records-complete': boolean;
  'accumulated-backpressured-time': number;
  'accumulated-idle-time': number;
  'accumulated-busy-time': number;
}

export interface SubtaskAttemptInfo {
  subtask: number;
  status: ExecutionState;
  attempt: number;
  endpoint: string;
  'start-time': number;
  'end-time': number;
  duration: number;
  metrics: IOMetricsInfo;
  'taskmanager-id': string;
  'status-duration': Partial<Record<ExecutionState, number>>;
  /** Hidden on the wire next to `start-time`; the dashboard reads this one. */
  start_time: number;
}

export interface Times {
  'start-time': number;
  'end-time': number;
  duration: number;
}

export function ioMetrics(m: IoTotals | undefined): IOMetricsInfo {
  return {
    'read-bytes': m?.numBytesIn ?? 0,
    'read-bytes-complete': true,
    'write-bytes': m?.numBytesOut ?? 0,
    'write-bytes-complete': true,
    'read-records': m?.numRecordsIn ?? 0,
    'read-records-complete': true,
    'write-records': m?.numRecordsOut ?? 0,
    'write-records-complete': true,
    'accumulated-backpressured-time': m?.accumulatedBackPressuredTimeMs ?? 0,
    'accumulated-idle-time': m?.accumulatedIdleTimeMs ?? 0,
    'accumulated-busy-time': m?.accumulatedBusyTimeMs ?? 0,
  };
}

/** Start is when the attempt was deployed, end when it reached a terminal state; -1 when unknown. */
export function attemptTimes(s: SubtaskState, now: number): Times {
  const start = s.timestamps.DEPLOYING ?? -1;
  const end = isTerminalExecution(s.state) ? (s.timestamps[s.state] ?? -1) : -1;
  return { 'start-time': start, 'end-time': end, duration: start >= 0 ? (end >= 0 ? end : now) - start : -1 };
}

/** Lifecycle position of each state: a state lasts until the attempt enters a later one. */
const POSITION: Record<ExecutionState, number> = {
  CREATED: 0,
  SCHEDULED: 1,
  DEPLOYING: 2,
  INITIALIZING: 3,
  RECONCILING: 3,
  RUNNING: 4,
  FINISHED: 5,
  CANCELING: 5,
  FAILED: 5,
  CANCELED: 6,
};

/** Time the attempt spent in each of CREATED … RUNNING (0 for states it never entered). */
export function statusDuration(s: SubtaskState, now: number): Partial<Record<ExecutionState, number>> {
  // Read for every subtask of every vertex the dashboard asks about (16,384 in a 64 × 256 job): plain
  // loops over the few timestamps, no arrays built per state.
  const out: Partial<Record<ExecutionState, number>> = {};
  const ts = s.timestamps as Partial<Record<ExecutionState, number>>;
  for (const state of DURATION_STATES) {
    const entered = ts[state];
    if (entered === undefined) {
      out[state] = 0;
      continue;
    }
    // It lasted until the attempt entered a later state (the earliest such), or lasts still.
    let left = Infinity;
    for (const st in ts)
      if (POSITION[st as ExecutionState] > POSITION[state]) left = Math.min(left, ts[st as ExecutionState]!);
    if (left === Infinity) left = s.state === state ? now : entered;
    out[state] = Math.max(0, left - entered);
  }
  return out;
}

export function subtaskAttempt(view: JobView, vertexIndex: number, i: number): SubtaskAttemptInfo {
  const s = view.job.vertices[vertexIndex]!.subtasks[i]!;
  const times = attemptTimes(s, view.now);
  return {
    subtask: i,
    status: s.state,
    attempt: s.attempt,
    endpoint: view.endpoint(s),
    ...times,
    metrics: ioMetrics(view.subtaskMetrics(vertexIndex)[i]),
    'taskmanager-id': view.taskManagerId(s),
    'status-duration': statusDuration(s, view.now),
    start_time: times['start-time'],
  };
}

/** A group of subtasks (a vertex, or a vertex's subtasks on one TaskManager) summarised. */
export function groupSummary(
  view: JobView,
  vertexIndex: number,
  indices: readonly number[],
): Times & { status: ExecutionState; metrics: IOMetricsInfo } {
  const vertex: VertexState = view.job.vertices[vertexIndex]!;
  const subtasks = indices.map((i) => vertex.subtasks[i]!);
  const status = aggregateState(subtasks.map((s) => s.state));
  // The earliest start and the latest end of the subtasks' attempts (see attemptTimes), without an object each.
  let start = Infinity;
  let end = -1;
  for (const s of subtasks) {
    const deployed = s.timestamps.DEPLOYING ?? -1;
    if (deployed >= 0) start = Math.min(start, deployed);
    if (isTerminalExecution(s.state)) end = Math.max(end, s.timestamps[s.state] ?? -1);
  }
  if (start === Infinity) start = -1;
  if (!isTerminalExecution(status)) end = -1;
  return {
    status,
    'start-time': start,
    'end-time': end,
    duration: start >= 0 ? (end >= 0 ? end : view.now) - start : -1,
    metrics: ioMetrics(view.ioTotals(vertexIndex, indices)),
  };
}
