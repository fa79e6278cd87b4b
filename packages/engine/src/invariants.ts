/**
 * Properties the stored state must always have, whatever requests arrived and whenever the process died.
 * Fuzzing and crash-recovery tests check them; an empty list means the state is sound.
 */
import type { ApplicationStatus } from '@aws-sdk/client-kinesis-analytics-v2';
import type { Engine } from './engine.js';
import { OP_STEP_EVENT } from './service/workflows.js';

const STATUSES: ApplicationStatus[] = [
  'DELETING',
  'STARTING',
  'STOPPING',
  'READY',
  'RUNNING',
  'UPDATING',
  'AUTOSCALING',
  'FORCE_STOPPING',
  'ROLLING_BACK',
  'MAINTENANCE',
];
const STEADY = new Set<ApplicationStatus>(['READY', 'RUNNING']);

export function checkInvariants(engine: Engine): string[] {
  const problems: string[] = [];
  const { store, scheduler } = engine;
  const stepEvents = new Set(
    scheduler
      .events()
      .filter((e) => e.type === OP_STEP_EVENT)
      .map((e) => (e.payload as { opId: string }).opId),
  );
  for (const app of store.apps.values()) {
    const where = `application ${app.key}`;
    if (!STATUSES.includes(app.status)) problems.push(`${where}: illegal status ${app.status}`);
    const versions = store.versions
      .list(app.key)
      .map((v) => v.versionId)
      .sort((a, b) => a - b);
    if (versions.length !== app.versionId || versions.some((v, i) => v !== i + 1))
      problems.push(`${where}: versions ${versions.join(',')} are not 1..${app.versionId}`);
    const inProgress = store.operations.list(app.key).filter((o) => o.status === 'IN_PROGRESS');
    for (const s of store.snapshots.list(app.key)) {
      if (!versions.includes(s.versionId))
        problems.push(`${where}: snapshot ${s.name} points at missing version ${s.versionId}`);
      // A service snapshot is finished by the operation taking it; a manual one by its own event.
      const finisher = scheduler.has(s.pendingEventId) || inProgress.some((o) => o.snapshotName === s.name);
      if ((s.status === 'CREATING' || s.status === 'DELETING') && !finisher)
        problems.push(`${where}: snapshot ${s.name} is ${s.status} with nothing scheduled to finish it`);
    }
    for (const op of inProgress)
      if (!stepEvents.has(op.id))
        problems.push(`${where}: operation ${op.id} (${op.operation}) is IN_PROGRESS with no scheduled step`);
    if (inProgress.length > 1) problems.push(`${where}: ${inProgress.length} operations in progress at once`);
    if (!STEADY.has(app.status) && inProgress.length === 0)
      problems.push(`${where}: transient status ${app.status} with no operation in progress`);
    if (STEADY.has(app.status) && inProgress.length > 0)
      problems.push(`${where}: steady status ${app.status} with operation ${inProgress[0]!.id} in progress`);
    if (app.currentOperationId && !inProgress.some((o) => o.id === app.currentOperationId))
      problems.push(`${where}: current operation ${app.currentOperationId} is not in progress`);
    const cluster = store.clusters.get(app.key);
    if (app.status === 'READY' && cluster?.job) problems.push(`${where}: READY with a running job ${cluster.job.jid}`);
    if (app.status === 'RUNNING' && !cluster?.job) problems.push(`${where}: RUNNING without a job`);
  }
  for (const key of store.clusters.values() ? [...store.clusters.entries()].map(([k]) => k) : [])
    if (!store.apps.has(key)) problems.push(`cluster ${key} belongs to no application`);
  return problems;
}
