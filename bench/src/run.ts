/**
 * npm run bench: every figure measured side by side in this one run, printed as ratios, and written to
 * BENCHMARKS.md with the command behind it. Targets come from the performance issue; nothing here is a
 * timed unit test.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DETAIL_READ_CONCURRENCY } from '@mfc/bff';
import { consolePerf, median, type ConsoleResult } from './console-perf.js';
import { emulatorThroughput, type ThroughputRow } from './emulator-throughput.js';
import { monitoring, type MonitoringResult } from './monitoring.js';
import { replicasBench, type ReplicasResult } from './replicas.js';
import { ROOT } from './processes.js';
import { simulationScale, type ScaleResult } from './simulation-scale.js';
import { telemetryDurability, type TelemetryRun } from './telemetry-durability.js';

const log = (line: string) => console.error(`[bench] ${line}`);
const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const pass = (ok: boolean) => (ok ? 'yes' : '**no**');

/** The sections, in order; MFC_BENCH_ONLY=console (or a comma-separated list) runs some and keeps the rest of BENCHMARKS.md. */
const SECTIONS = ['emulator', 'simulation', 'telemetry', 'monitoring', 'replicas', 'console'] as const;
type Section = (typeof SECTIONS)[number];
const HEADINGS: Record<Section, string> = {
  emulator: '## Emulator throughput',
  simulation: '## Simulation scale',
  telemetry: '## Telemetry durability',
  monitoring: '## Monitoring recipes',
  replicas: '## Replicas',
  console: '## Console',
};

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const only = process.env.MFC_BENCH_ONLY?.split(',').map((s) => s.trim());
  const unknown = only?.filter((s) => !(SECTIONS as readonly string[]).includes(s)) ?? [];
  if (unknown.length > 0)
    throw new Error(`MFC_BENCH_ONLY: unknown section ${unknown.join(', ')} (${SECTIONS.join(', ')})`);
  const run = (s: Section) => !only || only.includes(s);
  const sections = new Map<Section, string[]>();
  if (run('emulator')) sections.set('emulator', throughputSection(await emulatorThroughput(log)));
  if (run('simulation')) sections.set('simulation', scaleSection(simulationScale([10, 100, 1000], log)));
  if (run('telemetry')) sections.set('telemetry', telemetrySection(telemetryDurability(1000, 24, log)));
  if (run('monitoring')) sections.set('monitoring', monitoringSection(await monitoring(log)));
  if (run('replicas')) sections.set('replicas', replicasSection(await replicasBench(log)));
  if (run('console')) sections.set('console', consoleSection(await consolePerf(log)));

  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(
    `Measured by \`npm run bench\` on ${started} — ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${f0(totalmem() / 2 ** 30)} GiB, Node ${process.version}. ` +
      'Every ratio compares systems measured one after the other in this same run on the same machine; the machine is shared, so absolute numbers move between runs and the ratios are what to read.',
    '',
  );
  // A partial run keeps the other sections of the last full run as they were.
  const previous = only ? previousSections() : new Map<Section, string[]>();
  for (const s of SECTIONS) {
    const text = sections.get(s) ?? previous.get(s);
    if (!text) continue;
    if (!sections.has(s))
      lines.push(`<!-- kept from an earlier run: not measured by MFC_BENCH_ONLY=${only?.join(',')} -->`, '');
    lines.push(...text);
  }

  const text = `${lines.join('\n')}\n`;
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), text);
  console.log(text);
}

function previousSections(): Map<Section, string[]> {
  const out = new Map<Section, string[]>();
  const file = join(ROOT, 'BENCHMARKS.md');
  if (!existsSync(file)) return out;
  let current: Section | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('## ')) current = SECTIONS.find((s) => line.startsWith(HEADINGS[s]));
    else if (line.startsWith('<!-- kept from an earlier run')) continue;
    if (current) out.set(current, [...(out.get(current) ?? []), line]);
  }
  for (const lines of out.values()) {
    while (lines.at(-1) === '') lines.pop();
    lines.push('');
  }
  return out;
}

function throughputSection(throughput: ThroughputRow[]): string[] {
  const lines: string[] = [];
  lines.push('## Emulator throughput (wrk, one client thread, 16 connections, loopback)', '');
  lines.push(
    '| call | emulator req/s | p50 ms | p99 ms | floor req/s (bare Node http, same bytes) | floor p99 ms | emulator / floor | moto_server req/s | emulator / moto | targets |',
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of throughput) {
    const ratio = r.floor ? r.emulator.requestsPerSecond / r.floor.requestsPerSecond : undefined;
    const moto = typeof r.moto === 'object' ? r.moto : undefined;
    const target =
      r.call === 'DescribeApplication'
        ? `≥ 0.5× floor: ${pass((ratio ?? 0) >= 0.5)}; p99 ≤ 2 ms: ${pass(r.emulator.p99Ms <= 2)}`
        : '—';
    lines.push(
      `| ${r.call} | ${f0(r.emulator.requestsPerSecond)} | ${f2(r.emulator.p50Ms)} | ${f2(r.emulator.p99Ms)} | ${r.floor ? f0(r.floor.requestsPerSecond) : '—'} | ${r.floor ? f2(r.floor.p99Ms) : '—'} | ${ratio !== undefined ? f2(ratio) : '—'} | ${moto ? f0(moto.requestsPerSecond) : (r.moto ?? '—')} | ${moto ? f2(r.emulator.requestsPerSecond / moto.requestsPerSecond) : '—'} | ${target} |`,
    );
  }
  lines.push(
    '',
    "Command: `npm run bench` (bench/src/emulator-throughput.ts). The floor answers every request with the bytes the emulator answered, so the ratio is the cost of the emulator's own work. StartApplication changes state, so it is measured as 1,000 READY applications started once each by 16 concurrent clients. wrk runs one thread beside the server on the same cores, so the floor's own p99 is the least a server reaches here; with 16 requests always in flight a server's mean latency is 16 ÷ its requests a second, so its p99 follows its throughput.",
    '',
  );

  return lines;
}

function scaleSection(scale: ScaleResult[]): string[] {
  const lines: string[] = [];
  lines.push(
    '## Simulation scale (RUNNING applications at parallelism 64, 24 simulated hours, checkpoints and metrics every minute)',
    '',
  );
  lines.push(
    '| applications | 24 h advance, s | events | events/s | checkpoints completed | max RSS MiB | setup (create, start, all subtasks RUNNING), s | cost per application vs 10 | targets (1,000: ≤ 10 s, ≤ 1 GiB) |',
  );
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  const base = scale[0]!;
  for (const s of scale)
    lines.push(
      `| ${f0(s.applications)} | ${f2(s.advanceMs / 1000)} | ${f0(s.events)} | ${f0(s.eventsPerSecond)} | ${f0(s.checkpoints)} | ${f0(s.maxRssMiB)} | ${f2(s.setupMs / 1000)} | ${f2(s.advanceMs / s.applications / (base.advanceMs / base.applications))} | ${s.applications === 1000 ? `${pass(s.advanceMs <= 10_000)} / ${pass(s.maxRssMiB <= 1024)}` : '—'} |`,
    );
  lines.push(
    '',
    'Command: `npm run bench` (packages/engine/scripts/scale.ts on the built engine, one fresh process per size; `node --import tsx packages/engine/scripts/scale.ts 1000 24` alone).',
    '',
  );

  return lines;
}

function telemetrySection(r: { without: TelemetryRun; with: TelemetryRun }): string[] {
  const w = r.with;
  const mib = (b: number) => f1(b / 2 ** 20);
  // One-minute points are kept 15 days; logs are bounded per application, so only metrics grow past a day.
  const fifteenDays = w.bytes + w.metricBytesPerApplicationHour * w.applications * (15 * 24 - w.hours);
  const lines: string[] = [];
  lines.push(
    `## Telemetry durability (${f0(w.applications)} RUNNING applications, ${w.hours} simulated hours, metrics and logs archived to the data directory)`,
    '',
  );
  lines.push(
    '| measurement | without the telemetry store | with it | with / without | target |',
    '| --- | ---: | ---: | ---: | --- |',
    `| ${w.hours} h advance, s (CPU s) | ${f2(r.without.advanceMs / 1000)} (${f2(r.without.advanceCpuMs / 1000)}) | ${f2(w.advanceMs / 1000)} (${f2(w.advanceCpuMs / 1000)}), of which flushes ${f2(w.flushMs / 1000)} | ${f2(w.advanceMs / r.without.advanceMs)} | — |`,
    `| max RSS MiB | ${f0(r.without.maxRssMiB)} | ${f0(w.maxRssMiB)} | ${f2(w.maxRssMiB / r.without.maxRssMiB)} | — |`,
    `| telemetry file on disk | — | ${mib(w.bytes)} MiB: ${f0(w.bytesPerApplicationHour)} bytes per application-hour | — | < 1 GiB: ${pass(w.bytes < 2 ** 30)} |`,
    `| of which one-minute metrics | — | ${f0(w.metricHours)} hour chunks, ${f0(w.metricBytesPerApplicationHour)} bytes per application-hour (18 metrics × 60 minutes × 4 bytes = 4,320 raw) | — | — |`,
    `| log lines stored / kept by the engine | — | ${f0(w.logLinesStored)} / ${f0(w.logLinesKept)} | — | equal: ${pass(w.logLinesStored === w.logLinesKept)} |`,
    `| projected at 15 days (metrics' retention; logs bounded per application) | — | ${mib(fifteenDays)} MiB | — | — |`,
    '',
    "Command: `npm run bench` (bench/src/telemetry-worker.ts, one fresh process each: `node --import tsx bench/src/telemetry-worker.ts 1000 24 with|without`). The fleet is the simulation-scale one (parallelism 64) with one application in fifty running the poison-pill job at parallelism 4, which restarts every few seconds and fills its 10,000-line log. The store is flushed after every simulated hour here; the emulator flushes every wall second, which bounds what a crash can lose. Most of the flush time is the looping jobs' log lines: 10,000 new rows per looping application per simulated hour.",
    '',
  );
  return lines;
}

function monitoringSection(m: MonitoringResult): string[] {
  const a = m.alarms;
  const perMinute = a.evaluationMs / a.evaluationRounds;
  const states = (x: Record<string, number>) =>
    Object.entries(x)
      .map(([k, v]) => `${f0(v)} ${k}`)
      .join(', ');
  const lines: string[] = [];
  lines.push('## Monitoring recipes (CloudWatch alarms with metric math, Logs Insights)', '');
  lines.push(
    `### Alarm evaluation: ${f0(a.applications)} RUNNING applications × 3 alarms, ${a.minutes} simulated minutes`,
    '',
    '| measurement | result |',
    '| --- | ---: |',
    `| ${a.minutes} simulated minutes without alarms, s (CPU s) | ${f2(a.withoutMs / 1000)} (${f2(a.withoutCpuMs / 1000)}) |`,
    `| the same with ${f0(a.alarms)} alarms, s (CPU s) | ${f2(a.withMs / 1000)} (${f2(a.withCpuMs / 1000)}) |`,
    `| with / without | ${f2(a.withMs / a.withoutMs)} |`,
    `| evaluation of all ${f0(a.alarms)} alarms, per simulated minute (AlarmService.evaluateDue) | ${f1(perMinute)} ms = ${f1((perMinute * 1000) / a.alarms)} µs an alarm, ${f0((a.alarms / perMinute) * 1000)} evaluations/s |`,
    `| PutMetricAlarm × ${f0(a.alarms)} in the engine | ${f0(a.putMs)} ms |`,
    `| states after ${a.minutes} minutes (the ${a.looping} poison-pill jobs' restart-loop alarms must be the ALARMs among the loop alarms) | all: ${states(a.states)}; restart-loop alarms: ${states(a.loopStates)} |`,
    `| max RSS MiB | ${f0(a.maxRssMiB)} |`,
    '',
  );
  lines.push(
    '### The alarm calls over the wire (JSON 1.0, 16 clients; moto_server stores alarms and never evaluates them)',
    '',
  );
  if (typeof m.wire === 'string') lines.push(m.wire, '');
  else {
    const [e, moto] = m.wire;
    lines.push(
      '| system | PutMetricAlarm × 3,000 (DIFF alarms), ms | DescribeAlarms, every page of 100, ms | alarms described | evaluates on a clock |',
      '| --- | ---: | ---: | ---: | --- |',
      ...m.wire.map(
        (w) =>
          `| ${w.system} | ${f0(w.putAlarmsMs)} | ${f0(w.describeAllMs)} | ${f0(w.described)} | ${w.system === 'emulator' ? 'yes, every period' : 'no'} |`,
      ),
      '',
    );
    if (e && moto)
      lines.push(
        `moto_server / emulator: PutMetricAlarm ${f2(moto.putAlarmsMs / e.putAlarmsMs)}×, DescribeAlarms ${f2(moto.describeAllMs / e.describeAllMs)}× the emulator's time.`,
        '',
      );
  }
  const i = m.insights;
  lines.push(
    `### Logs Insights over ${f0(i.events)} log events (${i.applications} looping applications, one log group)`,
    '',
    `Filling the log group took ${f2(i.fillMs / 1000)} s of simulation. Each query: StartQuery, then GetQueryResults every 20 ms until Complete (the results grow while it runs); wall time from StartQuery to Complete.`,
    '',
    '| query | system | wall ms | records scanned | matched | rows | GetQueryResults calls | first row |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  const rows = (system: string, runs: typeof i.emulator) =>
    runs.map(
      (r) =>
        `| ${r.name} | ${system} | ${f0(r.wallMs)} | ${f0(r.recordsScanned)} | ${f0(r.recordsMatched)} | ${f0(r.rows)} | ${r.polls} | ${r.sample ? `\`${JSON.stringify(r.sample).replace(/\|/g, '\\|').slice(0, 160)}\`` : '—'} |`,
    );
  lines.push(...rows('emulator', i.emulator));
  if (typeof i.moto === 'string') lines.push(`| — | moto_server | ${i.moto} | | | | | |`);
  else lines.push(...rows('moto_server', i.moto));
  lines.push('');
  if (typeof i.moto !== 'string') {
    const theirs = i.moto[0];
    const mine = i.emulator.find((r) => r.name === theirs?.name);
    if (mine && theirs)
      lines.push(
        `On the query both run, moto_server took ${f2(theirs.wallMs / mine.wallMs)}× the emulator's time (after ${f2(i.motoIngestMs / 1000)} s of PutLogEvents to copy the events in). moto's Insights reads only fields, sort and limit: it would answer the guidance's parse/filter query with every event unparsed, so that query runs on the emulator alone.`,
        '',
      );
  }
  lines.push(
    'Command: `npm run bench` (bench/src/monitoring.ts; `MFC_BENCH_ONLY=monitoring npm run bench --workspace @mfc/bench` alone; the workers `node --import tsx bench/src/alarm-worker.ts 1000 30` and `node --import tsx bench/src/insights-worker.ts 110 moto` run one part each).',
    '',
  );
  return lines;
}

function replicasSection(r: ReplicasResult): string[] {
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
  };
  const one = r.runs.find((x) => x.replicas === 1 && x.store === 'postgres');
  const three = r.runs.find((x) => x.replicas === 3);
  const top = (by: Record<string, number>) =>
    Object.entries(by)
      .slice(0, 5)
      .map(([k, v]) => `${k} ${f0(v)}`)
      .join(', ');
  const lines: string[] = [];
  lines.push(
    `## Replicas (the console as a shared service: ${f0(r.applications)} applications, ${f0(r.running)} running, a browser on the fleet per replica)`,
    '',
    `The BFF replicas run from the build as their own processes against one emulator behind a counting proxy that hides the emulator's admin routes, so they poll as against AWS (no change signal) and every call they make is counted. Pollers every ${r.pollMs} ms (MFC_POLL_MS), shared reads for 5 s (MFC_READ_CACHE_MS). Calls are counted for the last ${three?.seconds ?? '—'} s of each configuration, after every replica's fleet answer is complete (no row pending). Push latency: StopApplication sent to the emulator until STOPPING shows in the fleet row of the browser on every replica (MutationObserver, same machine clock).`,
    '',
    '| configuration | AWS calls a minute | the most frequent | push latency to every browser p50 / p95 / max, ms | targets |',
    '| --- | ---: | --- | --- | --- |',
  );
  for (const run of r.runs) {
    const target =
      run === three && one
        ? `3 replicas / 1: ${f2(run.callsPerMinute / one.callsPerMinute)} (goal 1.00): ${pass(run.callsPerMinute <= one.callsPerMinute * 1.1)}; p95 ≤ 1 s: ${pass(pct(run.pushMs, 95) <= 1000)}`
        : '—';
    lines.push(
      `| ${run.replicas} × ${run.store === 'postgres' ? 'PostgreSQL' : 'SQLite (one process)'} | ${f0(run.callsPerMinute)} | ${top(run.byOperation)} | ${f0(pct(run.pushMs, 50))} / ${f0(pct(run.pushMs, 95))} / ${f0(Math.max(...run.pushMs))} (${run.pushMs.length} samples) | ${target} |`,
    );
  }
  lines.push(
    '',
    'Command: `npm run bench` (bench/src/replicas.ts; `MFC_BENCH_ONLY=replicas npm run bench --workspace @mfc/bench` alone, `MFC_BENCH_REPLICA_SECONDS` and `MFC_BENCH_REPLICA_POLL_MS` change its length and poll interval). The failover itself is tested in apps/bff/test/replicas.test.ts.',
    '',
  );
  return lines;
}

function consoleSection(c: ConsoleResult): string[] {
  const ms = (all: readonly number[]) => {
    const xs = all.filter(Number.isFinite);
    return xs.length ? `${f0(median(xs))} ms (${f0(Math.min(...xs))}–${f0(Math.max(...xs))})` : '—';
  };
  const maxOf = (xs: readonly number[]) => (xs.length ? Math.max(...xs) : 0);
  const longs = (xs: readonly { count: number; maxMs: number }[]) =>
    xs.length
      ? `${xs.reduce((n, x) => n + x.count, 0)} in ${xs.length} runs (longest task ${f0(maxOf(xs.map((x) => x.maxMs)))} ms; median of the runs' longest ${f0(median(xs.map((x) => x.maxMs)))} ms)`
      : '—';
  const noLong = (xs: readonly { count: number }[]) => (xs.length ? pass(xs.every((x) => x.count === 0)) : '—');
  const within = (xs: readonly number[], limit: number) => (xs.length ? pass(median(xs) <= limit) : '—');
  const lines: string[] = [];
  lines.push(
    '## Console (Chromium, the built console served by the BFF, 1,000 applications in its embedded emulator)',
    '',
  );
  lines.push(
    `Real product, no synthetic answers: the BFF runs with its embedded emulator (\`MFC_APPLICATION_QUOTA=${c.setup.applications}\`), ${f0(c.setup.applications)} applications were created through the AWS SDK (${f2(c.setup.createMs / 1000)} s) and ${f0(c.setup.running)} started (${f2(c.setup.startMs / 1000)} s until RUNNING), among them a job of 64 unchained operators at parallelism 256 (a code package manifest); a second such job, restarting every few seconds, streams subtask states for the update measurement. ${c.browser}, 1440 × 900, each run in a fresh browser context (empty HTTP cache). The machine is shared: its 1-minute load average was ${c.loadAverage.map((l) => l.toFixed(1)).join(', ')} when the measurements below started, on ${cpus().length} cores, and long tasks are wall-clock time, so a busy machine lengthens them. Medians, with the range over runs; a long task is one over 50 ms (PerformanceObserver \`longtask\`).`,
    '',
  );
  lines.push(
    `The BFF's own answers (timed outside the browser): the fleet of 1,000 ${f0(c.api.fleetColdMs)} ms the first time after start, with ${f0(c.api.fleetColdPending)} rows' details pending (each application is described and its newest operation read, ${DETAIL_READ_CONCURRENCY} at a time in the background; complete ${f0(c.api.fleetCompleteMs)} ms after that first request), then ${ms(c.api.fleetMs)} warm; the 64 × 256 job view ${ms(c.api.jobMs)}. The browser measurements below start warm, except the cold fleet's row.`,
    '',
  );
  lines.push('| measurement | result | target | met |');
  lines.push('| --- | --- | --- | --- |');
  lines.push(
    `| Fleet of 1,000: navigation start to the first status painted | ${ms(c.fleet.firstStatusMs)}; the fleet API requested at ${ms(c.fleet.apiStartMs)}, answered at ${ms(c.fleet.apiDoneMs)} | ≤ 1 s | ${within(c.fleet.firstStatusMs, 1000)} |`,
  );
  if (c.fleet.cold.firstStatusMs.length > 0)
    lines.push(
      `| Fleet of 1,000 on a cold BFF (its caches emptied, as after a start): navigation start to the first status painted | ${ms(c.fleet.cold.firstStatusMs)}, the rows' details pending; the last pending row on screen filled in at ${ms(c.fleet.cold.completeMs)} | ≤ 1 s | ${within(c.fleet.cold.firstStatusMs, 1000)} |`,
    );
  const frames = c.fleet.scroll.map((s) => s.frames);
  lines.push(
    `| Fleet of 1,000: scroll top to bottom, 240 px a frame (${frames.length ? f0(median(frames)) : '—'} frames) | long tasks: ${longs(c.fleet.scroll.map((s) => s.longTasks))}; worst frame ${ms(c.fleet.scroll.map((s) => s.worstFrameMs))} | no long task | ${noLong(c.fleet.scroll.map((s) => s.longTasks))} |`,
  );
  // What a Chromium trace of the same runs says about the long tasks: how much of each was the page's CPU.
  const tracedText = (xs: readonly { longTasks: { wallMs: number; cpuMs: number }[]; maxCpuMs: number }[]) => {
    if (!xs.length) return '';
    const long = xs.flatMap((x) => x.longTasks);
    return `; in a Chromium trace the longest task had ${f0(maxOf(xs.map((x) => x.maxCpuMs)))} ms of CPU${long.length ? `, and the tasks over 50 ms on the wall clock ${long.map((t) => `${f0(t.cpuMs)} of ${f0(t.wallMs)} ms`).join(', ')}` : ''}`;
  };
  const cpuFrame = c.fleet.scroll.map((x) => x.traced.cpuPerFrameMs);
  const tracedLong = c.fleet.scroll.flatMap((x) => x.traced.longTasks);
  if (cpuFrame.length)
    lines.push(
      `| Fleet of 1,000: the same scrolls in a Chromium trace (thread time of the renderer's main thread) | ${f1(median(cpuFrame))} ms CPU a frame (${f1(Math.min(...cpuFrame))}–${f1(Math.max(...cpuFrame))}); the longest task had ${f0(maxOf(c.fleet.scroll.map((x) => x.traced.maxCpuMs)))} ms of CPU${tracedLong.length ? `; the tasks over 50 ms on the wall clock had ${tracedLong.map((t) => `${f0(t.cpuMs)} of ${f0(t.wallMs)} ms`).join(', ')} on the CPU (the rest: waiting for one of the ${cpus().length} cores)` : ''} | — | — |`,
    );
  if (c.serverIdle.seconds)
    lines.push(
      `| The BFF with its embedded emulator (1,000 applications, ${f0(c.setup.running)} running) while one browser's SSE stream is open and nothing changes, ${c.serverIdle.seconds} s each way | ${f0(c.serverIdle.signal.cpuMsPerSecond)} ms CPU and ${f1(c.serverIdle.signal.readsPerSecond)} lifecycle reads a second, the pollers asking the emulator's state generation first; ${f0(c.serverIdle.everyPoll.cpuMsPerSecond)} ms CPU and ${f1(c.serverIdle.everyPoll.readsPerSecond)} reads a second reading on every poll (as against AWS): ${f2(c.serverIdle.everyPoll.cpuMsPerSecond / Math.max(1, c.serverIdle.signal.cpuMsPerSecond))}× the CPU | — (it shares the 2 cores with the browser here) | — |`,
      `| The same, with a second stream watching the 64 × 256 job (as its job graph tab does) | ${f0(c.serverIdle.watchingJob.cpuMsPerSecond)} ms CPU a second (the job's subtask counts read every poll, its 64 vertices only when the counts move or every 5 s) | — | — |`,
    );
  lines.push(
    `| Job graph 64 × 256: click on the tab to 64 vertices painted, first open in a page, its job view fetched ahead by the page (the BFF answered that request in ${ms(c.job.jobApiMs)}) | ${ms(c.job.firstMs)}; long tasks: ${longs(c.job.firstLongTasks)}${tracedText(c.job.firstTraced)} | ≤ 200 ms | ${within(c.job.firstMs, 200)} |`,
  );
  lines.push(
    `| Job graph 64 × 256: the same, back from another tab | ${ms(c.job.againMs)}; long tasks: ${longs(c.job.againLongTasks)} | ≤ 200 ms | ${within(c.job.againMs, 200)} |`,
  );
  const u = c.job.updates;
  lines.push(
    `| Job graph 64 × 256 while the job restarts: ${f0(u.events)} job events over SSE in ${f0(u.seconds)} s (${f0(u.eventKb)} KB each), ${f0(u.domUpdates)} DOM mutation batches in the graph | long tasks: ${u.longTasks.count} (longest ${f0(u.longTasks.maxMs)} ms) | no long task | ${u.seconds ? pass(u.longTasks.count === 0) : '—'} |`,
  );
  for (const pageName of ['fleet', 'application']) {
    for (const transition of ['STOPPING', 'READY']) {
      const xs = c.sse.filter((x) => x.page === pageName && x.transition === transition);
      if (xs.length === 0) continue;
      const e = xs.map((x) => x.engineToDomMs);
      // The DOM can show a status before the stream's status event for it arrives: an earlier event (the
      // operation's end) made the page refetch, and the answer already said so. Those runs have no "page's own" share.
      const seen = xs.map((x) => x.messageToDomMs).filter((m) => !Number.isNaN(m));
      const own = seen.filter((m) => m >= 0);
      const early = seen.length - own.length;
      const ownText = own.length
        ? `of which the page's own (SSE message to DOM) ${ms(own)}${early ? ` in ${own.length} runs; in ${early} the page had it from a refetch before the status event arrived` : ''}`
        : `in every run the page had it from a refetch before the status event arrived`;
      lines.push(
        `| Engine transition to the DOM (${pageName === 'fleet' ? 'fleet row' : 'application header'}, → ${transition}, StopApplication through the SDK) | ${ms(e)}, max ${f0(maxOf(e))} ms, ${ownText}; from the API call ${ms(xs.map((x) => x.callToDomMs))} | ≤ 500 ms | ${pass(maxOf(e) <= 500)} |`,
      );
    }
  }
  for (const i of c.idle)
    lines.push(
      `| Idle tab, ${i.page}: requests in ${f0(i.seconds)} s (the SSE stream counts once when it opens) | ${f0(i.requests)} = ${f2(i.perMinute)} a minute${i.urls.length ? `: ${summarizeUrls(i.urls)}` : ''} | ≤ 6 a minute | ${pass(i.perMinute <= 6)} |`,
    );
  lines.push(
    `| Initial JavaScript: the entry HTML's scripts and their static imports (${c.initialJs.files} files), gzip -9 | ${c.initialJs.gzipKb.toFixed(1)} KB (the fleet's lazy chunk, loaded next on the fleet page: ${c.initialJs.fleetChunkGzipKb.toFixed(1)} KB) | ≤ 250 KB | ${pass(c.initialJs.gzipKb <= 250)} |`,
  );
  lines.push(
    '',
    "Command: `npm run bench` (bench/src/console-perf.ts; `MFC_BENCH_ONLY=console npm run bench --workspace @mfc/bench` runs this section alone, `MFC_BENCH_REPEATS`, `MFC_BENCH_IDLE_SECONDS` and `MFC_BENCH_UPDATE_SECONDS` change its lengths, `MFC_BENCH_TRACE_DIR=dir` keeps the Chromium trace of each traced run that had a long task, `MFC_BENCH_TRACE_JS=1` adds JS sampling to it). The engine transition is timed in the BFF's process (the engine polled every millisecond), the DOM change by a MutationObserver in the page, both on the wall clock. apps/console/scripts/perf.ts is the quicker check with synthetic API answers (page.route) while developing.",
    '',
  );
  return lines;
}

/** "3 × GET /api/applications, 1 × GET /api/events?…" */
function summarizeUrls(urls: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const u of urls) {
    const key = u.replace(/\?.*$/, '?…').replace(/\/applications\/[^/?]+/, '/applications/{name}');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([u, n]) => `${n} × \`${u}\``).join(', ');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

export type { ScaleResult, ThroughputRow };
