/** Simulation scale: 10, 100 and 1,000 applications, each measured in a fresh process. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ScaleResult {
  applications: number;
  hours: number;
  setupMs: number;
  advanceMs: number;
  events: number;
  eventsPerSecond: number;
  checkpoints: number;
  maxRssMiB: number;
  heapUsedMiB: number;
  faults: number;
}

/** The engine's own scale script (it also compares two builds side by side), on the built engine. */
const WORKER = fileURLToPath(new URL('../../packages/engine/scripts/scale.ts', import.meta.url));

export function simulationScale(sizes: number[], log: (line: string) => void): ScaleResult[] {
  return sizes.map((n) => {
    log(`simulation: ${n} applications × 24 h`);
    const out = execFileSync(process.execPath, ['--import', 'tsx', WORKER, String(n), '24'], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split('\n').at(-1)!) as ScaleResult;
  });
}
