/**
 * Job resources: /jobs, /jobs/overview, /jobs/{jid} (with the embedded plan the dashboard builds its graph
 * from), /plan, /status, /config and /accumulators. A job that ended on the cluster (stop-with-savepoint
 * during an update) is listed and described from what the cluster kept of it.
 */
import { hex128, planJson, type ExecutionState, type JobStatus, type JobState } from '@mfc/engine';
import { groupSummary, ioMetrics, type IOMetricsInfo } from './attempts.js';
import {
  currentJob,
  finishedJob,
  jobNotFound,
  JobView,
  requireKnownJob,
  type FinishedJob,
  type RestContext,
} from './context.js';
import { EXECUTION_STATES, JOB_STATUSES, stateCounts, type StateCounts } from './states.js';

// ---- wire types ------------------------------------------------------------------------------------

export interface JobIdWithStatus {
  id: string;
  status: JobStatus;
}

export interface JobsList {
  jobs: JobIdWithStatus[];
}

/** `tasks` of /jobs/overview: subtask counts with lowercase keys plus `total`. */
export type TaskCounts = Record<Lowercase<ExecutionState> | 'total', number>;

export interface JobOverview {
  jid: string;
  name: string;
  state: JobStatus;
  'start-time': number;
  'end-time': number;
  duration: number;
  'last-modification': number;
  tasks: TaskCounts;
  'pending-operators': number;
}

export interface JobsOverview {
  jobs: JobOverview[];
}

export interface PlanInput {
  num: number;
  id: string;
  ship_strategy: string;
  exchange: string;
}

export interface PlanNode {
  id: string;
  parallelism: number;
  operator: string;
  operator_strategy: string;
  description: string;
  inputs?: PlanInput[];
  optimizer_properties: Record<string, never>;
}

export interface Plan {
  jid: string;
  name: string;
  type: 'STREAMING' | 'BATCH';
  nodes: PlanNode[];
}

export interface JobVertexSummary {
  id: string;
  /** A hex string on the wire (the spec shows an object). */
  slotSharingGroupId: string;
  name: string;
  maxParallelism: number;
  parallelism: number;
  status: ExecutionState;
  'start-time': number;
  'end-time': number;
  duration: number;
  tasks: StateCounts;
  metrics: IOMetricsInfo;
}

export interface JobDetails {
  jid: string;
  name: string;
  isStoppable: boolean;
  state: JobStatus;
  'job-type': 'STREAMING';
  'start-time': number;
  'end-time': number;
  duration: number;
  maxParallelism: number;
  now: number;
  timestamps: Record<JobStatus, number>;
  vertices: JobVertexSummary[];
  'status-counts': StateCounts;
  plan: Plan;
  'pending-operators': number;
}

export interface JobConfig {
  jid: string;
  name: string;
  'execution-config': {
    'restart-strategy': string;
    'job-parallelism': number;
    'object-reuse-mode': boolean;
    'user-config': Record<string, string>;
  };
}

export interface JobAccumulators {
  'job-accumulators': unknown[];
  'user-task-accumulators': { name: string; type: string; value: string }[];
  'serialized-user-task-accumulators': Record<string, unknown>;
}

// ---- helpers ---------------------------------------------------------------------------------------

function taskCounts(states: readonly ExecutionState[]): TaskCounts {
  const counts = stateCounts(states);
  const out = { total: states.length } as TaskCounts;
  for (const s of EXECUTION_STATES) out[s.toLowerCase() as Lowercase<ExecutionState>] = counts[s];
  return out;
}

const subtaskStates = (job: JobState) => job.vertices.flatMap((v) => v.subtasks.map((s) => s.state));

function jobDuration(start: number, end: number, now: number): number {
  return (end >= 0 ? end : now) - start;
}

/** The vertices a finished job had, as the event log registered them (empty after an emulator restart). */
function finishedVertices(ctx: RestContext, job: FinishedJob) {
  return ctx.engine.telemetry.logs.get(ctx.app.key)?.jobs[job.jid]?.vertices ?? [];
}

/** Flink's default max parallelism (the engine's rule): 1.5 × parallelism rounded up to a power of two, 128 at least. */
function defaultMaxParallelism(parallelism: number): number {
  let p = 1;
  while (p < Math.ceil(parallelism * 1.5)) p *= 2;
  return Math.min(32768, Math.max(128, p));
}

/** Every subtask of a finished job ended with the job. */
function finalState(status: JobStatus): ExecutionState {
  return status === 'FINISHED' ? 'FINISHED' : status === 'FAILED' ? 'FAILED' : 'CANCELED';
}

function allJobs(ctx: RestContext): { jid: string; status: JobStatus }[] {
  const live = ctx.cluster.job ? [{ jid: ctx.cluster.job.jid, status: ctx.cluster.job.status }] : [];
  return [...live, ...[...ctx.cluster.finishedJobs].reverse()];
}

// ---- handlers --------------------------------------------------------------------------------------

export function jobsList(ctx: RestContext): JobsList {
  return { jobs: allJobs(ctx).map((j) => ({ id: j.jid, status: j.status })) };
}

function liveJobOverview(view: JobView): JobOverview {
  const { job, now } = view;
  const lastChange = Math.max(
    job.startTime,
    ...Object.values(job.statusTimestamps),
    ...job.vertices.flatMap((v) => v.subtasks.flatMap((s) => Object.values(s.timestamps))),
  );
  return {
    jid: job.jid,
    name: job.name,
    state: job.status,
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: jobDuration(job.startTime, job.endTime, now),
    'last-modification': lastChange,
    tasks: taskCounts(subtaskStates(job)),
    'pending-operators': 0,
  };
}

function finishedJobOverview(ctx: RestContext, job: FinishedJob): JobOverview {
  const vertices = finishedVertices(ctx, job);
  const state = finalState(job.status);
  return {
    jid: job.jid,
    name: job.name,
    state: job.status,
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: job.endTime - job.startTime,
    'last-modification': job.endTime,
    tasks: taskCounts(vertices.flatMap((v) => Array<ExecutionState>(v.parallelism).fill(state))),
    'pending-operators': 0,
  };
}

export function jobsOverview(ctx: RestContext): JobsOverview {
  const live = ctx.cluster.job ? [liveJobOverview(new JobView(ctx.cluster.job, ctx.cluster, ctx.now))] : [];
  const ended = [...ctx.cluster.finishedJobs].reverse().map((j) => finishedJobOverview(ctx, j));
  return { jobs: [...live, ...ended] };
}

export function jobPlan(job: JobState): Plan {
  return planJson(job.jid, job.name, { vertices: job.vertices, uids: [] }) as Plan;
}

/** Every JobStatus key; 0 for states the job never entered, as Flink writes them. */
function statusTimestamps(stamps: Partial<Record<JobStatus, number>>): Record<JobStatus, number> {
  return Object.fromEntries(JOB_STATUSES.map((s) => [s, stamps[s] ?? 0])) as Record<JobStatus, number>;
}

/** Flink's default slot sharing group: one id shared by every vertex of the job. */
const slotSharingGroupId = (jid: string) => hex128(`slot-sharing-group:default:${jid}`);

function liveJobDetails(view: JobView): JobDetails {
  const { job, now } = view;
  const vertices: JobVertexSummary[] = job.vertices.map((v, vi) => {
    const summary = groupSummary(
      view,
      vi,
      v.subtasks.map((_, i) => i),
    );
    return {
      id: v.id,
      slotSharingGroupId: slotSharingGroupId(job.jid),
      name: v.name,
      maxParallelism: v.maxParallelism,
      parallelism: v.parallelism,
      status: summary.status,
      'start-time': summary['start-time'],
      'end-time': summary['end-time'],
      duration: summary.duration,
      tasks: stateCounts(v.subtasks.map((s) => s.state)),
      metrics: summary.metrics,
    };
  });
  return {
    jid: job.jid,
    name: job.name,
    isStoppable: false,
    state: job.status,
    'job-type': 'STREAMING',
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: jobDuration(job.startTime, job.endTime, now),
    // The job-wide setting, unset (-1) unless the program configures it.
    maxParallelism: -1,
    now,
    timestamps: statusTimestamps(job.statusTimestamps),
    vertices,
    'status-counts': stateCounts(vertices.map((v) => v.status)),
    plan: jobPlan(job),
    'pending-operators': 0,
  };
}

/**
 * A finished job keeps its name, times and vertices (from the event log); its edges are not kept, so the
 * plan lists the vertices without inputs.
 */
function finishedJobDetails(ctx: RestContext, job: FinishedJob): JobDetails {
  const state = finalState(job.status);
  const vertices: JobVertexSummary[] = finishedVertices(ctx, job).map((v) => ({
    id: v.id,
    slotSharingGroupId: slotSharingGroupId(job.jid),
    name: v.name,
    maxParallelism: defaultMaxParallelism(v.parallelism),
    parallelism: v.parallelism,
    status: state,
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: job.endTime - job.startTime,
    tasks: stateCounts(Array<ExecutionState>(v.parallelism).fill(state)),
    metrics: ioMetrics(undefined),
  }));
  return {
    jid: job.jid,
    name: job.name,
    isStoppable: false,
    state: job.status,
    'job-type': 'STREAMING',
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: job.endTime - job.startTime,
    maxParallelism: -1,
    now: ctx.now,
    timestamps: statusTimestamps({ RUNNING: job.startTime, [job.status]: job.endTime }),
    vertices,
    'status-counts': stateCounts(vertices.map((v) => v.status)),
    plan: {
      jid: job.jid,
      name: job.name,
      type: 'STREAMING',
      nodes: vertices.map((v) => ({
        id: v.id,
        parallelism: v.parallelism,
        operator: '',
        operator_strategy: '',
        description: v.name,
        optimizer_properties: {},
      })),
    },
    'pending-operators': 0,
  };
}

export function jobDetails(ctx: RestContext): JobDetails {
  const view = currentJob(ctx);
  if (view) return liveJobDetails(view);
  const ended = finishedJob(ctx);
  if (ended) return finishedJobDetails(ctx, ended);
  throw jobNotFound(ctx.params.jobid);
}

export function jobStatus(ctx: RestContext): { status: JobStatus } {
  const view = currentJob(ctx);
  const status = view?.job.status ?? finishedJob(ctx)?.status;
  if (!status) throw jobNotFound(ctx.params.jobid);
  return { status };
}

export function jobPlanResource(ctx: RestContext): { plan: Plan } {
  return { plan: jobDetails(ctx).plan };
}

export function jobConfig(ctx: RestContext): JobConfig {
  const view = currentJob(ctx);
  const ended = view ? undefined : finishedJob(ctx);
  if (!view && !ended) throw jobNotFound(ctx.params.jobid);
  const parallelism = view
    ? Math.max(...view.job.vertices.map((v) => v.parallelism))
    : Math.max(1, ...finishedVertices(ctx, ended!).map((v) => v.parallelism));
  return {
    jid: view?.job.jid ?? ended!.jid,
    name: view?.job.name ?? ended!.name,
    'execution-config': {
      // The managed service sets the restart strategy for the cluster, not in the program.
      'restart-strategy': 'Cluster level default restart strategy',
      'job-parallelism': parallelism,
      'object-reuse-mode': false,
      'user-config': {},
    },
  };
}

export function jobAccumulators(ctx: RestContext): JobAccumulators {
  requireKnownJob(ctx);
  return { 'job-accumulators': [], 'user-task-accumulators': [], 'serialized-user-task-accumulators': {} };
}
