/**
 * One telemetry-durability measurement, in a fresh process:
 *
 *   node --import tsx bench/src/telemetry-worker.ts <apps> <hours> with|without
 *
 * A fleet of RUNNING applications at parallelism 64, as in the simulation-scale measurement, with one in
 * fifty the poison-pill job at parallelism 4 (it restarts every few seconds and logs without end, up to
 * the 10,000 lines kept per application) advances hour by hour on the built engine. `with` archives its telemetry into a
 * TelemetryStore in a temporary data directory, flushed after every simulated hour (the emulator flushes
 * every wall second, and on its own past 4,096 changed hour chunks); `without` runs the same advance with
 * nothing attached, for the ratio. Prints one JSON line.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelemetryStore, TELEMETRY_FILE } from '@mfc/emulator';
import { adminContext, DEMO_BUCKET_ARN, Engine } from '@mfc/engine';

const [n = '1000', h = '24', mode = 'with'] = process.argv.slice(2);
const N = Number(n);
const HOURS = Number(h);

const ctx = adminContext();
const engine = new Engine({ seed: 'bench', timeProfile: 'fast', limits: { applicationsPerRegion: 1_000_000 } });
engine.store.journal.enabled = false;
for (let i = 0; i < N; i++) {
  const looping = i % 50 === 49;
  const file = looping ? 'sessionizer-1.3.0-poison-pill.jar' : 'sessionizer-1.0.0.jar';
  engine.kinesisAnalytics.createApplication(ctx, {
    ApplicationName: `app-${i}`,
    RuntimeEnvironment: 'FLINK-1_20',
    ServiceExecutionRole: 'arn:aws:iam::123456789012:role/bench',
    ApplicationConfiguration: {
      ApplicationCodeConfiguration: {
        CodeContentType: 'ZIPFILE',
        CodeContent: { S3ContentLocation: { BucketARN: DEMO_BUCKET_ARN, FileKey: `sessionizer/${file}` } },
      },
      FlinkApplicationConfiguration: {
        ParallelismConfiguration: {
          ConfigurationType: 'CUSTOM',
          Parallelism: looping ? 4 : 64,
          ParallelismPerKPU: 1,
          AutoScalingEnabled: false,
        },
      },
    },
  });
  engine.kinesisAnalytics.startApplication(ctx, { ApplicationName: `app-${i}` });
}
for (let s = 0; s < 120; s++) engine.advanceBy(1000);

const dir = mkdtempSync(join(tmpdir(), 'mfc-bench-telemetry-'));
const store = mode === 'with' ? new TelemetryStore(dir) : undefined;
store?.attach(engine);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let flushMs = 0;
for (let hour = 0; hour < HOURS; hour++) {
  engine.advanceBy(3_600_000);
  const f = performance.now();
  store?.flush();
  flushMs += performance.now() - f;
}
const advanceMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
let bytes = 0;
let lines = 0;
for (const key of engine.telemetry.logs.keys()) lines += engine.telemetry.logs.get(key)!.entries.length;
const stats = store?.stats();
if (store) {
  store.close();
  bytes = statSync(join(dir, TELEMETRY_FILE)).size;
}
if (process.env.MFC_BENCH_KEEP) console.error(dir);
else rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    applications: N,
    hours: HOURS,
    mode,
    advanceMs: Math.round(advanceMs),
    advanceCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    flushMs: Math.round(flushMs),
    bytes,
    bytesPerApplicationHour: Math.round(bytes / (N * HOURS)),
    metricHours: stats?.metricHours ?? 0,
    metricBytesPerApplicationHour: stats?.metricHours ? Math.round(stats.metricBytes / stats.metricHours) : 0,
    logLinesStored: stats?.logLines ?? 0,
    logLinesKept: lines,
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    faults: engine.faults.length,
  }),
);
