/**
 * Vertex resources: details with per-subtask attempts and aggregates, single subtasks and attempts,
 * subtask times (the dashboard's timeline), the vertex's TaskManagers, back pressure and accumulators.
 */
import type { ExecutionState } from '@mfc/engine';
import { backpressureLevel } from '@mfc/engine';
import {
  groupSummary,
  ioMetrics,
  statusDuration,
  subtaskAttempt,
  type IOMetricsInfo,
  type SubtaskAttemptInfo,
} from './attempts.js';
import { requireSubtask, requireVertex, type JobView, type RestContext } from './context.js';
import { notFound } from './errors.js';
import { DURATION_STATES, EXECUTION_STATES, isTerminalExecution, stateCounts, type StateCounts } from './states.js';
import { taskStats, type TaskStats } from './stats.js';

// ---- wire types ------------------------------------------------------------------------------------

export interface AggregatedTaskDetails {
  metrics: Record<string, TaskStats>;
  'status-duration': Partial<Record<ExecutionState, TaskStats>>;
}

export interface VertexDetails {
  id: string;
  name: string;
  parallelism: number;
  maxParallelism: number;
  now: number;
  subtasks: SubtaskAttemptInfo[];
  aggregated: AggregatedTaskDetails;
}

export interface SubtaskTimes {
  subtask: number;
  endpoint: string;
  duration: number;
  timestamps: Record<ExecutionState, number>;
}

export interface VertexSubtaskTimes {
  id: string;
  name: string;
  now: number;
  subtasks: SubtaskTimes[];
}

export interface VertexTaskManager {
  'taskmanager-id': string;
  endpoint: string;
  status: ExecutionState;
  'start-time': number;
  'end-time': number;
  duration: number;
  metrics: IOMetricsInfo;
  'status-counts': StateCounts;
  aggregated: AggregatedTaskDetails;
}

export interface VertexTaskManagers {
  id: string;
  name: string;
  now: number;
  taskmanagers: VertexTaskManager[];
}

type Level = 'ok' | 'low' | 'high';

export interface SubtaskBackPressure {
  subtask: number;
  'attempt-number': number;
  backpressureLevel: Level;
  /** Hidden on the wire next to `backpressureLevel`; the dashboard reads this one. */
  'backpressure-level': Level;
  ratio: number;
  idleRatio: number;
  busyRatio: number;
}

export type VertexBackPressure =
  | {
      status: 'ok';
      backpressureLevel: Level;
      'backpressure-level': Level;
      'end-timestamp': number;
      subtasks: SubtaskBackPressure[];
    }
  | { status: 'deprecated' };

export interface UserAccumulator {
  name: string;
  type: string;
  value: string;
}

export interface VertexAccumulators {
  id: string;
  'user-accumulators': UserAccumulator[];
}

export interface SubtasksAccumulators {
  id: string;
  parallelism: number;
  subtasks: { subtask: number; attempt: number; endpoint: string; 'user-accumulators': UserAccumulator[] }[];
}

// ---- helpers ---------------------------------------------------------------------------------------

function aggregated(view: JobView, vertexIndex: number, indices: readonly number[]): AggregatedTaskDetails {
  const vertex = view.job.vertices[vertexIndex]!;
  const all = view.subtaskMetrics(vertexIndex);
  const io = indices.map((i) => ioMetrics(all[i]));
  const keys: (keyof IOMetricsInfo)[] = [
    'read-bytes',
    'write-bytes',
    'read-records',
    'write-records',
    'accumulated-backpressured-time',
    'accumulated-idle-time',
    'accumulated-busy-time',
  ];
  const durations = indices.map((i) => statusDuration(vertex.subtasks[i]!, view.now));
  return {
    metrics: Object.fromEntries(keys.map((k) => [k, taskStats(io.map((m) => m[k] as number))])),
    'status-duration': Object.fromEntries(DURATION_STATES.map((s) => [s, taskStats(durations.map((d) => d[s] ?? 0))])),
  };
}

const allIndices = (n: number) => Array.from({ length: n }, (_, i) => i);

const level = (ratio: number): Level => backpressureLevel(ratio);

// ---- handlers --------------------------------------------------------------------------------------

export function vertexDetails(ctx: RestContext): VertexDetails {
  const { view, vertex, index } = requireVertex(ctx);
  return {
    id: vertex.id,
    name: vertex.name,
    parallelism: vertex.parallelism,
    maxParallelism: vertex.maxParallelism,
    now: view.now,
    subtasks: vertex.subtasks.map((_, i) => subtaskAttempt(view, index, i)),
    aggregated: aggregated(view, index, allIndices(vertex.parallelism)),
  };
}

export function subtaskCurrentAttempt(ctx: RestContext): SubtaskAttemptInfo {
  const { view, index, subtaskIndex } = requireSubtask(ctx);
  return subtaskAttempt(view, index, subtaskIndex);
}

/** Only the current attempt is kept: earlier attempts of a restarted subtask answer 404. */
export function subtaskAttemptByNumber(ctx: RestContext): SubtaskAttemptInfo {
  const { view, index, subtask, subtaskIndex } = requireSubtask(ctx);
  const attempt = ctx.params.attempt ?? '';
  if (!/^\d+$/.test(attempt) || Number(attempt) !== subtask.attempt)
    throw notFound(
      `Attempt ${attempt} of subtask ${subtaskIndex} not found; the current attempt is ${subtask.attempt}.`,
    );
  return subtaskAttempt(view, index, subtaskIndex);
}

export function subtaskTimes(ctx: RestContext): VertexSubtaskTimes {
  const { view, vertex } = requireVertex(ctx);
  return {
    id: vertex.id,
    name: vertex.name,
    now: view.now,
    subtasks: vertex.subtasks.map((s, i) => {
      // Flink measures the timeline from SCHEDULED to the terminal state (or now).
      const start = s.timestamps.SCHEDULED ?? -1;
      const end = isTerminalExecution(s.state) ? (s.timestamps[s.state] ?? view.now) : view.now;
      return {
        subtask: i,
        endpoint: view.endpoint(s),
        duration: start >= 0 ? end - start : -1,
        timestamps: Object.fromEntries(EXECUTION_STATES.map((st) => [st, s.timestamps[st] ?? 0])) as Record<
          ExecutionState,
          number
        >,
      };
    }),
  };
}

export function vertexTaskManagers(ctx: RestContext): VertexTaskManagers {
  const { view, vertex, index } = requireVertex(ctx);
  const byTm = new Map<number, number[]>();
  vertex.subtasks.forEach((s, i) => byTm.set(s.tm, [...(byTm.get(s.tm) ?? []), i]));
  return {
    id: vertex.id,
    name: vertex.name,
    now: view.now,
    taskmanagers: [...byTm.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, indices]) => {
        const first = vertex.subtasks[indices[0]!]!;
        const summary = groupSummary(view, index, indices);
        return {
          'taskmanager-id': view.taskManagerId(first),
          endpoint: view.endpoint(first),
          status: summary.status,
          'start-time': summary['start-time'],
          'end-time': summary['end-time'],
          duration: summary.duration,
          metrics: summary.metrics,
          'status-counts': stateCounts(indices.map((i) => vertex.subtasks[i]!.state)),
          aggregated: aggregated(view, index, indices),
        };
      }),
  };
}

/** From the busy/idle/back-pressured time metrics, as Flink has done since 1.13; none while nothing runs. */
export function backPressure(ctx: RestContext): VertexBackPressure {
  const { view, vertex, index } = requireVertex(ctx);
  if (view.job.status !== 'RUNNING' || !vertex.subtasks.some((s) => s.state === 'RUNNING'))
    return { status: 'deprecated' };
  const metrics = view.subtaskMetrics(index);
  const subtasks = vertex.subtasks.map((s, i): SubtaskBackPressure => {
    const m = metrics[i]!;
    const ratio = m.backPressuredTimeMsPerSecond / 1000;
    return {
      subtask: i,
      'attempt-number': s.attempt,
      backpressureLevel: level(ratio),
      'backpressure-level': level(ratio),
      ratio,
      idleRatio: m.idleTimeMsPerSecond / 1000,
      busyRatio: m.busyTimeMsPerSecond / 1000,
    };
  });
  const top = level(Math.max(0, ...subtasks.map((s) => s.ratio)));
  return {
    status: 'ok',
    backpressureLevel: top,
    'backpressure-level': top,
    'end-timestamp': view.now,
    subtasks,
  };
}

export function vertexAccumulators(ctx: RestContext): VertexAccumulators {
  const { vertex } = requireVertex(ctx);
  return { id: vertex.id, 'user-accumulators': [] };
}

export function subtasksAccumulators(ctx: RestContext): SubtasksAccumulators {
  const { view, vertex } = requireVertex(ctx);
  return {
    id: vertex.id,
    parallelism: vertex.parallelism,
    subtasks: vertex.subtasks.map((s, i) => ({
      subtask: i,
      attempt: s.attempt,
      endpoint: view.endpoint(s),
      'user-accumulators': [],
    })),
  };
}
