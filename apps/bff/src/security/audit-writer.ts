/**
 * Writes audit entries to the shared store, and never loses one: while the store cannot be reached, an
 * entry goes to a spill file in the data directory (one JSON line each, fsynced) and to a queue written
 * to the store, in order, once it answers again. A BFF stopped meanwhile writes the spilled entries at
 * its next start. So an acknowledged action is in the audit log, or on its way there from local disk.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import type { Logger } from 'pino';
import type { AuditRepo, NewAuditEntry } from '../store/types.js';

const RETRY_MS = 2_000;

export class AuditWriter {
  private pending: NewAuditEntry[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly repo: AuditRepo,
    /** Where entries wait while the store is down (undefined: in memory only). */
    private readonly spillFile: string | undefined,
    private readonly log: Logger,
  ) {
    if (spillFile && existsSync(spillFile)) {
      this.pending = readFileSync(spillFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as NewAuditEntry];
          } catch {
            // A line cut by a crash mid-write: the entry before it is whole, this one never was acknowledged.
            return [];
          }
        });
      if (this.pending.length > 0) {
        log.warn(
          { entries: this.pending.length, file: spillFile },
          'audit entries from an earlier run wait for the store',
        );
        this.schedule(0);
      }
    }
  }

  /** Entries not yet in the store. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Resolves once the entry is durable: in the store, or in the spill file while the store is down. */
  async record(entry: NewAuditEntry): Promise<void> {
    // Behind a backlog the entry queues, so the log keeps its order.
    if (this.pending.length === 0)
      try {
        await this.repo.record(entry);
        return;
      } catch (err) {
        this.log.warn({ err }, 'the audit store did not take an entry: kept locally until it answers');
      }
    this.pending.push(entry);
    this.spill([entry]);
    this.schedule(RETRY_MS);
  }

  /** Writes what waits now (tests, shutdown); resolves when the backlog is empty or the store failed again. */
  async flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  close(): void {
    clearTimeout(this.timer);
  }

  private async drain(): Promise<void> {
    let written = 0;
    try {
      while (this.pending.length > 0) {
        await this.repo.record(this.pending[0]!);
        this.pending.shift();
        written++;
      }
    } catch {
      this.schedule(RETRY_MS);
    } finally {
      if (written > 0) {
        this.log.info({ written, left: this.pending.length }, 'audit entries kept locally are now in the store');
        this.rewriteSpill();
      }
    }
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
    this.timer.unref();
  }

  private spill(entries: NewAuditEntry[]): void {
    if (!this.spillFile) return;
    appendFileSync(this.spillFile, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const fd = openSync(this.spillFile, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private rewriteSpill(): void {
    if (!this.spillFile) return;
    if (this.pending.length === 0) return rmSync(this.spillFile, { force: true });
    const tmp = `${this.spillFile}.tmp`;
    writeFileSync(tmp, this.pending.map((e) => `${JSON.stringify(e)}\n`).join(''));
    renameSync(tmp, this.spillFile);
  }
}
