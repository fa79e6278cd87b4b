/**
 * What a handler sees: the application and its cluster at one virtual instant, the path parameters and
 * the query. Lookups throw Flink's 404s; per-vertex metrics are computed once per request.
 */
import {
  computeFlow,
  vertexIoTotals,
  vertexSubtaskMetrics,
  type IoTotals,
  type AppRecord,
  type ClusterState,
  type Engine,
  type JobState,
  type SubtaskMetrics,
  type SubtaskState,
  type VertexState,
} from '@mfc/engine';
import { badRequest, notFound } from './errors.js';

export interface RestContext {
  engine: Engine;
  app: AppRecord;
  cluster: ClusterState;
  now: number;
  params: Record<string, string>;
  query: URLSearchParams;
}

export type FinishedJob = ClusterState['finishedJobs'][number];

const HEX32 = /^[0-9a-f]{32}$/;

function checkId(value: string | undefined, what: string): string {
  if (!value || !HEX32.test(value))
    throw badRequest(`Invalid ${what} '${value ?? ''}': expected 32 hexadecimal characters.`);
  return value;
}

/** The running job (or its latest attempt) when `jobid` names it. */
export function currentJob(ctx: RestContext): JobView | undefined {
  const jid = checkId(ctx.params.jobid, 'JobID');
  const job = ctx.cluster.job;
  return job && job.jid === jid ? new JobView(job, ctx.cluster, ctx.now) : undefined;
}

export function finishedJob(ctx: RestContext): FinishedJob | undefined {
  const jid = ctx.params.jobid;
  // Newest first: a job id is never reused, but be safe.
  return [...ctx.cluster.finishedJobs].reverse().find((j) => j.jid === jid);
}

export const jobNotFound = (jid: string | undefined) => notFound(`Job ${jid ?? ''} not found`);

/** Endpoints that answer for a finished job too (with what the cluster kept of it). */
export function requireKnownJob(ctx: RestContext): void {
  if (!currentJob(ctx) && !finishedJob(ctx)) throw jobNotFound(ctx.params.jobid);
}

/** Endpoints that need the live execution graph: a finished job's details are not kept. */
export function requireJob(ctx: RestContext): JobView {
  const view = currentJob(ctx);
  if (view) return view;
  throw jobNotFound(ctx.params.jobid);
}

export function requireVertex(ctx: RestContext): { view: JobView; vertex: VertexState; index: number } {
  const view = requireJob(ctx);
  const vid = checkId(ctx.params.vertexid, 'JobVertexID');
  const index = view.job.vertices.findIndex((v) => v.id === vid);
  if (index < 0) throw notFound(`JobVertex ${vid} not found in job ${view.job.jid}`);
  return { view, vertex: view.job.vertices[index]!, index };
}

export function requireSubtask(ctx: RestContext): {
  view: JobView;
  vertex: VertexState;
  index: number;
  subtask: SubtaskState;
  subtaskIndex: number;
} {
  const found = requireVertex(ctx);
  const raw = ctx.params.subtaskindex ?? '';
  const subtaskIndex = /^\d+$/.test(raw) ? Number(raw) : -1;
  const subtask = found.vertex.subtasks[subtaskIndex];
  if (!subtask) throw notFound(`Invalid subtask index ${raw} for vertex ${found.vertex.id}`);
  return { ...found, subtask, subtaskIndex };
}

/** A job at one instant, with the data flow and subtask metrics computed on first use. */
export class JobView {
  private flow?: ReturnType<typeof computeFlow>;
  private readonly metrics = new Map<number, SubtaskMetrics[]>();

  constructor(
    readonly job: JobState,
    readonly cluster: ClusterState,
    readonly now: number,
  ) {}

  subtaskMetrics(vertexIndex: number): SubtaskMetrics[] {
    let m = this.metrics.get(vertexIndex);
    if (!m) {
      this.flow ??= computeFlow(this.job);
      m = vertexSubtaskMetrics(this.job, vertexIndex, this.now, this.flow);
      this.metrics.set(vertexIndex, m);
    }
    return m;
  }

  /** The summed IO counters of a vertex's subtasks at `indices` (all by default). */
  ioTotals(vertexIndex: number, indices?: readonly number[]): IoTotals {
    this.flow ??= computeFlow(this.job);
    return vertexIoTotals(this.job, vertexIndex, this.now, this.flow, indices);
  }

  /** "host:port" of the TaskManager a subtask runs on. */
  endpoint(subtask: SubtaskState): string {
    const tm = this.cluster.taskManagers[subtask.tm];
    return tm ? `${tm.host}:${tm.dataPort}` : '(unassigned)';
  }

  taskManagerId(subtask: SubtaskState): string {
    return this.cluster.taskManagers[subtask.tm]?.id ?? '(unassigned)';
  }
}
