/**
 * Long operations as sequences of timed steps. Each step runs as a scheduled event (stored, so a
 * restarted emulator resumes it), does its work and says what comes next: a delay to the next step,
 * success, or failure with the ErrorInfo text. Status changes come only from the lifecycle table.
 */
import type { ApplicationStatus } from '@aws-sdk/client-kinesis-analytics-v2';
import { jobOptionsFromProperties } from '../flink/job-options.js';
import { parseCodePackage, faultOf, type Manifest } from '../flink/manifest.js';
import type { ServiceCore } from './core.js';
import { keyProblem } from './encryption.js';
import { requireTransition, type LifecycleAction } from './lifecycle.js';
import type {
  AppRecord,
  OperationName,
  OperationParams,
  OperationRecord,
  PhaseName,
  SnapshotRecord,
} from './records.js';
import { chooseSnapshot, planRestore } from './restore.js';

export const OP_STEP_EVENT = 'op.step';
export const SNAPSHOT_DONE_EVENT = 'snapshot.done';
export const SNAPSHOT_DELETE_EVENT = 'snapshot.delete';

interface StepPayload {
  appKey: string;
  opId: string;
  step: number;
}

type StepResult = { next: number; goto?: number } | { done: true } | { fail: string };
type Step = (w: StepContext) => StepResult;

const MB = 1024 * 1024;

/** What a step sees: the application, its operation and the engine's services. */
class StepContext {
  constructor(
    readonly core: ServiceCore,
    readonly app: AppRecord,
    readonly op: OperationRecord,
  ) {}

  get profile() {
    return this.core.env.profile;
  }

  get flink() {
    return this.core.flink;
  }

  phase(name: PhaseName): void {
    const now = this.core.now();
    const current = this.op.phases.at(-1);
    if (current?.name === name) return;
    if (current && current.endedAt === undefined) current.endedAt = now;
    this.op.phases.push({ name, startedAt: now });
  }

  manifest(): Manifest {
    return parseCodePackage(this.core.artifacts.blob(this.app.codeRef)).manifest;
  }

  flinkConfig() {
    return this.app.config.FlinkApplicationConfigurationDescription!;
  }

  snapshotsEnabled(): boolean {
    return this.app.config.ApplicationSnapshotConfigurationDescription?.SnapshotsEnabled !== false;
  }

  provision(): void {
    const p = this.flinkConfig().ParallelismConfigurationDescription!;
    this.flink.provision(
      this.app.key,
      this.app.currentParallelism,
      p.ParallelismPerKPU ?? 1,
      this.app.configuredKey.keyArn,
    );
  }

  savepointDuration(): number {
    const bytes = Object.values(this.flink.stateBytes(this.app.key)).reduce((a, b) => a + b, 0);
    return Math.round(this.profile.savepointBaseMs + this.profile.savepointPerMbMs * (bytes / MB));
  }

  /** Starts a service snapshot (CREATING) of the running job's state. */
  beginSnapshot(source: SnapshotRecord['source']): SnapshotRecord {
    const { core, app } = this;
    const name = `${source === 'stop' ? 'stop' : 'update'}-snapshot-${app.name.slice(0, 100)}-${core.nowSeconds() / 1000}`;
    const snapshot: SnapshotRecord = {
      name: uniqueName(core, app, name),
      status: 'CREATING',
      versionId: app.runningVersion ?? app.versionId,
      runtime: app.runtime,
      createdAt: core.nowSeconds(),
      key: app.effectiveKey ?? { keyType: 'AWS_OWNED_KEY' },
      operatorState: this.flink.stateBytes(app.key),
      source,
    };
    core.saveSnapshot(app, snapshot);
    this.op.snapshotName = snapshot.name;
    return snapshot;
  }

  /** Completes the operation's snapshot; returns the failure text if its key cannot be used. */
  finishSnapshot(): string | undefined {
    const { core, app, op } = this;
    const s = op.snapshotName ? core.snapshot(app, op.snapshotName) : undefined;
    if (!s) return undefined;
    const problem = keyProblem(core, s.key.keyArn);
    s.status = problem ? 'FAILED' : 'READY';
    core.saveSnapshot(app, s);
    if (problem) return `Snapshot ${s.name} failed: ${problem}`;
    this.flink.recordSavepoint(
      app.key,
      `s3://managed-flink-snapshots/${s.name}`,
      'SYNC_SAVEPOINT',
      op.phases.at(-1)?.startedAt ?? core.now(),
    );
    return undefined;
  }

  /** Checks the code package as the JobManager does when it receives it. */
  codeFault(): string | undefined {
    const m = this.manifest();
    if (faultOf(m, 'missing-main-class'))
      return `org.apache.flink.client.program.ProgramInvocationException: The program's entry point class '${m.mainClass}' was not found in the jar file.`;
    return undefined;
  }

  /** Runs main(), decides the state to restore and submits the job graph. */
  submit(snapshot: SnapshotRecord | undefined): string | undefined {
    const m = this.manifest();
    const throws = faultOf(m, 'main-throws');
    if (throws)
      return `org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: ${throws.exception ?? 'java.lang.RuntimeException'}`;
    const allow = this.app.run?.allowNonRestoredState ?? false;
    const outcome = planRestore(this.core, snapshot, m, allow);
    if (!outcome.ok) return outcome.error;
    const cp = this.flinkConfig().CheckpointConfigurationDescription!;
    this.flink.submit(this.app.key, m, {
      parallelism: this.app.currentParallelism,
      restore: outcome.plan.snapshot
        ? {
            state: outcome.plan.state,
            source: `s3://managed-flink-snapshots/${outcome.plan.snapshot.name}`,
            isSavepoint: true,
          }
        : undefined,
      checkpoint: {
        enabled: cp.CheckpointingEnabled !== false,
        interval: cp.CheckpointInterval ?? 60_000,
        minPause: cp.MinPauseBetweenCheckpoints ?? 5_000,
      },
      // main() applies the Flink options in the runtime properties of the version being deployed.
      options: jobOptionsFromProperties(this.app.config.EnvironmentPropertyDescriptions?.PropertyGroupDescriptions),
    });
    return undefined;
  }

  deploy(): void {
    this.flink.deploy(this.app.key);
    this.app.everStarted = true;
    this.app.runningVersion = this.app.versionId;
    this.app.effectiveKey = this.app.configuredKey;
  }
}

function uniqueName(core: ServiceCore, app: AppRecord, base: string): string {
  let name = base.slice(0, 256);
  for (let n = 2; core.snapshot(app, name); n++) name = `${base.slice(0, 250)}-${n}`;
  return name;
}

// ---- the workflows ---------------------------------------------------------------------------------

const START: Step[] = [
  (w) => {
    w.phase('provisioning');
    return { next: w.profile.provisionMs };
  },
  (w) => {
    w.provision();
    w.phase('submitting');
    return { next: w.profile.submitMs };
  },
  (w) => {
    const fault = w.codeFault();
    return fault ? { fail: fault } : { next: w.profile.mainMs };
  },
  (w) => {
    const { snapshot, error } = chooseSnapshot(w.core, w.app, w.op.params.restoreType, w.op.params.snapshotName);
    if (error) return { fail: error };
    const failure = w.submit(snapshot);
    if (failure) return { fail: failure };
    w.phase('restoring');
    return { next: w.profile.deployMs };
  },
  (w) => {
    w.deploy();
    return { done: true };
  },
];

const STOP: Step[] = [
  (w) => {
    if (!w.snapshotsEnabled()) {
      w.phase('stopping');
      w.flink.cancelJob(w.app.key);
      return { next: w.profile.cancelMs, goto: 2 };
    }
    if (!w.flink.isProcessing(w.app.key)) return { fail: unhealthyJobError(w, 'stop') };
    w.phase('snapshot');
    w.beginSnapshot('stop');
    return { next: w.savepointDuration() };
  },
  (w) => {
    const failure = w.finishSnapshot();
    if (failure) return { fail: failure };
    w.flink.finishJob(w.app.key);
    w.phase('stopping');
    return { next: w.profile.teardownMs };
  },
  (w) => {
    w.flink.teardown(w.app.key);
    return { done: true };
  },
];

const FORCE_STOP: Step[] = [
  (w) => {
    w.phase('stopping');
    w.flink.cancelJob(w.app.key);
    return { next: w.profile.cancelMs + Math.round(w.profile.teardownMs / 2) };
  },
  (w) => {
    w.flink.teardown(w.app.key);
    return { done: true };
  },
];

const UPDATE_READY: Step[] = [
  (w) => {
    w.phase('updating');
    return { next: w.profile.readyUpdateMs };
  },
  () => ({ done: true }),
];

/**
 * A running application's update: the new cluster is provisioned while the old job keeps processing;
 * only stop-with-savepoint → restore interrupts processing.
 */
const UPDATE_RUNNING: Step[] = [
  (w) => {
    w.phase('provisioning');
    return { next: w.profile.provisionMs };
  },
  (w) => {
    if (!w.snapshotsEnabled()) {
      w.op.downtimeStart = w.core.now();
      w.phase('stopping');
      w.flink.cancelJob(w.app.key);
      return { next: w.profile.cancelMs, goto: 3 };
    }
    if (!w.flink.isProcessing(w.app.key)) return { fail: unhealthyJobError(w, 'update') };
    w.op.downtimeStart = w.core.now();
    w.phase('snapshot');
    w.beginSnapshot('update');
    return { next: w.savepointDuration() };
  },
  (w) => {
    const failure = w.finishSnapshot();
    if (failure) return { fail: failure };
    const version = w.core.version(w.app, w.app.versionId);
    if (version && w.op.snapshotName) {
      version.deploySnapshot = w.op.snapshotName;
      w.core.saveVersion(w.app, version);
    }
    w.flink.finishJob(w.app.key);
    return { next: 0 };
  },
  (w) => {
    w.provision();
    w.phase('submitting');
    const fault = w.codeFault();
    return fault ? { fail: fault } : { next: w.profile.submitMs + w.profile.mainMs };
  },
  (w) => {
    const snapshot = w.op.snapshotName ? w.core.snapshot(w.app, w.op.snapshotName) : undefined;
    const failure = w.submit(snapshot);
    if (failure) return { fail: failure };
    w.phase('restoring');
    return { next: w.profile.deployMs };
  },
  (w) => {
    w.deploy();
    return { done: true };
  },
];

const ROLLBACK: Step[] = [
  (w) => {
    w.phase('stopping');
    w.op.downtimeStart = w.core.now();
    w.flink.cancelJob(w.app.key);
    return { next: w.profile.cancelMs };
  },
  (w) => {
    w.provision();
    w.phase('submitting');
    const fault = w.codeFault();
    return fault ? { fail: fault } : { next: w.profile.submitMs + w.profile.mainMs };
  },
  (w) => {
    const name = w.op.params.snapshotName;
    const snapshot = name ? w.core.snapshot(w.app, name) : undefined;
    const failure = w.submit(snapshot?.status === 'READY' ? snapshot : undefined);
    if (failure) return { fail: failure };
    w.phase('restoring');
    return { next: w.profile.deployMs };
  },
  (w) => {
    w.deploy();
    return { done: true };
  },
];

const DELETE: Step[] = [
  (w) => {
    w.phase('deleting');
    w.flink.cancelJob(w.app.key);
    return { next: w.profile.deleteMs };
  },
  () => ({ done: true }),
];

function unhealthyJobError(w: StepContext, what: 'stop' | 'update'): string {
  const status = w.flink.cluster(w.app.key)?.job?.status ?? 'not running';
  return (
    `Unable to take a snapshot to ${what} the application: the Flink job is ${status} and not all subtasks are RUNNING. ` +
    (what === 'stop'
      ? 'Use StopApplication with Force=true to stop without a snapshot.'
      : 'Roll back, or force-stop and update.')
  );
}

/** The steps of an operation. */
function stepsFor(op: OperationRecord): Step[] {
  switch (op.operation) {
    case 'StartApplication':
      return START;
    case 'StopApplication':
      return STOP;
    case 'ForceStopApplication':
      return FORCE_STOP;
    case 'RollbackApplication':
      return ROLLBACK;
    case 'DeleteApplication':
      return DELETE;
    case 'UpdateApplication':
    case 'AddApplicationCloudWatchLoggingOption':
    case 'DeleteApplicationCloudWatchLoggingOption':
    case 'AddApplicationVpcConfiguration':
    case 'DeleteApplicationVpcConfiguration':
      return op.params.wasRunning ? UPDATE_RUNNING : UPDATE_READY;
    case 'UpdateApplicationMaintenanceConfiguration':
      return UPDATE_READY;
  }
}

// ---- the operation engine --------------------------------------------------------------------------

export class Workflows {
  constructor(private core: ServiceCore) {}

  /**
   * Starts an operation: its record, the transient status from the lifecycle table, and its first step
   * on the next scheduler turn.
   */
  begin(
    app: AppRecord,
    operation: OperationName,
    action: LifecycleAction,
    params: OperationParams,
    initiatedBy: OperationRecord['initiatedBy'] = 'customer',
  ): OperationRecord {
    const path = requireTransition(action, app.status, app.name);
    const op: OperationRecord = {
      id: this.core.newOperationId(app),
      operation,
      status: 'IN_PROGRESS',
      startTime: this.core.now(),
      initiatedBy,
      success: path.success,
      failure: path.failure,
      phases: [],
      step: 0,
      params,
    };
    app.status = path.via;
    app.currentOperationId = op.id;
    this.core.saveApp(app);
    this.schedule(app, op, 0);
    return op;
  }

  private schedule(app: AppRecord, op: OperationRecord, delay: number): void {
    op.pendingEventId = this.core.env.scheduler.schedule(this.core.now() + Math.max(0, delay), OP_STEP_EVENT, {
      appKey: app.key,
      opId: op.id,
      step: op.step,
    } satisfies StepPayload).id;
    this.core.saveOperation(app, op);
  }

  handle(payload: StepPayload): void {
    const app = this.core.store.apps.get(payload.appKey);
    const op = app && this.core.store.operations.get(app.key, payload.opId);
    if (!app || !op || op.status !== 'IN_PROGRESS' || op.step !== payload.step) return;
    op.pendingEventId = undefined;
    const steps = stepsFor(op);
    const w = new StepContext(this.core, app, op);
    const result = steps[op.step]!(w);
    this.core.saveApp(app);
    if ('next' in result) {
      op.step = result.goto ?? op.step + 1;
      this.schedule(app, op, result.next);
    } else if ('done' in result) this.succeed(app, op);
    else this.fail(app, op, result.fail);
  }

  private close(app: AppRecord, op: OperationRecord, status: OperationRecord['status']): void {
    const now = this.core.now();
    op.status = status;
    op.endTime = now;
    const phase = op.phases.at(-1);
    if (phase && phase.endedAt === undefined) phase.endedAt = now;
    this.core.env.scheduler.cancel(op.pendingEventId);
    op.pendingEventId = undefined;
    if (app.currentOperationId === op.id) app.currentOperationId = undefined;
    this.core.saveOperation(app, op);
  }

  private settle(app: AppRecord, status: ApplicationStatus | 'GONE'): void {
    if (status === 'GONE') return this.remove(app);
    app.status = status;
    if (status === 'READY') {
      app.run = undefined;
      app.runningVersion = undefined;
      this.core.flink.teardown(app.key);
    }
    this.core.saveApp(app);
  }

  private succeed(app: AppRecord, op: OperationRecord): void {
    this.close(app, op, 'SUCCESSFUL');
    this.settle(app, op.success);
  }

  /**
   * A failed update of a running application hands over to a system rollback when that is enabled;
   * any other failure ends in the table's failure status.
   */
  private fail(app: AppRecord, op: OperationRecord, error: string): void {
    op.errorString = error.slice(0, 512);
    this.close(app, op, 'FAILED');
    // A failed snapshot-taking operation leaves no half-made snapshot.
    const s = op.snapshotName ? this.core.snapshot(app, op.snapshotName) : undefined;
    if (s?.status === 'CREATING') this.core.store.snapshots.delete(app.key, s.name);
    const rollbackEnabled = app.config.ApplicationSystemRollbackConfigurationDescription?.RollbackEnabled === true;
    if (
      op.params.wasRunning &&
      rollbackEnabled &&
      isConfigChange(op.operation) &&
      app.versionUpdatedFrom !== undefined
    ) {
      const rollback = this.startSystemRollback(app, op);
      op.rollbackOperationId = rollback.id;
      this.core.saveOperation(app, op);
      return;
    }
    // A graceful stop that could not take its snapshot leaves the job running (failure status RUNNING).
    this.settle(app, op.failure);
  }

  private startSystemRollback(app: AppRecord, failed: OperationRecord): OperationRecord {
    const target = app.versionUpdatedFrom!;
    const snapshotName = failed.snapshotName ?? this.core.latestReadySnapshot(app)?.name;
    applyRollbackVersion(this.core, app, target);
    const op = this.begin(
      app,
      'RollbackApplication',
      'systemRollback',
      { targetVersion: target, snapshotName },
      'service',
    );
    op.rollsBackOperationId = failed.id;
    op.versionFrom = app.rolledBackFrom;
    op.versionTo = app.versionId;
    this.core.saveOperation(app, op);
    return op;
  }

  /** Ends another operation that this one supersedes (force-stop or rollback during an update). */
  cancel(app: AppRecord, opId: string | undefined): void {
    const op = opId ? this.core.operation(app, opId) : undefined;
    if (!op || op.status !== 'IN_PROGRESS') return;
    this.close(app, op, 'CANCELLED');
    const s = op.snapshotName ? this.core.snapshot(app, op.snapshotName) : undefined;
    if (s?.status === 'CREATING') this.core.store.snapshots.delete(app.key, s.name);
  }

  /** Removes a deleted application and everything that belonged to it. */
  private remove(app: AppRecord): void {
    const { store, env } = this.core;
    for (const s of store.snapshots.list(app.key)) env.scheduler.cancel(s.pendingEventId);
    for (const o of store.operations.list(app.key)) env.scheduler.cancel(o.pendingEventId);
    store.snapshots.deleteGroup(app.key);
    store.versions.deleteGroup(app.key);
    store.operations.deleteGroup(app.key);
    for (const [token, session] of [...store.sessions.entries()])
      if (session.appKey === app.key) store.sessions.delete(token);
    this.core.flink.teardown(app.key);
    this.core.telemetry.logs.delete(app.key);
    this.core.telemetry.metrics.delete(app.key);
    store.apps.delete(app.key);
    const inUse = new Set<string>();
    for (const group of store.versions.groupKeys())
      for (const v of store.versions.list(group)) if (v.codeRef) inUse.add(v.codeRef);
    for (const a of store.apps.values()) if (a.codeRef) inUse.add(a.codeRef);
    this.core.artifacts.collectBlobs(inUse);
  }
}

function isConfigChange(operation: OperationName): boolean {
  return (
    operation === 'UpdateApplication' ||
    operation === 'AddApplicationVpcConfiguration' ||
    operation === 'DeleteApplicationVpcConfiguration' ||
    operation === 'AddApplicationCloudWatchLoggingOption' ||
    operation === 'DeleteApplicationCloudWatchLoggingOption'
  );
}

/**
 * A rollback mints a new version holding the target version's configuration and code copy, marks the
 * abandoned version ROLLED_BACK and records where it rolled back from and to.
 */
export function applyRollbackVersion(core: ServiceCore, app: AppRecord, targetId: number): void {
  const target = core.version(app, targetId)!;
  const abandoned = core.version(app, app.versionId);
  if (abandoned) {
    abandoned.status = 'ROLLED_BACK';
    core.saveVersion(app, abandoned);
  }
  const from = app.versionId;
  const now = core.now();
  app.versionId = from + 1;
  app.config = structuredClone(target.config);
  app.logging = structuredClone(target.logging);
  app.configuredKey = { ...target.configuredKey };
  app.codeRef = target.codeRef;
  app.runtime = target.runtime;
  app.serviceExecutionRole = target.serviceExecutionRole;
  app.description = target.description;
  app.currentParallelism =
    target.config.FlinkApplicationConfigurationDescription?.ParallelismConfigurationDescription?.Parallelism ?? 1;
  app.rolledBackFrom = from;
  app.rolledBackTo = targetId;
  // A second rollback goes one version further back, past the version just abandoned.
  app.versionUpdatedFrom = target.versionUpdatedFrom;
  app.lastUpdateTimestamp = now;
  app.versionCreateTimestamp = now;
  app.conditionalToken = core.newConditionalToken(app);
  core.saveVersion(app, {
    versionId: app.versionId,
    createdAt: now,
    runtime: app.runtime,
    serviceExecutionRole: app.serviceExecutionRole,
    description: app.description,
    config: structuredClone(app.config),
    logging: structuredClone(app.logging),
    configuredKey: { ...app.configuredKey },
    versionUpdatedFrom: app.versionUpdatedFrom,
    rolledBackFrom: from,
    rolledBackTo: targetId,
    conditionalToken: app.conditionalToken,
    codeRef: app.codeRef,
    status: 'RUNNING',
  });
  core.saveApp(app);
}
