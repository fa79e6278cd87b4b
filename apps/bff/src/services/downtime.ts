/**
 * Processing downtime inside an update or a rollback. The service API does not report it, so it is read
 * from the job's transition log, the lines an operator would read (Flink writes them on AWS too): it
 * starts when the first subtask leaves RUNNING after the operation began, and ends when every subtask of
 * the job that follows is RUNNING again.
 */
import type { OperationView } from '@mfc/contracts';
import type { LogsService } from './logs.js';

export interface TimedLine {
  timestamp: number;
  message: string;
}

export interface Downtime {
  start: number;
  end?: number;
}

/** `Name (2/4)#0 (<job id>_<vertex id>_<index>_<attempt>) switched from INITIALIZING to RUNNING.` */
const SUBTASK = /^(.+) \((\d+)\/(\d+)\)#\d+ \(([0-9a-f]{32})_[^)]*\) switched from ([A-Z_]+) to ([A-Z_]+)/;

/** Operations whose downtime is worth drawing: the job is replaced while the application stays up. */
const REPLACING = new Set(['UpdateApplication', 'RollbackApplication']);

/**
 * The downtime found in `lines` (oldest first) for an operation that began at `opStart`; `end` is absent
 * while the next job is not yet RUNNING everywhere. Undefined when no subtask stopped after `opStart`.
 */
export function downtimeFromLog(lines: TimedLine[], opStart: number): Downtime | undefined {
  let start: number | undefined;
  let stoppedJob: string | undefined;
  let nextJob: string | undefined;
  // Subtask states of the next job, and how many subtasks each of its vertices has.
  let states = new Map<string, string>();
  let sizes = new Map<string, number>();
  for (const line of lines) {
    if (line.timestamp < opStart) continue;
    const m = SUBTASK.exec(line.message);
    if (!m) continue;
    const [, vertex, index, parallelism, job, from, to] = m as unknown as string[];
    if (start === undefined) {
      if (from !== 'RUNNING') continue;
      start = line.timestamp;
      stoppedJob = job;
      continue;
    }
    if (job === stoppedJob) continue;
    if (job !== nextJob) {
      nextJob = job;
      states = new Map();
      sizes = new Map();
    }
    sizes.set(vertex!, Number(parallelism));
    states.set(`${vertex}\u0000${index}`, to!);
    let total = 0;
    for (const n of sizes.values()) total += n;
    let running = 0;
    for (const s of states.values()) if (s === 'RUNNING') running++;
    if (to === 'RUNNING' && running === total) return { start, end: line.timestamp };
  }
  return start === undefined ? undefined : { start };
}

export class DowntimeService {
  /** Finished operations' downtimes never change: kept per service, by application, id and start time. */
  private known = new Map<string, Downtime | null>();

  constructor(private logs: LogsService) {}

  /** Adds the processing downtime to updates and rollbacks that succeeded or are running. */
  async annotate(app: string, ops: OperationView[], now: number): Promise<OperationView[]> {
    return Promise.all(
      ops.map(async (op) => {
        if (!REPLACING.has(op.operation) || op.status === 'FAILED') return op;
        const key = `${app}/${op.id}/${op.startTime}`;
        let downtime = this.known.get(key);
        if (downtime === undefined) {
          downtime = (await this.read(app, op, now).catch(() => undefined)) ?? null;
          if (op.status !== 'IN_PROGRESS' && downtime?.end !== undefined) this.known.set(key, downtime);
        }
        return downtime ? { ...op, downtime } : op;
      }),
    );
  }

  /** Reads the transitions from the operation's start until the next job runs everywhere (10 min at most). */
  private async read(app: string, op: OperationView, now: number): Promise<Downtime | undefined> {
    const until = Math.min(now, (op.endTime ?? now) + 10 * 60_000);
    const lines: TimedLine[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await this.logs.lines(app, {
        filter: 'switched from',
        limit: 1000,
        since: op.startTime,
        until,
        ...(nextToken ? { nextToken } : {}),
      });
      lines.push(...r.lines);
      const found = downtimeFromLog(lines, op.startTime);
      if (found?.end !== undefined || !r.nextToken) return found;
      nextToken = r.nextToken;
    }
    return downtimeFromLog(lines, op.startTime);
  }
}
