/**
 * Compares what two builds of the engine simulate, scenario by scenario: every stored row but the event
 * queue, every metric point and every log line, with scheduler bookkeeping (event ids, the queue, trigger
 * times) left out. Two builds that differ only in how they schedule work must print the same hashes:
 *
 *   node --import tsx packages/engine/scripts/equivalence.ts <engine module A> <engine module B>
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type * as EngineModule from '../src/index.js';

type Mod = typeof EngineModule;
type Engine = InstanceType<Mod['Engine']>;

const load = async (path: string) => (await import(pathToFileURL(resolve(path)).href)) as Mod;

const BOOKKEEPING = new Set(['triggerEventId', 'nextTriggerAt']);

/** Canonical JSON: keys sorted, scheduler bookkeeping dropped, event ids masked. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (k: string, v: unknown) => {
    if (BOOKKEEPING.has(k)) return undefined;
    if (typeof v === 'string' && /^e\d+$/.test(v)) return 'e#';
    if (v && typeof v === 'object' && !Array.isArray(v))
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    return v;
  });
}

function fingerprint(mod: Mod, e: Engine, telemetry = true): string {
  const h = createHash('sha256');
  for (const row of e.dump()) {
    if (row.table === 'events' || row.table === 'meta') continue;
    h.update(`${row.table}/${row.key}=${canonical(row.value)}\n`);
  }
  const end = e.now();
  if (telemetry)
    for (const app of e.store.apps.values()) {
      for (const m of mod.APP_METRICS) {
        h.update(canonical(e.telemetry.metrics.query(app.key, m, end - 86_400_000, end)));
        h.update(canonical(e.telemetry.metrics.latest(app.key, m) ?? null));
      }
      h.update(canonical(e.telemetry.logs.lines(app.key)));
    }
  h.update(canonical(e.faults));
  return h.digest('hex').slice(0, 16);
}

interface Scenario {
  name: string;
  profile: 'instant' | 'fast' | 'realistic';
  run(mod: Mod, e: Engine): void;
}

const ROLE = 'arn:aws:iam::123456789012:role/flink-app';

function app(mod: Mod, e: Engine, name: string, version = '1.0.0', extra: Record<string, unknown> = {}) {
  const ctx = mod.adminContext();
  e.kinesisAnalytics.createApplication(ctx, {
    ApplicationName: name,
    RuntimeEnvironment: 'FLINK-1_20',
    ServiceExecutionRole: ROLE,
    ApplicationConfiguration: {
      ApplicationCodeConfiguration: {
        CodeContentType: 'ZIPFILE',
        CodeContent: {
          S3ContentLocation: { BucketARN: mod.DEMO_BUCKET_ARN, FileKey: `sessionizer/sessionizer-${version}.jar` },
        },
      },
      ...extra,
    },
  });
}

function key(mod: Mod, e: Engine) {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
      {
        Effect: 'Allow',
        Principal: { Service: [...mod.MSF_SERVICE_PRINCIPALS] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'],
        Resource: '*',
      },
    ],
  };
  return e.kms.createKey(mod.adminContext(), { Policy: JSON.stringify(policy) }).KeyMetadata!;
}

/** Steps event by event (as the tests do) for a while. */
function stepEvents(e: Engine, ms: number) {
  const end = e.now() + ms;
  for (let next = e.nextEventTime(); next !== undefined && next <= end; next = e.nextEventTime()) e.advanceTo(next);
  e.advanceTo(end);
}

const busy =
  (steps: boolean): Scenario['run'] =>
  (mod, e) => {
    const ctx = mod.adminContext();
    const k = key(mod, e);
    app(mod, e, 'a');
    app(mod, e, 'loop', '1.3.0-poison-pill');
    app(mod, e, 'slow', '1.4.0-slow-sink');
    app(mod, e, 'enc', '1.0.0', {
      ApplicationEncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: k.KeyId },
      FlinkApplicationConfiguration: {
        CheckpointConfiguration: {
          ConfigurationType: 'CUSTOM',
          CheckpointingEnabled: true,
          CheckpointInterval: 20_000,
          MinPauseBetweenCheckpoints: 1_000,
        },
      },
    });
    const adv = (ms: number) => (steps ? stepEvents(e, ms) : e.advanceBy(ms));
    for (const name of ['a', 'loop', 'slow', 'enc'])
      e.kinesisAnalytics.startApplication(ctx, { ApplicationName: name });
    adv(10 * 60_000);
    e.kinesisAnalytics.createApplicationSnapshot(ctx, { ApplicationName: 'a', SnapshotName: 's1' });
    adv(7_000);
    e.kms.disableKey(ctx, { KeyId: k.KeyId });
    adv(3 * 60_000 + 123);
    e.kms.enableKey(ctx, { KeyId: k.KeyId });
    e.kinesisAnalytics.updateApplication(ctx, {
      ApplicationName: 'a',
      CurrentApplicationVersionId: 1,
      ApplicationConfigurationUpdate: {
        FlinkApplicationConfigurationUpdate: {
          ParallelismConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', ParallelismUpdate: 3 },
        },
      },
    });
    adv(5 * 60_000);
    e.kms.scheduleKeyDeletion(ctx, { KeyId: k.KeyId, PendingWindowInDays: 7 });
    adv(30 * 60_000);
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'loop', Force: true });
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'slow' });
    adv(20 * 60_000);
    // The key is deleted by a scheduled event while 'enc' keeps checkpointing.
    e.advanceBy(7 * 86_400_000);
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'slow' });
    adv(60 * 60_000);
    // A deleted application's metrics go with it; the next application takes its storage.
    const created = e.kinesisAnalytics.describeApplication(ctx, { ApplicationName: 'loop' }).ApplicationDetail!;
    e.kinesisAnalytics.deleteApplication(ctx, { ApplicationName: 'loop', CreateTimestamp: created.CreateTimestamp! });
    adv(60_000);
    app(mod, e, 'late');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'late' });
    adv(30 * 60_000);
  };

/** Ends two minutes after a scheduled event deleted the key of a checkpointing application. */
const keyDeleted: Scenario['run'] = (mod, e) => {
  const ctx = mod.adminContext();
  const k = key(mod, e);
  app(mod, e, 'enc', '1.0.0', {
    ApplicationEncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: k.KeyId },
    FlinkApplicationConfiguration: {
      CheckpointConfiguration: {
        ConfigurationType: 'CUSTOM',
        CheckpointingEnabled: true,
        CheckpointInterval: 15_000,
        MinPauseBetweenCheckpoints: 1_000,
      },
    },
  });
  e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'enc' });
  e.advanceBy(5 * 60_000);
  e.kms.scheduleKeyDeletion(ctx, { KeyId: k.KeyId, PendingWindowInDays: 7 });
  e.advanceBy(7 * 86_400_000 + 100_000);
};

/** A restart loop at parallelism 16 fills its log past the limit, across two jobs (an update between). */
const longLog: Scenario['run'] = (mod, e) => {
  const ctx = mod.adminContext();
  app(mod, e, 'loop', '1.3.0-poison-pill', {
    FlinkApplicationConfiguration: {
      ParallelismConfiguration: { ConfigurationType: 'CUSTOM', Parallelism: 16, AutoScalingEnabled: false },
    },
  });
  e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'loop' });
  e.advanceBy(40 * 60_000);
  e.kinesisAnalytics.updateApplication(ctx, {
    ApplicationName: 'loop',
    CurrentApplicationVersionId: 1,
    ApplicationConfigurationUpdate: {
      FlinkApplicationConfigurationUpdate: {
        ParallelismConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', ParallelismUpdate: 12 },
      },
    },
  });
  for (let m = 0; m < 120; m++) e.advanceBy(60_000);
  if (process.env.EQ_VERBOSE) {
    const log = e.telemetry.logs.get(e.core.appKey(ctx, 'loop'))!;
    console.log(`    log: ${log.total} lines, ${log.entries.length} kept, jobs ${Object.keys(log.jobs).length}`);
  }
};

const fleet =
  (n: number, hours: number): Scenario['run'] =>
  (mod, e) => {
    const ctx = mod.adminContext();
    for (let i = 0; i < n; i++) {
      app(mod, e, `app-${i}`, '1.0.0', {
        FlinkApplicationConfiguration: {
          ParallelismConfiguration: {
            ConfigurationType: 'CUSTOM',
            Parallelism: 64,
            ParallelismPerKPU: 1,
            AutoScalingEnabled: false,
          },
        },
      });
      e.kinesisAnalytics.startApplication(ctx, { ApplicationName: `app-${i}` });
    }
    for (let h = 0; h < hours; h++) e.advanceBy(3_600_000);
  };

const scenarios: Scenario[] = [
  { name: 'fleet of 20 for 6 h (fast)', profile: 'fast', run: fleet(20, 6) },
  { name: 'busy, hourly advances (fast)', profile: 'fast', run: busy(false) },
  { name: 'busy, event by event (fast)', profile: 'fast', run: busy(true) },
  { name: 'busy, event by event (realistic)', profile: 'realistic', run: busy(true) },
  { name: 'busy, event by event (instant)', profile: 'instant', run: busy(true) },
  { name: 'busy, hourly advances (instant)', profile: 'instant', run: busy(false) },
  { name: 'key deleted by its event mid-advance (fast)', profile: 'fast', run: keyDeleted },
  { name: 'a log past its limit, two jobs (fast)', profile: 'fast', run: longLog },
];

const [a, b] = await Promise.all(process.argv.slice(2, 4).map(load));
let same = true;
for (const s of scenarios) {
  const prints = [a!, b!].map((mod) => {
    const e = new mod.Engine({ seed: `eq:${s.name}`, timeProfile: s.profile });
    s.run(mod, e);
    if (process.env.EQ_VERBOSE)
      for (const app of e.store.apps.values()) {
        const cp = e.flink.cluster(app.key)?.job?.checkpoints;
        console.log(
          `    ${app.name} ${app.status} ${canonical(cp?.counts)} ${cp?.history.map((c) => c.failureMessage?.slice(-50) ?? c.status).join(' | ')}`,
        );
      }
    return fingerprint(mod, e);
  });
  const ok = prints[0] === prints[1];
  same &&= ok;
  console.log(`${ok ? 'same' : 'DIFF'}  ${prints.join(' ')}  ${s.name}`);
}
// State stored by build A, loaded by build B, continues as it does in A (an upgrade of the emulator):
// stored rows compared.
{
  const ctx = a!.adminContext();
  const first = new a!.Engine({ seed: 'eq:upgrade', timeProfile: 'fast' });
  fleet(3, 1)(a!, first);
  busy(false)(a!, first);
  const rows = JSON.parse(JSON.stringify(first.dump())) as Parameters<Mod['Engine']['prototype']['store']['load']>[0];
  const loaded = new b!.Engine({ timeProfile: 'fast' }, rows);
  for (const [mod, e] of [
    [a!, first],
    [b!, loaded],
  ] as const) {
    e.advanceBy(2 * 3_600_000 + 17_000);
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app-1' });
    stepEvents(e, 30 * 60_000);
    void mod;
  }
  // Telemetry is kept in memory only: a loaded engine starts without it.
  const prints = [fingerprint(a!, first, false), fingerprint(b!, loaded, false)];
  const ok = prints[0] === prints[1];
  same &&= ok;
  console.log(`${ok ? 'same' : 'DIFF'}  ${prints.join(' ')}  stored by A, loaded by B`);
}
process.exitCode = same ? 0 : 1;
