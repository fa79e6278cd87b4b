/**
 * One simulation-scale measurement in its own process (clean memory): N RUNNING applications at
 * parallelism 64 advanced through 24 simulated hours, checkpoints every minute, metrics every minute.
 */
import { adminContext, DEMO_BUCKET_ARN, Engine } from '@mfc/engine';

const N = Number(process.argv[2]);
const HOURS = Number(process.argv[3] ?? 24);
const ctx = adminContext();
const engine = new Engine({ seed: 'bench', timeProfile: 'fast', limits: { applicationsPerRegion: 1_000_000 } });
// No persistence in this measurement: the journal of changed rows is what the emulator would write.
engine.store.journal.enabled = false;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  engine.kinesisAnalytics.createApplication(ctx, {
    ApplicationName: `app-${i}`,
    RuntimeEnvironment: 'FLINK-1_20',
    ServiceExecutionRole: 'arn:aws:iam::123456789012:role/bench',
    ApplicationConfiguration: {
      ApplicationCodeConfiguration: {
        CodeContentType: 'ZIPFILE',
        CodeContent: {
          S3ContentLocation: { BucketARN: DEMO_BUCKET_ARN, FileKey: 'sessionizer/sessionizer-1.0.0.jar' },
        },
      },
      FlinkApplicationConfiguration: {
        ParallelismConfiguration: {
          ConfigurationType: 'CUSTOM',
          Parallelism: 64,
          ParallelismPerKPU: 1,
          AutoScalingEnabled: false,
        },
      },
    },
  });
  engine.kinesisAnalytics.startApplication(ctx, { ApplicationName: `app-${i}` });
}
// Until every subtask of every job runs: the setup, reported apart from the 24 hours.
let setupEvents = 0;
while ([...engine.store.clusters.values()].filter((c) => c.job?.processingSince !== undefined).length < N)
  setupEvents += engine.advanceBy(1000);
const t1 = performance.now();
let events = 0;
for (let h = 0; h < HOURS; h++) events += engine.advanceBy(3_600_000);
const t2 = performance.now();
const checkpoints = [...engine.store.clusters.values()].reduce(
  (n, c) => n + (c.job?.checkpoints.counts.completed ?? 0),
  0,
);
console.log(
  JSON.stringify({
    applications: N,
    hours: HOURS,
    setupMs: t1 - t0,
    setupEvents,
    advanceMs: t2 - t1,
    events,
    eventsPerSecond: events / ((t2 - t1) / 1000),
    checkpoints,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    heapUsedMiB: process.memoryUsage().heapUsed / 1048576,
    faults: engine.faults.length,
  }),
);
