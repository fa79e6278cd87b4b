import type {
  ApplicationView,
  FleetResponse,
  JobView,
  OperationView,
  OperationsResponse,
  SnapshotsResponse,
} from '@mfc/contracts';
import { encodeSubtaskRuns } from '@mfc/contracts';
import { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { aggregateVertexState, applyServerEvent, patchJob } from '../src/api/cache';
import { markFetched } from '../src/api/freshness';
import { qk } from '../src/api/keys';
import { FLEET_REFRESH_MS, JOB_REFRESH_MS } from '../src/api/queries';
import { appView, fleetApp, jobView, VA, VB } from './fixtures';

/** Subtask states per vertex as a job event carries them. */
const runs = (states: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(states).map(([id, s]) => [id, encodeSubtaskRuns(s)]));

let qc: QueryClient;
const stale = (key: readonly unknown[]) => qc.getQueryState(key)?.isInvalidated ?? false;

beforeEach(() => {
  qc = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  qc.setQueryData<FleetResponse>(qk.fleet, {
    generatedAt: 0,
    applications: [fleetApp('orders-enricher'), fleetApp('inventory-aggregator', { status: 'READY' })],
  });
  qc.setQueryData<ApplicationView>(qk.app('inventory-aggregator'), appView('inventory-aggregator', 'READY'));
});

const op = (over: Partial<OperationView>): OperationView => ({
  id: 'op1',
  operation: 'StartApplication',
  status: 'IN_PROGRESS',
  startTime: 10,
  phases: [
    { name: 'provisioning', state: 'done' },
    { name: 'restoring', state: 'active' },
  ],
  progress: 0.4,
  ...over,
});

describe('application events', () => {
  it('write the new status into the fleet and the application at once', () => {
    applyServerEvent(qc, {
      type: 'application',
      application: 'inventory-aggregator',
      status: 'STARTING',
      versionId: 2,
    });
    const fleet = qc.getQueryData<FleetResponse>(qk.fleet)!;
    expect(fleet.applications.find((a) => a.name === 'inventory-aggregator')?.status).toBe('STARTING');
    const app = qc.getQueryData<ApplicationView>(qk.app('inventory-aggregator'))!;
    expect(app.status).toBe('STARTING');
    // Buttons follow the status without waiting for the refetch.
    expect(app.allowedActions.start.allowed).toBe(false);
    expect(app.allowedActions.forceStop.allowed).toBe(true);
    // The rest of the view is refetched.
    expect(stale(qk.app('inventory-aggregator'))).toBe(true);
  });

  it('remove a deleted application from the fleet', () => {
    applyServerEvent(qc, { type: 'application', application: 'orders-enricher', deleted: true });
    const fleet = qc.getQueryData<FleetResponse>(qk.fleet)!;
    expect(fleet.applications.map((a) => a.name)).toEqual(['inventory-aggregator']);
  });

  it('refetch the fleet for an application it does not know yet', () => {
    applyServerEvent(qc, { type: 'application', application: 'new-app', status: 'READY' });
    expect(stale(qk.fleet)).toBe(true);
  });
});

describe('operation events', () => {
  it('show an operation in progress with its phases', () => {
    applyServerEvent(qc, { type: 'operation', application: 'inventory-aggregator', operation: op({}) });
    const app = qc.getQueryData<ApplicationView>(qk.app('inventory-aggregator'))!;
    expect(app.currentOperation?.progress).toBe(0.4);
    expect(app.currentOperation?.phases?.at(-1)).toEqual({ name: 'restoring', state: 'active' });
  });

  it('move a finished operation to lastOperation and refresh the application', () => {
    qc.setQueryData<OperationsResponse>(qk.operations('inventory-aggregator'), { operations: [op({})] });
    applyServerEvent(qc, { type: 'operation', application: 'inventory-aggregator', operation: op({}) });
    applyServerEvent(qc, {
      type: 'operation',
      application: 'inventory-aggregator',
      operation: op({ status: 'SUCCESSFUL', endTime: 20, progress: 1 }),
    });
    const app = qc.getQueryData<ApplicationView>(qk.app('inventory-aggregator'))!;
    expect(app.currentOperation).toBeUndefined();
    expect(app.lastOperation?.status).toBe('SUCCESSFUL');
    const ops = qc.getQueryData<OperationsResponse>(qk.operations('inventory-aggregator'))!;
    expect(ops.operations).toHaveLength(1);
    expect(ops.operations[0]!.status).toBe('SUCCESSFUL');
    expect(stale(qk.app('inventory-aggregator'))).toBe(true);
    expect(stale(qk.fleet)).toBe(true);
    // The list is refetched for what only it carries (the downtime read from the log).
    expect(stale(qk.operations('inventory-aggregator'))).toBe(true);
  });

  it('keep the downtime the list knows when an event updates the operation', () => {
    const downtime = { start: 12, end: 15 };
    qc.setQueryData<OperationsResponse>(qk.operations('inventory-aggregator'), {
      operations: [op({ downtime })],
    });
    applyServerEvent(qc, { type: 'operation', application: 'inventory-aggregator', operation: op({ progress: 0.8 }) });
    const ops = qc.getQueryData<OperationsResponse>(qk.operations('inventory-aggregator'))!;
    expect(ops.operations[0]).toMatchObject({ progress: 0.8, downtime });
  });

  it('do not refetch when the BFF repeats an operation whose status did not change', () => {
    const done = op({ status: 'SUCCESSFUL', endTime: 20, progress: 1 });
    qc.setQueryData<ApplicationView>(qk.app('inventory-aggregator'), {
      ...appView('inventory-aggregator', 'RUNNING'),
      lastOperation: done,
    });
    applyServerEvent(qc, { type: 'operation', application: 'inventory-aggregator', operation: done });
    applyServerEvent(qc, { type: 'operation', application: 'inventory-aggregator', operation: done });
    expect(stale(qk.app('inventory-aggregator'))).toBe(false);
    expect(stale(qk.fleet)).toBe(false);
    // A new operation does.
    applyServerEvent(qc, {
      type: 'operation',
      application: 'inventory-aggregator',
      operation: op({ id: 'op2', status: 'FAILED', endTime: 30, errorString: 'boom' }),
    });
    expect(stale(qk.app('inventory-aggregator'))).toBe(true);
  });

  it('refetch the list when a new operation arrives while another is still in progress in it', () => {
    // A failed update followed at once by the system rollback: the BFF only reports the rollback.
    qc.setQueryData<OperationsResponse>(qk.operations('inventory-aggregator'), {
      operations: [op({ id: 'update', status: 'IN_PROGRESS' })],
    });
    applyServerEvent(qc, {
      type: 'operation',
      application: 'inventory-aggregator',
      operation: op({ id: 'rollback', status: 'IN_PROGRESS' }),
    });
    const ops = qc.getQueryData<OperationsResponse>(qk.operations('inventory-aggregator'))!;
    expect(ops.operations.map((o) => o.id)).toEqual(['update', 'rollback']);
    expect(stale(qk.operations('inventory-aggregator'))).toBe(true);
  });

  it('do not refetch the list for the progress of the one operation in progress', () => {
    qc.setQueryData<OperationsResponse>(qk.operations('inventory-aggregator'), { operations: [op({})] });
    applyServerEvent(qc, { type: 'operation', application: 'inventory-aggregator', operation: op({}) });
    expect(stale(qk.operations('inventory-aggregator'))).toBe(false);
  });
});

describe('snapshot events', () => {
  it('drop a deleted snapshot and refetch the list', () => {
    qc.setQueryData<SnapshotsResponse>(qk.snapshots('inventory-aggregator'), {
      quota: { used: 2, limit: 1000 },
      snapshots: ['a', 'b'].map((name) => ({
        name,
        status: 'READY',
        versionId: 1,
        createdAt: 1,
        encryption: { keyType: 'AWS_OWNED_KEY' },
        flags: [],
      })),
    });
    applyServerEvent(qc, { type: 'snapshot', application: 'inventory-aggregator', name: 'a', deleted: true });
    const r = qc.getQueryData<SnapshotsResponse>(qk.snapshots('inventory-aggregator'))!;
    expect(r.snapshots.map((s) => s.name)).toEqual(['b']);
    expect(r.quota.used).toBe(1);
    expect(stale(qk.snapshots('inventory-aggregator'))).toBe(true);
  });
});

describe('job events', () => {
  it('patch subtask states into the cached job graph without a refetch', () => {
    qc.setQueryData<JobView>(
      qk.job('orders-enricher'),
      jobView({ a: ['RUNNING', 'RUNNING'], b: ['RUNNING', 'RUNNING'] }),
    );
    markFetched(qk.job('orders-enricher'));
    markFetched(qk.fleet);
    applyServerEvent(qc, {
      type: 'job',
      application: 'orders-enricher',
      jobState: 'RESTARTING',
      subtaskRuns: runs({ [VA]: ['CANCELING', 'RUNNING'], [VB]: ['FAILED', 'CANCELED'] }),
    });
    const job = qc.getQueryData<JobView>(qk.job('orders-enricher'))!;
    expect(job.available && job.state).toBe('RESTARTING');
    expect(job.available && job.vertices[0]!.subtaskStates).toEqual(['CANCELING', 'RUNNING']);
    expect(job.available && job.vertices[0]!.status).toBe('CANCELING');
    expect(job.available && job.vertices[1]!.status).toBe('FAILED');
    expect(stale(qk.job('orders-enricher'))).toBe(false);
    const fleet = qc.getQueryData<FleetResponse>(qk.fleet)!;
    expect(fleet.applications[0]!.jobHealth).toMatchObject({
      subtasksRunning: 1,
      subtasksTotal: 4,
      jobStatus: 'RESTARTING',
    });
  });

  it('refresh the job view and the fleet counters, throttled, while events keep coming', () => {
    vi.useFakeTimers();
    try {
      qc.setQueryData<JobView>(qk.job('orders-enricher'), jobView({ a: ['RUNNING'], b: ['RUNNING'] }));
      markFetched(qk.job('orders-enricher'));
      markFetched(qk.fleet);
      const event = {
        type: 'job' as const,
        application: 'orders-enricher',
        subtaskRuns: runs({ [VA]: ['FAILED'], [VB]: ['RUNNING'] }),
      };
      applyServerEvent(qc, event);
      expect(stale(qk.job('orders-enricher'))).toBe(false);
      vi.advanceTimersByTime(JOB_REFRESH_MS);
      applyServerEvent(qc, event);
      expect(stale(qk.job('orders-enricher'))).toBe(true);
      expect(stale(qk.fleet)).toBe(false);
      vi.advanceTimersByTime(FLEET_REFRESH_MS);
      applyServerEvent(qc, event);
      expect(stale(qk.fleet)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('read the job again, rather than patch it, when the runs of an event do not decode', () => {
    qc.setQueryData<JobView>(qk.job('orders-enricher'), jobView({ a: ['RUNNING'], b: ['RUNNING'] }));
    markFetched(qk.job('orders-enricher'));
    const before = qc.getQueryData<JobView>(qk.job('orders-enricher'));
    applyServerEvent(qc, { type: 'job', application: 'orders-enricher', subtaskRuns: { [VA]: 'R0', [VB]: 'R' } });
    expect(qc.getQueryData<JobView>(qk.job('orders-enricher'))).toBe(before);
    expect(stale(qk.job('orders-enricher'))).toBe(true);
  });

  it('refetch when the job graph changed shape or the job went away', () => {
    const before = jobView({ a: ['RUNNING'], b: ['RUNNING'] });
    expect(patchJob(before, { subtasks: { ['c'.repeat(32)]: ['RUNNING'] } })).toBe('refetch');
    expect(patchJob(before, { subtasks: {} })).toBe('refetch');
    expect(patchJob(undefined, { subtasks: { [VA]: ['RUNNING'] } })).toBe('refetch');
  });

  it('keep the vertices (and the view) an event did not change, so only those render again', () => {
    const before = jobView({ a: ['RUNNING', 'RUNNING'], b: ['RUNNING'] });
    const same = patchJob(before, {
      jobState: 'RUNNING',
      subtasks: { [VA]: ['RUNNING', 'RUNNING'], [VB]: ['RUNNING'] },
    });
    expect(same).toBe(before);
    const next = patchJob(before, {
      subtasks: { [VA]: ['RUNNING', 'FAILED'], [VB]: ['RUNNING'] },
    });
    if (next === 'refetch' || !next?.available || !before.available) throw new Error('expected a patched view');
    expect(next.vertices[0]).not.toBe(before.vertices[0]);
    expect(next.vertices[0]!.status).toBe('FAILED');
    expect(next.vertices[1]).toBe(before.vertices[1]);
  });

  it('leave the fleet alone when a job event does not move its counters', () => {
    const event = {
      type: 'job' as const,
      application: 'orders-enricher',
      jobState: 'RUNNING',
      subtaskRuns: runs({ [VA]: ['RUNNING'] }),
    };
    applyServerEvent(qc, event);
    const once = qc.getQueryData<FleetResponse>(qk.fleet);
    applyServerEvent(qc, event);
    expect(qc.getQueryData<FleetResponse>(qk.fleet)).toBe(once);
    applyServerEvent(qc, { ...event, subtaskRuns: runs({ [VA]: ['FAILED'] }) });
    expect(qc.getQueryData<FleetResponse>(qk.fleet)).not.toBe(once);
    expect(qc.getQueryData<FleetResponse>(qk.fleet)!.applications[0]!.jobHealth.subtasksRunning).toBe(0);
  });

  it('aggregates vertex state the way Flink does', () => {
    expect(aggregateVertexState(['RUNNING', 'RUNNING'])).toBe('RUNNING');
    expect(aggregateVertexState(['RUNNING', 'FAILED'])).toBe('FAILED');
    expect(aggregateVertexState(['RUNNING', 'INITIALIZING'])).toBe('INITIALIZING');
    expect(aggregateVertexState(['DEPLOYING', 'RUNNING'])).toBe('RUNNING');
    expect(aggregateVertexState(['FINISHED', 'FINISHED'])).toBe('FINISHED');
    expect(aggregateVertexState(['FINISHED', 'CREATED'])).toBe('RUNNING');
    expect(aggregateVertexState(['SCHEDULED'])).toBe('CREATED');
  });
});

describe('fleet events', () => {
  it('invalidate the fleet', () => {
    applyServerEvent(qc, { type: 'fleet', changed: ['orders-enricher'] });
    expect(stale(qk.fleet)).toBe(true);
  });

  it('refresh the header of an application they name (its health signals changed), and no other', () => {
    qc.setQueryData<ApplicationView>(qk.app('orders-enricher'), appView('orders-enricher'));
    qc.setQueryData<OperationsResponse>(qk.operations('orders-enricher'), { operations: [] });
    applyServerEvent(qc, { type: 'fleet', changed: ['orders-enricher'] });
    expect(stale(qk.app('orders-enricher'))).toBe(true);
    expect(stale(qk.operations('orders-enricher'))).toBe(false);
    expect(stale(qk.app('inventory-aggregator'))).toBe(false);
  });
});
