/**
 * What the operation handlers share: lookups with the AWS errors for missing applications, id minting,
 * per-application random sources, and the record bookkeeping that keeps persistence exact.
 */
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { EngineEnv } from '../engine-env.js';
import type { FlinkRuntime } from '../flink/flink-runtime.js';
import type { KmsService } from '../kms/kms-service.js';
import type { EventLogStore } from '../telemetry/event-log.js';
import type { MetricsStore } from '../telemetry/metrics.js';
import { resourceNotFound } from '../util/errors.js';
import { BASE62, Random } from '../util/random.js';
import type { AppRecord, CallContext, OperationRecord, SnapshotRecord, VersionRecord } from './records.js';

export class ServiceCore {
  constructor(
    readonly env: EngineEnv,
    readonly kms: KmsService,
    readonly artifacts: ArtifactStore,
    readonly flink: FlinkRuntime,
    readonly telemetry: { logs: EventLogStore; metrics: MetricsStore },
  ) {}

  get store() {
    return this.env.store;
  }

  now(): number {
    return this.env.clock.now();
  }

  /** Whole seconds: the precision clients echo back for CreateTimestamp and SnapshotCreationTimestamp. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000) * 1000;
  }

  appKey(ctx: CallContext, name: string): string {
    return `${ctx.account}:${ctx.region}:${name}`;
  }

  findApp(ctx: CallContext, name: string | undefined): AppRecord | undefined {
    return name === undefined ? undefined : this.store.apps.get(this.appKey(ctx, name));
  }

  requireApp(ctx: CallContext, name: string | undefined): AppRecord {
    const app = this.findApp(ctx, name);
    if (!app) throw resourceNotFound(`Application ${name} is not found.`);
    return app;
  }

  /** Applications of one account and region, ordered by name. */
  appsIn(account: string, region: string): AppRecord[] {
    return [...this.store.apps.values()]
      .filter((a) => a.account === account && a.region === region)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  saveApp(app: AppRecord): void {
    this.store.apps.touch(app.key);
  }

  /** Runs `fn` with the application's own random source; histories of applications stay independent. */
  random<T>(app: AppRecord, fn: (r: Random) => T): T {
    const out = fn(Random.over(app.rng));
    this.saveApp(app);
    return out;
  }

  newOperationId(app: AppRecord): string {
    return this.random(app, (r) => r.chars(12, BASE62));
  }

  newConditionalToken(app: AppRecord): string {
    return this.random(app, (r) => r.chars(16, BASE62));
  }

  // ---- child records ---------------------------------------------------------------------------

  versions(app: AppRecord): VersionRecord[] {
    return this.store.versions.list(app.key).sort((a, b) => a.versionId - b.versionId);
  }

  version(app: AppRecord, id: number): VersionRecord | undefined {
    return this.store.versions.get(app.key, String(id));
  }

  saveVersion(app: AppRecord, v: VersionRecord): void {
    this.store.versions.set(app.key, String(v.versionId), v);
  }

  snapshots(app: AppRecord): SnapshotRecord[] {
    return this.store.snapshots.list(app.key).sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1));
  }

  snapshot(app: AppRecord, name: string): SnapshotRecord | undefined {
    return this.store.snapshots.get(app.key, name);
  }

  saveSnapshot(app: AppRecord, s: SnapshotRecord): void {
    this.store.snapshots.set(app.key, s.name, s);
  }

  /** The newest READY snapshot: what RESTORE_FROM_LATEST_SNAPSHOT restores. */
  latestReadySnapshot(app: AppRecord): SnapshotRecord | undefined {
    return this.snapshots(app)
      .filter((s) => s.status === 'READY')
      .at(-1);
  }

  operations(app: AppRecord): OperationRecord[] {
    return this.store.operations.list(app.key).sort((a, b) => a.startTime - b.startTime);
  }

  operation(app: AppRecord, id: string): OperationRecord | undefined {
    return this.store.operations.get(app.key, id);
  }

  saveOperation(app: AppRecord, op: OperationRecord): void {
    this.store.operations.set(app.key, op.id, op);
  }
}
