/**
 * The simulation: virtual clock, scheduler, stored state and the services built on them. Pure and
 * deterministic: the same seed and the same calls give the same history. The emulator drives
 * `advanceTo` from wall time and persists `drainChanges()` after every mutation.
 */
import { ArtifactStore } from './artifacts/artifact-store.js';
import { DEFAULT_LIMITS, type EngineEnv, type Limits } from './engine-env.js';
import { FlinkRuntime, type FlinkEventPayload } from './flink/flink-runtime.js';
import { KMS_DELETE_EVENT, KmsService } from './kms/kms-service.js';
import { IamService } from './iam/iam-service.js';
import { StsService } from './iam/sts-service.js';
import { LogGroupService } from './logs/log-groups.js';
import { ServiceCore } from './service/core.js';
import { keyProblem } from './service/encryption.js';
import { ManagedFlinkService } from './service/managed-flink-service.js';
import type { CallContext } from './service/records.js';
import { OP_STEP_EVENT, SNAPSHOT_DELETE_EVENT, SNAPSHOT_DONE_EVENT } from './service/workflows.js';
import type { Change } from './store/table.js';
import { Store, type EngineMeta } from './store/store.js';
import { VirtualClock } from './time/clock.js';
import { TIME_PROFILES, type TimeProfileName } from './time/profiles.js';
import { Scheduler, type ScheduledEvent } from './time/scheduler.js';
import { BASE62, Random } from './util/random.js';
import { AlarmService } from './cloudwatch/alarms.js';
import { EventLogStore } from './telemetry/event-log.js';
import { APP_METRICS, MetricsStore, MINUTE, sampleJob } from './telemetry/metrics.js';

export const METRICS_TICK_EVENT = 'metrics.tick';

/** Observability kept in memory: the event log and the 24-hour metric series of every application. */
export interface Telemetry {
  logs: EventLogStore;
  metrics: MetricsStore;
}

export interface EngineOptions {
  seed?: string | number;
  timeProfile?: TimeProfileName;
  /** Virtual start time, epoch ms (default 2026-01-01T00:00:00Z, so runs are reproducible). */
  startTime?: number;
  limits?: Partial<Limits>;
  /** Preload s3://mfc-demo-artifacts (default true). */
  demoArtifacts?: boolean;
}

export const DEFAULT_ACCOUNT = '123456789012';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_START_TIME = Date.UTC(2026, 0, 1);

/** A caller with administrator rights in the default account and region. */
export function adminContext(overrides: Partial<CallContext> = {}): CallContext {
  const account = overrides.account ?? DEFAULT_ACCOUNT;
  return { account, region: DEFAULT_REGION, principal: `arn:aws:iam::${account}:root`, ...overrides };
}

export interface EngineFault {
  at: number;
  event: string;
  error: string;
}

export class Engine {
  readonly store: Store;
  readonly clock: VirtualClock;
  readonly scheduler = new Scheduler();
  readonly env: EngineEnv;
  readonly kms: KmsService;
  /** IAM roles and policies (global, per account) and STS credentials: stored, not enforced. */
  readonly iam: IamService;
  readonly sts: StsService;
  readonly artifacts: ArtifactStore;
  readonly flink: FlinkRuntime;
  readonly core: ServiceCore;
  readonly kinesisAnalytics: ManagedFlinkService;
  /** CloudWatch alarms, evaluated on the virtual clock after each minute's metrics. */
  readonly alarms: AlarmService;
  /** CloudWatch Logs groups and streams: created ones and those the applications' logging options name. */
  readonly logGroups: LogGroupService;
  readonly telemetry: Telemetry = { logs: new EventLogStore(), metrics: new MetricsStore() };
  /** Errors thrown by event handlers: a bug, never expected; kept so tests and logs can see them. */
  readonly faults: EngineFault[] = [];
  private readonly random: Random;
  private readonly meta: EngineMeta;
  /** One application's sample, reused for every application every minute. */
  private readonly sampleBuffer = new Float64Array(APP_METRICS.length);
  /** Whether the meta row has been handed out for storage at least once. */
  private metaCommitted: boolean;

  constructor(opts: EngineOptions = {}, rows?: Iterable<Change>) {
    this.store = new Store();
    if (rows) this.store.load(rows);
    const stored = this.store.meta.get('engine');
    const seed = String(opts.seed ?? 'mfc');
    this.meta = stored ?? {
      now: opts.startTime ?? DEFAULT_START_TIME,
      nextEventSeq: 0,
      seed,
      rng: Random.fromSeed(seed).state,
      counters: {},
    };
    this.metaCommitted = stored !== undefined;
    this.clock = new VirtualClock(this.meta.now);
    this.random = new Random(this.meta.rng);
    this.env = {
      store: this.store,
      clock: this.clock,
      scheduler: this.scheduler,
      profile: TIME_PROFILES[opts.timeProfile ?? 'instant'],
      random: this.random,
      limits: { ...DEFAULT_LIMITS, ...opts.limits },
    };
    this.scheduler.load([...this.store.events.values()], this.meta.nextEventSeq);
    this.scheduler.listener = {
      scheduled: (e) => this.store.events.set(e.id, e),
      removed: (e) => this.store.events.delete(e.id),
    };
    this.kms = new KmsService(this.env);
    this.iam = new IamService(this.env);
    this.sts = new StsService(this.env, this.iam);
    this.artifacts = new ArtifactStore(
      this.store,
      () => this.clock.now(),
      () => this.random.chars(32, BASE62),
    );
    this.flink = new FlinkRuntime(
      this.env,
      {
        keyProblem: (arn) => keyProblem(this.core, arn),
        processingStarted: (appKey, at) => this.processingStarted(appKey, at),
      },
      this.telemetry.logs,
    );
    this.core = new ServiceCore(this.env, this.kms, this.artifacts, this.flink, this.telemetry);
    this.kinesisAnalytics = new ManagedFlinkService(this.core);
    this.alarms = new AlarmService(this.core, this.env);
    this.logGroups = new LogGroupService(this.env, this.core, this.kms);
    if (!stored) {
      this.store.meta.set('engine', this.meta);
      if (opts.demoArtifacts !== false) this.artifacts.preloadDemoArtifacts(DEFAULT_ACCOUNT, DEFAULT_REGION);
    }
    if (!this.scheduler.events().some((e) => e.type === METRICS_TICK_EVENT)) this.scheduleMetricsTick();
  }

  get seed(): string {
    return this.meta.seed;
  }

  now(): number {
    return this.clock.now();
  }

  setTimeProfile(name: TimeProfileName): void {
    this.env.profile = TIME_PROFILES[name];
  }

  get timeProfile(): TimeProfileName {
    return this.env.profile.name;
  }

  nextEventTime(): number | undefined {
    return this.scheduler.peekTime();
  }

  /**
   * Runs every event due at or before `t` in order, then moves the clock to `t`. Returns the count, with
   * the checkpoint triggers that ran: jobs keep their own trigger times rather than scheduler events (see
   * flink/checkpoints.ts), and every trigger due by `t` has run when this returns.
   */
  advanceTo(t: number): number {
    const triggersBefore = this.flink.triggersRun;
    let n = 0;
    for (let e = this.scheduler.popDue(t); e; e = this.scheduler.popDue(t)) {
      this.clock.advanceTo(e.at);
      this.dispatch(e);
      n++;
    }
    this.clock.advanceTo(t);
    this.flink.catchUpAll(this.clock.now(), true);
    return n + (this.flink.triggersRun - triggersBefore);
  }

  advanceBy(ms: number): number {
    return this.advanceTo(this.clock.now() + ms);
  }

  /** One scheduler turn: everything due now (zero-delay steps included). */
  runDue(): number {
    return this.advanceTo(this.clock.now());
  }

  /**
   * Rows changed since the last call, for the emulator to commit before it answers. The engine's meta
   * row (clock, sequence, random state) goes with any other change; alone, time passing is not a change.
   */
  drainChanges(withMeta = false): Change[] {
    const changes = this.store.journal.drain().filter((c) => c.table !== 'meta');
    // withMeta: a graceful stop records the clock too, so a restart resumes exactly where it stopped.
    if (changes.length === 0 && this.metaCommitted && !withMeta) return changes;
    this.metaCommitted = true;
    return [...changes, { table: 'meta', key: 'engine', value: this.refreshMeta() }];
  }

  /** Every stored row: a full export of the simulation. */
  dump(): Change[] {
    this.refreshMeta();
    return this.store.dump();
  }

  private refreshMeta(): EngineMeta {
    this.meta.now = this.clock.now();
    this.meta.nextEventSeq = this.scheduler.nextSeq;
    this.meta.rng = this.random.state;
    return this.meta;
  }

  private dispatch(e: ScheduledEvent): void {
    try {
      const payload = e.payload as Record<string, unknown>;
      switch (e.type) {
        case OP_STEP_EVENT:
          this.kinesisAnalytics.workflows.handle(payload as never);
          return;
        case SNAPSHOT_DONE_EVENT:
          this.kinesisAnalytics.snapshotDone(payload as never);
          return;
        case SNAPSHOT_DELETE_EVENT:
          this.kinesisAnalytics.snapshotDeleted(payload as never);
          return;
        case KMS_DELETE_EVENT:
          // Checkpoints triggered before the key goes away saw it pending deletion.
          this.flink.catchUpAll(e.at, false);
          this.kms.deleteKeyNow(String(payload.key));
          return;
        case METRICS_TICK_EVENT:
          this.sampleMetrics();
          this.alarms.evaluateDue(e.at);
          this.scheduleMetricsTick();
          return;
      }
      if (!this.flink.handle(e.type, payload as unknown as FlinkEventPayload))
        this.faults.push({ at: e.at, event: e.type, error: 'unknown event type' });
    } catch (err) {
      this.faults.push({
        at: e.at,
        event: e.type,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
    }
  }

  /** The next metrics sample, at the next whole virtual minute. */
  private scheduleMetricsTick(): void {
    this.scheduler.schedule((Math.floor(this.clock.now() / MINUTE) + 1) * MINUTE, METRICS_TICK_EVENT, {});
  }

  /** One sample per running job, as the service publishes metrics every minute. */
  private sampleMetrics(): void {
    const now = this.clock.now();
    const sample = this.sampleBuffer;
    for (const cluster of this.store.clusters.values()) {
      const job = cluster.job;
      if (!job) continue;
      this.flink.settleCluster(cluster);
      sampleJob(cluster, job, now, cluster.taskManagers.length, sample);
      this.telemetry.metrics.record(cluster.appKey, now, sample);
      this.store.clusters.touch(cluster.appKey);
    }
  }

  /** Ends the processing downtime an update or rollback started, when the new job runs everywhere. */
  private processingStarted(appKey: string, at: number): void {
    const ops = this.store.operations.list(appKey);
    for (const op of ops)
      if (op.downtimeStart !== undefined && op.downtimeEnd === undefined) {
        op.downtimeEnd = at;
        this.store.operations.touch(appKey, op.id);
      }
  }
}
