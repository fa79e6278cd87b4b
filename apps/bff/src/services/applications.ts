/**
 * Applications as the console shows them, built from kinesisanalyticsv2 calls only: the fleet with job
 * health and needs-attention flags, one application's view with its operation in progress, versions and
 * their diff, snapshots with the keys that protect them, and the key in effect.
 */
import {
  DescribeApplicationCommand,
  DescribeApplicationVersionCommand,
  ListApplicationSnapshotsCommand,
  ListApplicationsCommand,
  ListApplicationVersionsCommand,
  type ApplicationDetail,
  type ApplicationSummary,
  type SnapshotDetails,
} from '@aws-sdk/client-kinesis-analytics-v2';
import type { KeyMetadata } from '@aws-sdk/client-kms';
import pLimit from 'p-limit';
import {
  allowedActions,
  type ApplicationStatus,
  type ApplicationView,
  type Attention,
  type FleetApplication,
  type JobHealth,
  type KeyRef,
  type OperationView,
  type SnapshotView,
  type VersionDiff,
  type VersionsResponse,
} from '@mfc/contracts';
import type { AwsClients } from '../aws/clients.js';
import { gatherFacts, jobHealthOf, type JobProbe, type WatchedJob } from '../health/facts.js';
import type { JobProber } from '../health/prober.js';
import { attentionOf } from '../health/rules.js';
import type { ServiceClock } from './clock.js';
import type { KeysService } from './keys.js';
import { HEALTH_WINDOW_MS, type FleetHealth, type MetricsService } from './metrics.js';
import { inferPhases, type OperationsService, type PhaseFacts } from './operations.js';

export const SNAPSHOT_QUOTA = 1000;
/**
 * Past this many applications never read, the fleet answers at once with their rows pending and reads
 * them in the background: a cold start over 1,000 applications is about 3,000 calls (describe, list and
 * describe the newest operation), over 2 s against the embedded emulator and far longer within AWS's rate
 * limits, and the fleet's statuses should not wait for them.
 */
export const INLINE_DETAIL_READS = 50;
/** Background reads of fleet details in flight at once (AWS throttles the control plane per account). */
export const DETAIL_READ_CONCURRENCY = 8;
const STEADY = new Set(['READY', 'RUNNING']);
/** Operations after which a running application runs a (new) job: the key in effect changes with them. */
const CONFIG_CHANGES = new Set([
  'UpdateApplication',
  'AddApplicationVpcConfiguration',
  'DeleteApplicationVpcConfiguration',
  'AddApplicationCloudWatchLoggingOption',
  'DeleteApplicationCloudWatchLoggingOption',
]);

/** What the watchers know of a running job, for job health and phases. */
export type JobSnapshot = WatchedJob;

/** The metrics read for many applications at once, or why they could not be read. */
type FleetMetrics = Map<string, FleetHealth> | Error;

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

export class ApplicationsService {
  /** Immutable version details, by application and version. */
  private versionCache = new Map<string, ApplicationDetail>();
  /** Fleet rows' details, reused while the version is unchanged. */
  private detailCache = new Map<string, { versionId: number; detail: ApplicationDetail }>();
  /** Latest operation per application, reused while status and version are unchanged. */
  private lastOpCache = new Map<string, { key: string; op?: OperationView }>();
  /** The background read of pending fleet rows, while one runs. */
  private filling?: Promise<void>;
  /** Told which applications' fleet rows a background read completed (the server publishes a fleet event). */
  onFleetDetails?: (names: string[]) => void;
  /** The signals last answered per application, to tell which applications' attention changed. */
  private signalsSeen = new Map<string, string>();

  constructor(
    private clients: AwsClients,
    private operations: OperationsService,
    private keys: KeysService,
    private metrics: MetricsService,
    private jobSnapshots: (app: string) => JobSnapshot | undefined,
    private clock: ServiceClock,
    private prober: JobProber,
    private checkpointStaleMs: number,
  ) {}

  async describe(name: string): Promise<ApplicationDetail> {
    return (await this.clients.kinesisAnalytics.send(new DescribeApplicationCommand({ ApplicationName: name })))
      .ApplicationDetail!;
  }

  async summaries(): Promise<ApplicationSummary[]> {
    const out: ApplicationSummary[] = [];
    let NextToken: string | undefined;
    do {
      const r = await this.clients.kinesisAnalytics.send(new ListApplicationsCommand({ Limit: 50, NextToken }));
      out.push(...(r.ApplicationSummaries ?? []));
      NextToken = r.NextToken;
    } while (NextToken);
    return out;
  }

  async version(name: string, versionId: number): Promise<ApplicationDetail> {
    const key = `${name}/${versionId}`;
    const cached = this.versionCache.get(key);
    if (cached) return cached;
    const v = (
      await this.clients.kinesisAnalytics.send(
        new DescribeApplicationVersionCommand({ ApplicationName: name, ApplicationVersionId: versionId }),
      )
    ).ApplicationVersionDetail!;
    // A version's configuration never changes; its status does, so it is not used from here.
    this.versionCache.set(key, v);
    return v;
  }

  async snapshots(name: string): Promise<SnapshotDetails[]> {
    const out: SnapshotDetails[] = [];
    let NextToken: string | undefined;
    do {
      const r = await this.clients.kinesisAnalytics.send(
        new ListApplicationSnapshotsCommand({ ApplicationName: name, Limit: 50, NextToken }),
      );
      out.push(...(r.SnapshotSummaries ?? []));
      NextToken = r.NextToken;
    } while (NextToken);
    return out;
  }

  // ---- one application ---------------------------------------------------------------------------

  async view(name: string): Promise<ApplicationView> {
    const [detail, ops] = await Promise.all([this.describe(name), this.operations.views(name)]);
    const memo = new Map<string, KeyMetadata | undefined>();
    const configuredRef = detail.ApplicationConfigurationDescription?.ApplicationEncryptionConfigurationDescription;
    const [configured, inEffect] = await Promise.all([
      this.keys.resolve(configuredRef, memo),
      this.keyInEffect(name, ops, memo),
    ]);
    const current = [...ops].reverse().find((o) => o.status === 'IN_PROGRESS');
    const last = ops.at(-1);
    const withPhases = async (op: OperationView | undefined) =>
      op ? { ...op, ...inferPhases(op, await this.phaseFacts(name, detail, op)) } : undefined;
    const flink = detail.ApplicationConfigurationDescription?.FlinkApplicationConfigurationDescription;
    const p = flink?.ParallelismConfigurationDescription;
    const cp = flink?.CheckpointConfigurationDescription;
    const code =
      detail.ApplicationConfigurationDescription?.ApplicationCodeConfigurationDescription?.CodeContentDescription;
    const run = detail.ApplicationConfigurationDescription?.RunConfigurationDescription;
    const status = detail.ApplicationStatus as ApplicationStatus;
    const now = this.clock.now();
    if (status !== 'RUNNING') this.prober.forget(name);
    const [probe, metrics] =
      status === 'RUNNING'
        ? await Promise.all([this.prober.current(name), this.metrics.fleetHealth([name], now).catch(asError)])
        : [undefined, new Map<string, FleetHealth>()];
    const { jobHealth, attention } = this.judge(name, status, now, metrics, probe, last);
    return {
      name: detail.ApplicationName!,
      arn: detail.ApplicationARN!,
      ...(detail.ApplicationDescription ? { description: detail.ApplicationDescription } : {}),
      status,
      versionId: detail.ApplicationVersionId!,
      runtime: detail.RuntimeEnvironment!,
      mode: detail.ApplicationMode ?? 'STREAMING',
      createTimestamp: detail.CreateTimestamp?.getTime() ?? 0,
      ...(detail.LastUpdateTimestamp ? { lastUpdateTimestamp: detail.LastUpdateTimestamp.getTime() } : {}),
      ...(detail.ConditionalToken ? { conditionalToken: detail.ConditionalToken } : {}),
      ...(detail.ServiceExecutionRole ? { serviceExecutionRole: detail.ServiceExecutionRole } : {}),
      parallelism: {
        configurationType: p?.ConfigurationType ?? 'DEFAULT',
        parallelism: p?.Parallelism ?? 1,
        parallelismPerKpu: p?.ParallelismPerKPU ?? 1,
        currentParallelism: p?.CurrentParallelism ?? p?.Parallelism ?? 1,
        autoScaling: p?.AutoScalingEnabled ?? true,
        kpus: Math.ceil((p?.CurrentParallelism ?? p?.Parallelism ?? 1) / (p?.ParallelismPerKPU ?? 1)),
      },
      checkpointing: {
        configurationType: cp?.ConfigurationType ?? 'DEFAULT',
        enabled: cp?.CheckpointingEnabled ?? true,
        intervalMs: cp?.CheckpointInterval ?? 60_000,
        minPauseMs: cp?.MinPauseBetweenCheckpoints ?? 5_000,
      },
      snapshotsEnabled:
        detail.ApplicationConfigurationDescription?.ApplicationSnapshotConfigurationDescription?.SnapshotsEnabled ??
        true,
      systemRollbackEnabled:
        detail.ApplicationConfigurationDescription?.ApplicationSystemRollbackConfigurationDescription
          ?.RollbackEnabled ?? false,
      ...(code
        ? {
            code: {
              bucketArn: code.S3ApplicationCodeLocationDescription?.BucketARN,
              fileKey: code.S3ApplicationCodeLocationDescription?.FileKey,
              objectVersion: code.S3ApplicationCodeLocationDescription?.ObjectVersion,
              md5: code.CodeMD5,
              size: code.CodeSize,
            },
          }
        : {}),
      properties: (
        detail.ApplicationConfigurationDescription?.EnvironmentPropertyDescriptions?.PropertyGroupDescriptions ?? []
      ).map((g) => ({
        groupId: g.PropertyGroupId!,
        properties: { ...g.PropertyMap },
      })),
      logging: (detail.CloudWatchLoggingOptionDescriptions ?? []).map((o) => ({
        id: o.CloudWatchLoggingOptionId,
        logStreamArn: o.LogStreamARN!,
      })),
      ...(detail.ApplicationMaintenanceConfigurationDescription
        ? {
            maintenanceWindow: {
              start: detail.ApplicationMaintenanceConfigurationDescription.ApplicationMaintenanceWindowStartTime!,
              end: detail.ApplicationMaintenanceConfigurationDescription.ApplicationMaintenanceWindowEndTime!,
            },
          }
        : {}),
      ...(run?.ApplicationRestoreConfigurationDescription
        ? {
            runConfiguration: {
              restoreType: run.ApplicationRestoreConfigurationDescription.ApplicationRestoreType!,
              snapshotName: run.ApplicationRestoreConfigurationDescription.SnapshotName,
              allowNonRestoredState: run.FlinkRunConfigurationDescription?.AllowNonRestoredState ?? false,
            },
          }
        : {}),
      encryption: {
        configured,
        ...(inEffect ? { inEffect } : {}),
        pendingRestart: inEffect !== undefined && !sameKey(configured, inEffect),
      },
      ...(detail.ApplicationVersionUpdatedFrom ? { versionUpdatedFrom: detail.ApplicationVersionUpdatedFrom } : {}),
      ...(detail.ApplicationVersionRolledBackFrom ? { rolledBackFrom: detail.ApplicationVersionRolledBackFrom } : {}),
      ...(detail.ApplicationVersionRolledBackTo ? { rolledBackTo: detail.ApplicationVersionRolledBackTo } : {}),
      ...(current ? { currentOperation: await withPhases(current) } : {}),
      ...(last ? { lastOperation: await withPhases(last) } : {}),
      allowedActions: allowedActions(status),
      ...(status === 'RUNNING' ? { jobHealth } : {}),
      attention,
    };
  }

  private async phaseFacts(name: string, detail: ApplicationDetail, op: OperationView): Promise<PhaseFacts> {
    const job = this.jobSnapshots(name);
    const snapshotsEnabled =
      detail.ApplicationConfigurationDescription?.ApplicationSnapshotConfigurationDescription?.SnapshotsEnabled ?? true;
    let snapshot: PhaseFacts['snapshot'];
    if (op.status === 'IN_PROGRESS' && snapshotsEnabled) {
      const taken = (await this.snapshots(name)).filter(
        (s) => (s.SnapshotCreationTimestamp?.getTime() ?? 0) >= Math.floor(op.startTime / 1000) * 1000,
      );
      const newest = taken.at(-1);
      snapshot =
        newest?.SnapshotStatus === 'CREATING' ? 'CREATING' : newest?.SnapshotStatus === 'READY' ? 'READY' : undefined;
    }
    return {
      status: detail.ApplicationStatus!,
      snapshotsEnabled,
      ...(snapshot ? { snapshot } : {}),
      ...(job ? { subtasks: { running: job.subtasksRunning, total: job.subtasksTotal } } : {}),
    };
  }

  /**
   * The key protecting the running (or last run's) state: the configured key of the version that was
   * deployed at the last (re)start — a start, an update of a running application, or a rollback.
   */
  async keyInEffect(
    name: string,
    ops: OperationView[],
    memo = new Map<string, KeyMetadata | undefined>(),
  ): Promise<KeyRef | undefined> {
    let running = false;
    let deployed: { version?: number; at: number } | undefined;
    for (const op of ops) {
      if (op.status === 'FAILED') {
        if (op.operation === 'StartApplication' || (CONFIG_CHANGES.has(op.operation) && !op.rollbackOperationId))
          running = false;
        continue;
      }
      if (op.status !== 'SUCCESSFUL') continue;
      if (op.operation === 'StartApplication') {
        running = true;
        deployed = { at: op.startTime };
      } else if (op.operation === 'StopApplication' || op.operation === 'ForceStopApplication') running = false;
      else if (op.operation === 'RollbackApplication') {
        running = true;
        deployed = { version: op.versionTo, at: op.startTime };
      } else if (CONFIG_CHANGES.has(op.operation) && running) deployed = { version: op.versionTo, at: op.startTime };
    }
    if (!deployed) return undefined;
    const versionId = deployed.version ?? (await this.versionAt(name, deployed.at));
    if (versionId === undefined) return undefined;
    const v = await this.version(name, versionId);
    return this.keys.resolve(
      v.ApplicationConfigurationDescription?.ApplicationEncryptionConfigurationDescription,
      memo,
    );
  }

  /** The version that was current at time `t` (Start does not change the version). */
  private async versionAt(name: string, t: number): Promise<number | undefined> {
    const ids = (await this.versions(name)).versions.map((v) => v.versionId).sort((a, b) => b - a);
    for (const id of ids) {
      const v = await this.version(name, id);
      if ((v.ApplicationVersionCreateTimestamp?.getTime() ?? 0) <= t) return id;
    }
    return ids.at(-1);
  }

  async versions(name: string): Promise<VersionsResponse> {
    const out: VersionsResponse['versions'] = [];
    let NextToken: string | undefined;
    do {
      const r = await this.clients.kinesisAnalytics.send(
        new ListApplicationVersionsCommand({ ApplicationName: name, Limit: 50, NextToken }),
      );
      out.push(
        ...(r.ApplicationVersionSummaries ?? []).map((v) => ({
          versionId: v.ApplicationVersionId!,
          status: v.ApplicationStatus as ApplicationStatus,
        })),
      );
      NextToken = r.NextToken;
    } while (NextToken);
    return { versions: out, currentVersionId: out.reduce((m, v) => Math.max(m, v.versionId), 0) };
  }

  async diff(name: string, from: number, to: number): Promise<VersionDiff> {
    const [a, b] = await Promise.all([this.version(name, from), this.version(name, to)]);
    const comparable = (d: ApplicationDetail) => ({
      RuntimeEnvironment: d.RuntimeEnvironment,
      ServiceExecutionRole: d.ServiceExecutionRole,
      ApplicationConfiguration: d.ApplicationConfigurationDescription,
      CloudWatchLoggingOptions: d.CloudWatchLoggingOptionDescriptions,
    });
    return { from, to, changes: diffValues(comparable(a), comparable(b)) };
  }

  /** Snapshots with the key that protects each, flagged when that key is unusable or not the configured one. */
  async snapshotViews(name: string): Promise<{ snapshots: SnapshotView[]; quota: { used: number; limit: number } }> {
    const [list, detail] = await Promise.all([this.snapshots(name), this.describe(name)]);
    const memo = new Map<string, KeyMetadata | undefined>();
    const configured = await this.keys.resolve(
      detail.ApplicationConfigurationDescription?.ApplicationEncryptionConfigurationDescription,
      memo,
    );
    const snapshots = await Promise.all(
      list.map(async (s): Promise<SnapshotView> => {
        const key = await this.keys.resolve(s.ApplicationEncryptionConfigurationDescription, memo);
        const flags: string[] = [];
        if (key.keyType === 'CUSTOMER_MANAGED_KEY' && key.keyState === 'NotFound') flags.push('key-missing');
        else if (key.keyType === 'CUSTOMER_MANAGED_KEY' && key.keyState !== 'Enabled') flags.push('key-disabled');
        if (!sameKey(key, configured)) flags.push('older-key');
        return {
          name: s.SnapshotName!,
          status: s.SnapshotStatus as SnapshotView['status'],
          versionId: s.ApplicationVersionId!,
          createdAt: s.SnapshotCreationTimestamp?.getTime() ?? 0,
          ...(s.RuntimeEnvironment ? { runtime: s.RuntimeEnvironment } : {}),
          encryption: key,
          flags,
        };
      }),
    );
    return { snapshots, quota: { used: list.length, limit: SNAPSHOT_QUOTA } };
  }

  // ---- the fleet ---------------------------------------------------------------------------------

  async fleet(now: number): Promise<FleetApplication[]> {
    const summaries = await this.summaries();
    const unread = summaries.filter(
      (s) => !this.detailCache.has(s.ApplicationName!) || !this.lastOpCache.has(s.ApplicationName!),
    );
    const pending = new Set(unread.length > INLINE_DETAIL_READS ? unread.map((s) => s.ApplicationName!) : []);
    if (pending.size > 0) this.readInBackground(unread);
    const running = summaries.filter((s) => s.ApplicationStatus === 'RUNNING').map((s) => s.ApplicationName!);
    // A job read before a stop says nothing about the next run.
    for (const s of summaries) if (s.ApplicationStatus !== 'RUNNING') this.prober.forget(s.ApplicationName!);
    const ready = (s: ApplicationSummary) => !pending.has(s.ApplicationName!);
    const [details, metrics, probes] = await Promise.all([
      Promise.all(summaries.map((s) => (ready(s) ? this.cachedDetail(s) : undefined))),
      running.length > 0
        ? this.metrics.fleetHealth(running, now).catch(asError)
        : Promise.resolve(new Map<string, FleetHealth>()),
      running.length > 0 ? this.prober.fleet(running) : Promise.resolve(new Map<string, JobProbe | 'pending'>()),
    ]);
    const lastOps = await Promise.all(summaries.map((s) => (ready(s) ? this.cachedLastOp(s) : undefined)));
    return summaries.map((s, i) => {
      const d = details[i];
      const p =
        d?.ApplicationConfigurationDescription?.FlinkApplicationConfigurationDescription
          ?.ParallelismConfigurationDescription;
      const status = s.ApplicationStatus as ApplicationStatus;
      const enc = d?.ApplicationConfigurationDescription?.ApplicationEncryptionConfigurationDescription;
      const lastOp = lastOps[i];
      const { jobHealth, attention } = this.judge(
        s.ApplicationName!,
        status,
        now,
        metrics,
        probes.get(s.ApplicationName!),
        lastOp,
      );
      const row = {
        name: s.ApplicationName!,
        arn: s.ApplicationARN!,
        status,
        versionId: s.ApplicationVersionId!,
        runtime: s.RuntimeEnvironment!,
        mode: s.ApplicationMode ?? 'STREAMING',
      };
      if (!d)
        return {
          ...row,
          kpus: null,
          parallelism: null,
          jobHealth,
          attention,
          detailsPending: true,
        };
      return {
        ...row,
        kpus: p ? Math.ceil((p.CurrentParallelism ?? p.Parallelism ?? 1) / (p.ParallelismPerKPU ?? 1)) : null,
        parallelism: p?.CurrentParallelism ?? p?.Parallelism ?? null,
        encryption: { keyType: enc?.KeyType ?? 'AWS_OWNED_KEY', ...(enc?.KeyId ? { keyId: enc.KeyId } : {}) },
        jobHealth,
        attention,
        ...(lastOp ? { lastOperation: lastOp } : {}),
      };
    });
  }

  /**
   * Judges the RUNNING applications again from fresh reads (the fleet watcher's loop, while browsers
   * listen): their jobs read again where the last read is older than the prober's TTL, their metrics
   * read again. Resolves with the applications whose signals changed since they were last answered.
   */
  async refreshHealth(running: string[]): Promise<string[]> {
    if (running.length === 0) return [];
    const now = this.clock.now();
    const [metrics] = await Promise.all([
      this.metrics.fleetHealth(running, now).catch(asError),
      this.prober.refresh(running),
    ]);
    const changed: string[] = [];
    for (const name of running) {
      const before = this.signalsSeen.get(name);
      const probe = this.prober.cached(name) ?? 'pending';
      const { attention } = this.judge(name, 'RUNNING', now, metrics, probe, this.lastOpCache.get(name)?.op);
      if (before !== undefined && before !== signature(attention)) changed.push(name);
    }
    return changed;
  }

  /** The health rules applied to what is known of one application; remembers the signals answered. */
  private judge(
    name: string,
    status: ApplicationStatus,
    now: number,
    metrics: FleetMetrics,
    probe: JobProbe | 'pending' | undefined,
    lastOperation: OperationView | undefined,
  ): { jobHealth: JobHealth; attention: Attention } {
    const facts = gatherFacts({
      status,
      now,
      windowMs: HEALTH_WINDOW_MS,
      checkpointStaleMs: this.checkpointStaleMs,
      metrics: metrics instanceof Error ? metrics : metrics.get(name),
      ...(probe ? { probe } : {}),
      ...(status === 'RUNNING' ? { watched: this.jobSnapshots(name) } : {}),
      ...(lastOperation ? { lastOperation } : {}),
    });
    const attention = attentionOf(facts);
    this.signalsSeen.set(name, signature(attention));
    return { jobHealth: jobHealthOf(facts), attention };
  }

  /** Reads the rows' details a few at a time; the next fleet answer has them. One such read at a time. */
  private readInBackground(summaries: ApplicationSummary[]): void {
    if (this.filling) return;
    const limit = pLimit(DETAIL_READ_CONCURRENCY);
    const read: string[] = [];
    this.filling = Promise.all(
      summaries.map(
        (s) =>
          limit(async () => {
            await this.cachedDetail(s);
            await this.cachedLastOp(s);
            read.push(s.ApplicationName!);
          }).catch(() => undefined), // deleted meanwhile, or throttled past the SDK's retries: read next time
      ),
    )
      .then(() => this.onFleetDetails?.(read))
      .finally(() => (this.filling = undefined));
  }

  private async cachedDetail(s: ApplicationSummary): Promise<ApplicationDetail> {
    const cached = this.detailCache.get(s.ApplicationName!);
    if (cached && cached.versionId === s.ApplicationVersionId) return cached.detail;
    const detail = await this.describe(s.ApplicationName!);
    this.detailCache.set(s.ApplicationName!, { versionId: detail.ApplicationVersionId!, detail });
    return detail;
  }

  /** The newest operation, fetched again only when status or version moved or it was still running. */
  private async cachedLastOp(s: ApplicationSummary): Promise<OperationView | undefined> {
    const key = `${s.ApplicationStatus}/${s.ApplicationVersionId}`;
    const cached = this.lastOpCache.get(s.ApplicationName!);
    if (cached && cached.key === key && cached.op?.status !== 'IN_PROGRESS' && STEADY.has(s.ApplicationStatus!))
      return cached.op;
    const list = await this.operations.list(s.ApplicationName!).catch(() => []);
    const newest = list.at(-1);
    const op = newest ? await this.operations.details(s.ApplicationName!, newest) : undefined;
    this.lastOpCache.set(s.ApplicationName!, { key, op });
    return op;
  }

  forgetAll(): void {
    this.detailCache.clear();
    this.lastOpCache.clear();
    this.versionCache.clear();
    this.prober.forgetAll();
    this.signalsSeen.clear();
  }

  forget(name: string): void {
    this.detailCache.delete(name);
    this.lastOpCache.delete(name);
    this.prober.forget(name);
    this.signalsSeen.delete(name);
    for (const k of [...this.versionCache.keys()]) if (k.startsWith(`${name}/`)) this.versionCache.delete(k);
  }
}

function sameKey(a: KeyRef, b: KeyRef): boolean {
  if (a.keyType !== b.keyType) return false;
  if (a.keyType === 'AWS_OWNED_KEY') return true;
  return (a.keyArn ?? a.keyId) === (b.keyArn ?? b.keyId);
}

/** Which signals an attention holds: the fleet event goes out when these change, not their counts. */
function signature(a: Attention): string {
  return a.signals.map((x) => x.signal).join(',');
}

/** Leaf-by-leaf differences between two JSON values, with dotted paths. */
export function diffValues(a: unknown, b: unknown, path = ''): VersionDiff['changes'] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffValues(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return [{ path, ...(a !== undefined ? { from: a } : {}), ...(b !== undefined ? { to: b } : {}) }];
}
