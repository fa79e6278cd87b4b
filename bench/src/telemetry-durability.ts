/** Telemetry durability: the telemetry file of a 1,000-application fleet over 24 simulated hours. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface TelemetryRun {
  applications: number;
  hours: number;
  mode: 'with' | 'without';
  advanceMs: number;
  advanceCpuMs: number;
  flushMs: number;
  bytes: number;
  bytesPerApplicationHour: number;
  metricHours: number;
  metricBytesPerApplicationHour: number;
  logLinesStored: number;
  logLinesKept: number;
  maxRssMiB: number;
}

const WORKER = fileURLToPath(new URL('./telemetry-worker.ts', import.meta.url));

/** The same fleet and advance without and with the telemetry store, each in a fresh process. */
export function telemetryDurability(
  applications: number,
  hours: number,
  log: (line: string) => void,
): { without: TelemetryRun; with: TelemetryRun } {
  const run = (mode: 'with' | 'without') => {
    log(`telemetry: ${applications} applications × ${hours} h, ${mode} the telemetry store`);
    const out = execFileSync(process.execPath, ['--import', 'tsx', WORKER, String(applications), String(hours), mode], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split('\n').at(-1)!) as TelemetryRun;
  };
  const without = run('without');
  return { without, with: run('with') };
}
