/**
 * Cluster-level resources: /config (the dashboard's boot call), /overview and /jobmanager/config, with
 * the Flink version of the application's runtime and MSF's cluster settings.
 */
import { TIME_PROFILES, type ClusterState } from '@mfc/engine';
import { requireKnownJob, type RestContext } from './context.js';
import { metricValues, processMetrics, type MetricId, type MetricValue } from './metrics.js';
import { isGloballyTerminal } from './states.js';
import { usedSlots } from './taskmanagers.js';
import { FLINK_COMMIT, FLINK_REVISION, flinkVersion } from './versions.js';

// ---- wire types ------------------------------------------------------------------------------------

export interface DashboardConfiguration {
  'refresh-interval': number;
  'timezone-name': string;
  'timezone-offset': number;
  'flink-version': string;
  'flink-revision': string;
  features: { 'web-submit': boolean; 'web-cancel': boolean; 'web-rescale': boolean; 'web-history': boolean };
}

export interface ClusterOverview {
  taskmanagers: number;
  'slots-total': number;
  'slots-available': number;
  'jobs-running': number;
  'jobs-finished': number;
  'jobs-cancelled': number;
  'jobs-failed': number;
  'flink-version': string;
  'flink-commit': string;
}

export interface EnvironmentInfo {
  jvm: { version: string; arch: string; options: string[] };
  classpath: string[];
}

export interface ConfigEntry {
  key: string;
  value: string;
}

/** The JobManager's heap (-Xmx) of a 2 GiB JobManager process. */
const JOBMANAGER_HEAP = 1_530_920_960;

// ---- handlers --------------------------------------------------------------------------------------

export function dashboardConfig(ctx: RestContext): DashboardConfiguration {
  return {
    'refresh-interval': 3000,
    'timezone-name': 'Coordinated Universal Time',
    'timezone-offset': 0,
    'flink-version': flinkVersion(ctx.app),
    'flink-revision': FLINK_REVISION,
    // MSF disables submitting, cancelling and rescaling from the dashboard.
    features: { 'web-submit': false, 'web-cancel': false, 'web-rescale': false, 'web-history': false },
  };
}

function slots(cluster: ClusterState): { total: number; free: number } {
  const total = cluster.taskManagers.reduce((n, tm) => n + tm.slots, 0);
  const used = cluster.taskManagers.reduce((n, _, i) => n + usedSlots(cluster, i), 0);
  return { total, free: Math.max(0, total - used) };
}

export function clusterOverview(ctx: RestContext): ClusterOverview {
  const { cluster } = ctx;
  const { total, free } = slots(cluster);
  const ended = cluster.finishedJobs.map((j) => j.status);
  const live = cluster.job?.status;
  const count = (status: string) => ended.filter((s) => s === status).length + (live === status ? 1 : 0);
  return {
    taskmanagers: cluster.taskManagers.length,
    'slots-total': total,
    'slots-available': free,
    'jobs-running': live && !isGloballyTerminal(live) ? 1 : 0,
    'jobs-finished': count('FINISHED'),
    'jobs-cancelled': count('CANCELED'),
    'jobs-failed': count('FAILED'),
    'flink-version': flinkVersion(ctx.app),
    'flink-commit': FLINK_COMMIT,
  };
}

/** The JobManager's effective configuration as MSF sets it up (a representative subset). */
export function jobManagerConfig(ctx: RestContext): ConfigEntry[] {
  const { cluster, engine } = ctx;
  const job = cluster.job;
  const cp = job?.checkpoints;
  const restartDelay = TIME_PROFILES[engine.timeProfile].restartDelayMs;
  const entries: [string, string][] = [
    ['jobmanager.rpc.address', `${cluster.clusterId}-jobmanager`],
    ['jobmanager.rpc.port', '6123'],
    ['jobmanager.memory.process.size', '2048m'],
    ['rest.port', '8081'],
    ['rest.address', `${cluster.clusterId}-jobmanager`],
    ['taskmanager.numberOfTaskSlots', String(cluster.parallelismPerKpu)],
    ['taskmanager.memory.process.size', '4096m'],
    ['parallelism.default', String(cluster.parallelism)],
    ['state.backend.type', 'rocksdb'],
    ['state.backend.incremental', 'true'],
    ['state.checkpoints.dir', `s3://managed-flink-state/${cluster.clusterId}`],
    ['state.savepoints.dir', 's3://managed-flink-snapshots'],
    ['execution.checkpointing.mode', 'EXACTLY_ONCE'],
    ['execution.checkpointing.externalized-checkpoint-retention', 'RETAIN_ON_CANCELLATION'],
    ['restart-strategy.type', 'fixed-delay'],
    ['restart-strategy.fixed-delay.attempts', '2147483647'],
    ['restart-strategy.fixed-delay.delay', `${restartDelay} ms`],
    ['high-availability.type', 'kubernetes'],
    ['kubernetes.cluster-id', cluster.clusterId],
    ['classloader.resolve-order', 'child-first'],
    ['web.submit.enable', 'false'],
    ['web.cancel.enable', 'false'],
    ['web.timeout', '600000'],
  ];
  if (cp?.enabled) {
    entries.push(['execution.checkpointing.interval', `${cp.interval} ms`]);
    entries.push(['execution.checkpointing.min-pause', `${cp.minPause} ms`]);
    entries.push(['execution.checkpointing.timeout', `${cp.timeout} ms`]);
  }
  // What the job applied from its runtime properties (FlinkApplicationProperties).
  if (job?.options?.unalignedCheckpoints) entries.push(['execution.checkpointing.unaligned.enabled', 'true']);
  if (job?.options?.bufferDebloat) entries.push(['taskmanager.network.memory.buffer-debloat.enabled', 'true']);
  return entries.sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value }));
}

/** The JobManager's JVM: what MSF runs (Amazon Corretto 11, x86_64). */
export function jobManagerEnvironment(ctx: RestContext): EnvironmentInfo {
  const v = flinkVersion(ctx.app);
  return {
    jvm: {
      version: 'OpenJDK 64-Bit Server VM - Amazon.com Inc. - 11.0.25/11.0.25+9-LTS',
      arch: 'amd64',
      options: [
        `-Xmx${JOBMANAGER_HEAP}`,
        `-Xms${JOBMANAGER_HEAP}`,
        '-XX:MaxMetaspaceSize=268435456',
        '-Dlog4j.configurationFile=file:/opt/flink/conf/log4j-console.properties',
      ],
    },
    classpath: [
      `/opt/flink/lib/flink-dist-${v}.jar`,
      `/opt/flink/lib/flink-table-runtime-${v}.jar`,
      '/opt/flink/lib/log4j-core-2.17.1.jar',
    ],
  };
}

/** Job-scoped JobManager resources: the job runs on the cluster's one JobManager. */
export function jobScoped<T>(handler: (ctx: RestContext) => T): (ctx: RestContext) => T {
  return (ctx) => {
    requireKnownJob(ctx);
    return handler(ctx);
  };
}

export function jobManagerMetrics(ctx: RestContext): MetricId[] | MetricValue[] {
  return metricValues(ctx, processMetrics(`${ctx.cluster.clusterId}:jobmanager`, JOBMANAGER_HEAP, ctx.now));
}
