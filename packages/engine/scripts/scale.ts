/**
 * Simulation-scale measurement (what `npm run bench` reports), against any build of the engine so two
 * builds can be compared side by side in the same time window:
 *
 *   node --import tsx packages/engine/scripts/scale.ts <apps> <hours> [engine module] [--fingerprint]
 *
 * The engine module defaults to the package's dist build. With --fingerprint it also prints a hash of
 * the final state (every stored row, the scheduler queue, metrics series and event logs), which must
 * be the same for two builds that claim to behave the same.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type * as EngineModule from '../src/index.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const fingerprint = process.argv.includes('--fingerprint');
const memTrace = process.argv.includes('--mem');
const mem = (label: string) => {
  if (!memTrace) return;
  // With --expose-gc, live memory only (after a full collection).
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const mib = (n: number) => Math.round(n / 1048576);
  console.error(label, {
    rss: mib(m.rss),
    heapTotal: mib(m.heapTotal),
    heapUsed: mib(m.heapUsed),
    external: mib(m.external),
    arrayBuffers: mib(m.arrayBuffers),
  });
};
const N = Number(args[0] ?? 100);
const HOURS = Number(args[1] ?? 24);
const modulePath = args[2] ?? new URL('../dist/index.js', import.meta.url).pathname;
const mod = (await import(pathToFileURL(resolve(modulePath)).href)) as typeof EngineModule;
const { adminContext, DEMO_BUCKET_ARN, Engine, APP_METRICS } = mod;

const ctx = adminContext();
const engine = new Engine({ seed: 'bench', timeProfile: 'fast', limits: { applicationsPerRegion: 1_000_000 } });
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
let setupEvents = 0;
const running = () => {
  let n = 0;
  for (const c of engine.store.clusters.values()) if (c.job?.processingSince !== undefined) n++;
  return n;
};
while (running() < N) setupEvents += engine.advanceBy(1000);
mem('setup');
// Time to attach an external profiler (perf record -p <pid>) to the advance alone.
const pause = Number(process.argv.find((a) => a.startsWith('--pause='))?.slice('--pause='.length) ?? 0);
if (pause > 0) {
  console.error(`pid ${process.pid}: advancing in ${pause} ms`);
  await new Promise((r) => setTimeout(r, pause));
}
const profileTo = process.argv.find((a) => a.startsWith('--cpu-profile='))?.slice('--cpu-profile='.length);
const profiler = profileTo ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const cpu1 = process.cpuUsage();
const t1 = performance.now();
let events = 0;
for (let h = 0; h < HOURS; h++) {
  events += engine.advanceBy(3_600_000);
  mem(`hour ${h + 1}`);
}
const t2 = performance.now();
const cpu = process.cpuUsage(cpu1);
if (profiler) writeFileSync(profileTo!, JSON.stringify((await profiler.post('Profiler.stop')).profile));
let checkpoints = 0;
for (const c of engine.store.clusters.values()) checkpoints += c.job?.checkpoints.counts.completed ?? 0;
const out: Record<string, unknown> = {
  applications: N,
  hours: HOURS,
  setupMs: Math.round(t1 - t0),
  setupEvents,
  advanceMs: Math.round(t2 - t1),
  // CPU time of the process during the advance (all threads, GC helpers included): steadier than wall
  // time on a shared machine.
  advanceCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  events,
  eventsPerSecond: Math.round(events / ((t2 - t1) / 1000)),
  checkpoints,
  maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 1048576),
  faults: engine.faults.length,
};
if (fingerprint) {
  const h = createHash('sha256');
  h.update(JSON.stringify(engine.dump()));
  h.update(JSON.stringify(engine.scheduler.events()));
  const end = engine.now();
  for (const appKey of engine.store.clusters.entries()) {
    const key = appKey[0];
    for (const m of APP_METRICS)
      h.update(JSON.stringify(engine.telemetry.metrics.query(key, m, end - 86_400_000, end)));
    h.update(JSON.stringify(engine.telemetry.logs.lines(key)));
  }
  out.fingerprint = h.digest('hex').slice(0, 16);
}
console.log(JSON.stringify(out));
