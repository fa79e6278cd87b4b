/**
 * npm run bench: every figure measured side by side in this one run, printed as ratios, and written to
 * BENCHMARKS.md with the command behind it. Targets come from the performance issue; nothing here is a
 * timed unit test.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { emulatorThroughput, type ThroughputRow } from './emulator-throughput.js';
import { ROOT } from './processes.js';
import { simulationScale, type ScaleResult } from './simulation-scale.js';

const log = (line: string) => console.error(`[bench] ${line}`);
const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f2 = (n: number) => n.toFixed(2);
const pass = (ok: boolean) => (ok ? 'yes' : '**no**');

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const throughput = await emulatorThroughput(log);
  const scale = simulationScale([10, 100, 1000], log);

  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(
    `Measured by \`npm run bench\` on ${started} — ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${f0(totalmem() / 2 ** 30)} GiB, Node ${process.version}. ` +
      'Every ratio compares systems measured one after the other in this same run on the same machine; the machine is shared, so absolute numbers move between runs and the ratios are what to read.',
    '',
  );

  lines.push('## Emulator throughput (wrk, 16 connections, loopback)', '');
  lines.push('| call | emulator req/s | p50 ms | p99 ms | floor req/s (bare Node http, same bytes) | emulator / floor | moto_server req/s | emulator / moto | targets |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of throughput) {
    const ratio = r.floor ? r.emulator.requestsPerSecond / r.floor.requestsPerSecond : undefined;
    const moto = typeof r.moto === 'object' ? r.moto : undefined;
    const target =
      r.call === 'DescribeApplication'
        ? `≥ 0.5× floor: ${pass((ratio ?? 0) >= 0.5)}; p99 ≤ 2 ms: ${pass(r.emulator.p99Ms <= 2)}`
        : '—';
    lines.push(
      `| ${r.call} | ${f0(r.emulator.requestsPerSecond)} | ${f2(r.emulator.p50Ms)} | ${f2(r.emulator.p99Ms)} | ${r.floor ? f0(r.floor.requestsPerSecond) : '—'} | ${ratio !== undefined ? f2(ratio) : '—'} | ${moto ? f0(moto.requestsPerSecond) : (r.moto ?? '—')} | ${moto ? f2(r.emulator.requestsPerSecond / moto.requestsPerSecond) : '—'} | ${target} |`,
    );
  }
  lines.push('', 'Command: `npm run bench` (bench/src/emulator-throughput.ts). The floor answers every request with the bytes the emulator answered, so the ratio is the cost of the emulator\'s own work. StartApplication changes state, so it is measured as 1,000 READY applications started once each by 16 concurrent clients.', '');

  lines.push('## Simulation scale (RUNNING applications at parallelism 64, 24 simulated hours, checkpoints and metrics every minute)', '');
  lines.push('| applications | 24 h advance, s | events | events/s | checkpoints completed | max RSS MiB | setup (create, start, all subtasks RUNNING), s | cost per application vs 10 | targets (1,000: ≤ 10 s, ≤ 1 GiB) |');
  lines.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  const base = scale[0]!;
  for (const s of scale)
    lines.push(
      `| ${f0(s.applications)} | ${f2(s.advanceMs / 1000)} | ${f0(s.events)} | ${f0(s.eventsPerSecond)} | ${f0(s.checkpoints)} | ${f0(s.maxRssMiB)} | ${f2(s.setupMs / 1000)} | ${f2(s.advanceMs / s.applications / (base.advanceMs / base.applications))} | ${s.applications === 1000 ? `${pass(s.advanceMs <= 10_000)} / ${pass(s.maxRssMiB <= 1024)}` : '—'} |`,
    );
  lines.push('', 'Command: `npm run bench` (bench/src/scale-worker.ts, one fresh process per size).', '');

  const text = `${lines.join('\n')}\n`;
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), text);
  console.log(text);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

export type { ScaleResult, ThroughputRow };
