/**
 * Server events → query cache. Small facts (a status, an operation's phases, subtask states) are written
 * into the cached data at once, so the screen moves with the service; anything bigger is invalidated and
 * refetched only if a mounted screen uses it.
 */
import {
  allowedActions,
  decodeSubtaskRuns,
  type ApplicationView,
  type ExecutionState,
  type FleetResponse,
  type JobView,
  type OperationView,
  type OperationsResponse,
  type ServerEvent,
  type SnapshotsResponse,
  type SubtasksView,
} from '@mfc/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { fetchedWithin } from './freshness';
import { qk } from './keys';
import { FLEET_REFRESH_MS, JOB_REFRESH_MS, markAdviceStale, VERTEX_REFRESH_MS } from './queries';

/** Flink's aggregate of a vertex's subtask states (ExecutionJobVertex.getAggregateJobVertexState). */
export function aggregateVertexState(states: readonly string[]): string {
  const has = (s: ExecutionState) => states.includes(s);
  if (has('FAILED')) return 'FAILED';
  if (has('CANCELING')) return 'CANCELING';
  if (has('CANCELED')) return 'CANCELED';
  if (has('INITIALIZING')) return 'INITIALIZING';
  if (has('RUNNING')) return 'RUNNING';
  if (has('FINISHED')) return states.every((s) => s === 'FINISHED') ? 'FINISHED' : 'RUNNING';
  return 'CREATED';
}

function sameStates(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A job event with its subtask states decoded from runs: the states per vertex id, one per subtask. */
export interface JobPatch {
  jobState?: string;
  restarts?: number;
  subtasks: Record<string, string[]>;
}

/** The event's states, or undefined when its runs do not decode (the view is then read again). */
export function decodeJobEvent(event: Extract<ServerEvent, { type: 'job' }>): JobPatch | undefined {
  const subtasks: Record<string, string[]> = {};
  try {
    for (const [id, runs] of Object.entries(event.subtaskRuns)) subtasks[id] = decodeSubtaskRuns(runs);
  } catch {
    return undefined;
  }
  return { jobState: event.jobState, restarts: event.restarts, subtasks };
}

/**
 * The job view with new subtask states, or 'refetch' when the event does not fit it (a new job graph).
 * Vertices whose states did not change keep their objects (and the view itself when nothing changed), so
 * only the vertices that moved render again: with 64 vertices × 256 subtasks, an event names them all.
 */
export function patchJob(job: JobView | undefined, patch: JobPatch): JobView | 'refetch' | undefined {
  const ids = Object.keys(patch.subtasks);
  if (!job || !job.available || ids.length === 0) return 'refetch';
  const known = new Set(job.vertices.map((v) => v.id));
  if (ids.some((id) => !known.has(id))) return 'refetch';
  let changed = false;
  const vertices = job.vertices.map((v) => {
    const states = patch.subtasks[v.id];
    if (!states || sameStates(states, v.subtaskStates)) return v;
    changed = true;
    return {
      ...v,
      subtaskStates: states as ExecutionState[],
      parallelism: states.length,
      status: aggregateVertexState(states),
    };
  });
  const state = patch.jobState ?? job.state;
  const restarts = patch.restarts ?? job.restarts;
  if (!changed && state === job.state && restarts === job.restarts) return job;
  return { ...job, state, restarts, vertices: changed ? vertices : job.vertices };
}

function upsertOperation(list: OperationView[], op: OperationView): OperationView[] {
  const i = list.findIndex((o) => o.id === op.id);
  if (i === -1) return [...list, op];
  const next = list.slice();
  // Events do not carry the downtime (the BFF reads it from the log for the list): keep what is known.
  const downtime = op.downtime ?? list[i]!.downtime;
  next[i] = downtime ? { ...op, downtime } : op;
  return next;
}

/** The last operation id and status seen per application, per cache. */
const lastOperation = new WeakMap<QueryClient, Map<string, string>>();

/**
 * The BFF repeats an operation's event when only its phases moved (subtasks coming up, or a job restarting
 * long after the operation ended): the application is refetched only when the operation itself changed
 * (a new one, or a new status), not on every repeat.
 */
function operationChanged(qc: QueryClient, name: string, op: OperationView): boolean {
  let seen = lastOperation.get(qc);
  if (!seen) lastOperation.set(qc, (seen = new Map()));
  const sig = `${op.id}:${op.status}`;
  const prev = seen.get(name);
  seen.set(name, sig);
  if (prev !== undefined) return prev !== sig;
  const app = qc.getQueryData<ApplicationView>(qk.app(name));
  const fleetEntry = qc.getQueryData<FleetResponse>(qk.fleet)?.applications.find((a) => a.name === name);
  const known = [app?.currentOperation, app?.lastOperation, fleetEntry?.lastOperation].find((o) => o?.id === op.id);
  return !known || known.status !== op.status;
}

/** Invalidate without cancelling a fetch in flight: a burst of events makes one request, not one each. */
function invalidate(qc: QueryClient, queryKey: readonly unknown[], exact = false): void {
  void qc.invalidateQueries({ queryKey, exact }, { cancelRefetch: false });
}

export function applyServerEvent(qc: QueryClient, event: ServerEvent): void {
  switch (event.type) {
    case 'application': {
      const name = event.application;
      if (event.deleted) {
        qc.setQueryData<FleetResponse>(qk.fleet, (f) =>
          f ? { ...f, applications: f.applications.filter((a) => a.name !== name) } : f,
        );
        // The application page refetches and shows that the application is gone.
        invalidate(qc, qk.app(name));
        invalidate(qc, qk.keys);
        return;
      }
      let inFleet = false;
      qc.setQueryData<FleetResponse>(qk.fleet, (f) => {
        if (!f) return f;
        return {
          ...f,
          applications: f.applications.map((a) => {
            if (a.name !== name) return a;
            inFleet = true;
            return {
              ...a,
              ...(event.status ? { status: event.status } : {}),
              ...(event.versionId !== undefined ? { versionId: event.versionId } : {}),
            };
          }),
        };
      });
      if (!inFleet) invalidate(qc, qk.fleet);
      const before = qc.getQueryData<ApplicationView>(qk.app(name));
      if (before) {
        qc.setQueryData<ApplicationView>(qk.app(name), {
          ...before,
          ...(event.status ? { status: event.status, allowedActions: allowedActions(event.status) } : {}),
          ...(event.versionId !== undefined ? { versionId: event.versionId } : {}),
        });
        if (event.versionId !== undefined && event.versionId !== before.versionId) invalidate(qc, qk.versions(name));
      }
      // The rest (attention, encryption in effect, last operation) is recomputed by the BFF.
      invalidate(qc, qk.app(name), true);
      // A new status or version makes the kept advice out of date (an open Advice section reads it again).
      if (event.status || event.versionId !== undefined) {
        markAdviceStale(name);
        invalidate(qc, qk.advice(name));
      }
      return;
    }
    case 'operation': {
      const name = event.application;
      const op = event.operation;
      const running = op.status === 'IN_PROGRESS';
      const changed = operationChanged(qc, name, op);
      qc.setQueryData<ApplicationView>(qk.app(name), (a) => {
        if (!a) return a;
        if (running) return { ...a, currentOperation: op };
        const { currentOperation, ...rest } = a;
        return {
          ...rest,
          ...(currentOperation && currentOperation.id !== op.id ? { currentOperation } : {}),
          lastOperation: op,
        };
      });
      // The BFF reports the newest operation only: when one begins as another ends (a system rollback right
      // after a failed update), the end of the first is never sent. The service runs one operation at a
      // time, so another operation still IN_PROGRESS in the cache is stale: the list is read again.
      let stale = false;
      qc.setQueryData<OperationsResponse>(qk.operations(name), (r) => {
        if (!r) return r;
        stale = r.operations.some((o) => o.id !== op.id && o.status === 'IN_PROGRESS');
        return { operations: upsertOperation(r.operations, op) };
      });
      if (stale) invalidate(qc, qk.operations(name));
      if (!running && changed) {
        invalidate(qc, qk.app(name), true);
        invalidate(qc, qk.fleet);
        invalidate(qc, qk.operations(name));
      }
      return;
    }
    case 'snapshot': {
      const name = event.application;
      qc.setQueryData<SnapshotsResponse>(qk.snapshots(name), (r) => {
        if (!r) return r;
        if (event.deleted) {
          const snapshots = r.snapshots.filter((s) => s.name !== event.name);
          return {
            snapshots,
            quota: { ...r.quota, used: Math.max(0, r.quota.used - (r.snapshots.length - snapshots.length)) },
          };
        }
        if (event.snapshot) {
          const exists = r.snapshots.some((s) => s.name === event.name);
          return {
            snapshots: exists
              ? r.snapshots.map((s) => (s.name === event.name ? event.snapshot! : s))
              : [...r.snapshots, event.snapshot],
            quota: exists ? r.quota : { ...r.quota, used: r.quota.used + 1 },
          };
        }
        return r;
      });
      invalidate(qc, qk.snapshots(name));
      invalidate(qc, qk.keys);
      return;
    }
    case 'job': {
      const name = event.application;
      const patch = decodeJobEvent(event);
      if (!patch) return invalidate(qc, qk.job(name));
      const before = qc.getQueryData<JobView>(qk.job(name));
      const next = patchJob(before, patch);
      if (next === 'refetch') invalidate(qc, qk.job(name));
      else if (next) {
        qc.setQueryData<JobView>(qk.job(name), next);
        // Restarts, rates and the latest exception are not in the event: refresh them, at most this often.
        if (!fetchedWithin(qk.job(name), JOB_REFRESH_MS)) invalidate(qc, qk.job(name));
      }
      // An open subtasks table shows the new states at once (its attempts and durations refresh on their own).
      for (const [vertexId, states] of Object.entries(patch.subtasks))
        qc.setQueryData<SubtasksView>(qk.vertex(name, vertexId), (v) =>
          v && v.subtasks.length === states.length
            ? { ...v, subtasks: v.subtasks.map((row, i) => ({ ...row, state: states[i] as ExecutionState })) }
            : v,
        );
      for (const q of qc.getQueryCache().findAll({ queryKey: [...qk.job(name), 'vertex'], type: 'active' }))
        if (!fetchedWithin(q.queryKey, VERTEX_REFRESH_MS)) invalidate(qc, q.queryKey, true);
      let total = 0;
      let running = 0;
      for (const states of Object.values(patch.subtasks)) {
        total += states.length;
        for (const s of states) if (s === 'RUNNING') running++;
      }
      // The fleet (1,000 rows, sorted) is replaced only when this application's figures moved.
      qc.setQueryData<FleetResponse>(qk.fleet, (f) => {
        const i = f ? f.applications.findIndex((a) => a.name === name) : -1;
        if (!f || i === -1) return f;
        const a = f.applications[i]!;
        const h = a.jobHealth;
        const jobStatus = event.jobState ?? h.jobStatus;
        if (
          total === 0
            ? h.subtasksTotal === undefined
            : h.subtasksTotal === total &&
              h.subtasksRunning === running &&
              h.jobStatus === jobStatus &&
              h.source === 'dashboard'
        )
          return f;
        const applications = f.applications.slice();
        applications[i] = {
          ...a,
          jobHealth:
            total === 0
              ? { ...h, subtasksRunning: undefined, subtasksTotal: undefined }
              : {
                  ...h,
                  source: 'dashboard' as const,
                  ...(event.jobState ? { jobStatus: event.jobState } : {}),
                  subtasksRunning: running,
                  subtasksTotal: total,
                },
        };
        return { ...f, applications };
      });
      // The fleet's counters (restarts in the last 5 minutes) move with the job: refresh them, throttled.
      if (!fetchedWithin(qk.fleet, FLEET_REFRESH_MS)) invalidate(qc, qk.fleet);
      return;
    }
    case 'alarm':
      // Small and rare: the fleet's column and the named applications' alarm views read again.
      invalidate(qc, qk.alarmSummary);
      for (const name of event.applications) invalidate(qc, ['app', name, 'alarms']);
      return;
    case 'fleet':
      invalidate(qc, qk.fleet);
      // The named applications' details or health signals changed: an open header refetches too.
      for (const name of event.changed) {
        invalidate(qc, qk.app(name), true);
        // The advisor's background read changed its findings: an open Advice section shows them.
        invalidate(qc, qk.advice(name));
      }
      return;
  }
}
