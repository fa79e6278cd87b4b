/**
 * Telemetry that survives restarts: every application's one-minute metric samples (15 days, CloudWatch's
 * retention at that resolution) and its event log (the newest lines the engine keeps), in its own SQLite
 * file beside the lifecycle state. It is written in batches, off the request path: a crash loses at most
 * the last flush interval of telemetry, never an acknowledged lifecycle change, which commits before its
 * answer in the other file. A damaged telemetry file never keeps the emulator from starting: what can be
 * read is kept, the file is moved aside with one warning, and a new one takes its place.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import DatabaseCtor from 'better-sqlite3';
import type Database from 'better-sqlite3';
import {
  APP_METRICS,
  METRIC_SLOTS,
  METRIC_WIDTH,
  MINUTE,
  valueOf,
  type Engine,
  type LogExport,
  type LogRow,
  type LoggedJob,
  type MetricPoint,
} from '@mfc/engine';
import { BLOCK, blockOf, decodeBlock, encodeBlock } from './log-blocks.js';
import {
  CHUNK_MINUTES,
  clearMinute,
  decodeChunk,
  emptyChunk,
  encodeChunk,
  hasMinute,
  setMinute,
  type MetricChunk,
} from './metric-chunks.js';
import { openVersioned, SchemaTooNewError, type VersionedSchema } from './schema.js';

export const TELEMETRY_FILE = 'telemetry.sqlite';
/** CloudWatch keeps one-minute data points for 15 days. */
export const METRIC_RETENTION_MS = 15 * 24 * 60 * MINUTE;
const RETENTION_HOURS = METRIC_RETENTION_MS / (CHUNK_MINUTES * MINUTE);
/** Wall-clock interval between flushes: the most telemetry a crash can lose. */
export const FLUSH_INTERVAL_MS = 1_000;
/** Hour chunks changed before a flush is forced (a jump of many virtual hours over a big fleet). */
const MAX_DIRTY_CHUNKS = 4_096;

/**
 * The blob tables are rowid tables on purpose: a WITHOUT ROWID table keeps rows in index pages, whose
 * small local payload sends every 1–2 KB blob to overflow pages more than half empty (measured: 8.5 MB of
 * pages for 3.7 MB of metric chunks). 16 KiB pages hold some nine chunks each; at 4 KiB a chunk a little
 * over 2 KB took a page of its own (6.2 MB of pages for 3.7 MB).
 */
export const TELEMETRY_SCHEMA: VersionedSchema = {
  name: 'telemetry',
  current: 1,
  pageSize: 16_384,
  migrations: {
    1: (db) =>
      db.exec(`
        CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE apps (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
        CREATE TABLE metric_hours (
          app INTEGER NOT NULL, hour INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (app, hour)
        );
        CREATE TABLE log_jobs (
          app INTEGER NOT NULL, jid TEXT NOT NULL, job TEXT NOT NULL, PRIMARY KEY (app, jid)
        ) WITHOUT ROWID;
        CREATE TABLE log_blocks (
          app INTEGER NOT NULL, block INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (app, block)
        );
        CREATE TABLE log_state (app INTEGER PRIMARY KEY, total INTEGER NOT NULL, first INTEGER NOT NULL);
      `),
  },
};

/** Old metric points, for ranges the engine's 24-hour ring no longer holds. */
export interface MetricArchive {
  points(appKey: string, metricIndex: number, fromMinute: number, toMinute: number): MetricPoint[];
}

interface AppLogState {
  /** Sequence number of the next entry to write. */
  written: number;
  /** Job ids in log_jobs. */
  jids: Set<string>;
}

/** What was read back from a file, for a damaged file's salvage and the startup message. */
interface Salvage {
  apps: Map<number, string>;
  chunks: { app: number; hour: number; data: Buffer }[];
  jobs: { app: number; jid: string; job: string }[];
  blocks: { app: number; block: number; data: Buffer; lines: number }[];
  states: { app: number; total: number; first: number }[];
}

export class TelemetryStore implements MetricArchive {
  private db!: Database.Database;
  private engine?: Engine;
  private ids = new Map<string, number>();
  private nextId = 1;
  /** Per application: the hour chunk samples are going into. */
  private open = new Map<number, MetricChunk>();
  /** Chunks changed since the last flush, by `app:hour`. */
  private dirty = new Map<string, { app: number; chunk: MetricChunk }>();
  private logState = new Map<number, AppLogState>();
  private dirtyLogs = new Set<string>();
  /** Application ids whose telemetry goes at the next flush (the application was deleted). */
  private deleted = new Set<number>();
  /** Applications' ids not yet in the apps table. */
  private newApps = new Map<number, string>();
  private timer?: NodeJS.Timeout;
  private failed = false;
  private stmts!: ReturnType<typeof statements>;
  readonly file: string;
  /** Set when the file could not be read whole (what was kept, where the damaged file went). */
  readonly warning?: string;

  constructor(
    dataDir: string,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.file = join(dataDir, TELEMETRY_FILE);
    this.warning = this.openFile();
  }

  /** Opens the file; a damaged one is salvaged into a new file. Returns the warning, if any. */
  private openFile(): string | undefined {
    let damage: string | undefined;
    try {
      this.db = openVersioned(this.file, TELEMETRY_SCHEMA).db;
      const check = this.db.pragma('quick_check', { simple: true }) as string;
      if (check !== 'ok') damage = check;
    } catch (e) {
      if (e instanceof SchemaTooNewError) throw e;
      damage = e instanceof Error ? e.message : String(e);
    }
    if (damage === undefined) {
      this.stmts = statements(this.db);
      this.checkInfo();
      return undefined;
    }
    try {
      this.db?.close();
    } catch {
      // already unusable
    }
    const aside = `${this.file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(this.file + suffix)) renameSync(this.file + suffix, aside + suffix);
    const salvage = readWhatCan(aside);
    this.db = openVersioned(this.file, TELEMETRY_SCHEMA).db;
    this.stmts = statements(this.db);
    this.checkInfo();
    this.writeSalvage(salvage);
    const warning =
      `warning: the telemetry file ${this.file} is damaged (${damage}); kept what could be read ` +
      `(${salvage.chunks.length} metric hours, ${salvage.blocks.reduce((n, b) => n + b.lines, 0)} log lines of ${salvage.apps.size} applications) ` +
      `and moved the damaged file to ${aside}. Lifecycle state is not affected.`;
    this.log(warning);
    return warning;
  }

  private writeSalvage(s: Salvage): void {
    const known = (app: number) => s.apps.has(app);
    this.db.transaction(() => {
      for (const [id, key] of s.apps) this.stmts.insertApp.run(id, key);
      for (const c of s.chunks) if (known(c.app)) this.stmts.putChunk.run(c.app, c.hour, c.data);
      for (const j of s.jobs) if (known(j.app)) this.stmts.putJob.run(j.app, j.jid, j.job);
      for (const b of s.blocks) if (known(b.app)) this.stmts.putBlock.run(b.app, b.block, b.data);
      for (const st of s.states) if (known(st.app)) this.stmts.putState.run(st.app, st.total, st.first);
    })();
  }

  /** The metric list the file was written with; history under another list cannot be read as ours. */
  private checkInfo(): void {
    const names = JSON.stringify(APP_METRICS);
    const row = this.db.prepare("SELECT value FROM info WHERE key = 'metrics'").get() as { value: string } | undefined;
    if (row && row.value !== names) {
      this.log(
        `warning: ${this.file} holds metric history for another list of metrics (${row.value}); that history was dropped`,
      );
      this.db.exec('DELETE FROM metric_hours');
    }
    this.db.prepare("INSERT OR REPLACE INTO info (key, value) VALUES ('metrics', ?)").run(names);
  }

  /**
   * Gives the engine back its telemetry (the last 24 hours of metrics into its ring, each log's kept
   * lines), then follows what it records. Telemetry of applications the lifecycle state no longer has,
   * and any point newer than the engine's clock (the lifecycle file is the authority on time), is dropped.
   */
  attach(engine: Engine): void {
    this.detach();
    this.engine = engine;
    this.ids.clear();
    this.open.clear();
    this.dirty.clear();
    this.logState.clear();
    this.dirtyLogs.clear();
    this.deleted.clear();
    this.newApps.clear();
    const nowMinute = Math.floor(engine.now() / MINUTE);
    const apps = this.db.prepare('SELECT id, key FROM apps').all() as { id: number; key: string }[];
    this.nextId = apps.reduce((m, a) => Math.max(m, a.id), 0) + 1;
    const gone: number[] = [];
    for (const a of apps) {
      if (!engine.store.apps.has(a.key)) gone.push(a.id);
      else this.ids.set(a.key, a.id);
    }
    this.db.transaction(() => {
      for (const id of gone) this.removeApp(id);
    })();
    let unreadable: string | undefined;
    for (const [key, id] of this.ids)
      try {
        this.restoreMetrics(engine, key, id, nowMinute);
        this.restoreLog(engine, key, id);
      } catch (e) {
        // A damaged row (quick_check does not read blobs): this application starts with what was read.
        unreadable ??= `${key}: ${e instanceof Error ? e.message : String(e)}`;
      }
    if (unreadable)
      this.log(`warning: part of the telemetry file ${this.file} could not be read (${unreadable}); kept the rest`);
    // Lines logged before this store was attached (none in the emulator, which attaches first) go too.
    for (const key of engine.telemetry.logs.keys()) {
      const id = this.ids.get(key);
      const written = id === undefined ? 0 : (this.logState.get(id)?.written ?? 0);
      if ((engine.telemetry.logs.get(key)?.total ?? 0) > written) this.dirtyLogs.add(key);
    }
    engine.telemetry.metrics.listener = {
      sample: (key, minute, stored) => this.sample(key, minute, stored),
      deleted: (key) => this.forget(key),
    };
    engine.telemetry.logs.listener = {
      changed: (key) => this.dirtyLogs.add(key),
      deleted: (key) => this.forget(key),
    };
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  detach(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.engine) return;
    this.flush();
    this.engine.telemetry.metrics.listener = undefined;
    this.engine.telemetry.logs.listener = undefined;
    this.engine = undefined;
  }

  private restoreMetrics(engine: Engine, key: string, id: number, nowMinute: number): void {
    const firstMinute = nowMinute - METRIC_SLOTS + 1;
    const rows = this.stmts.chunksFrom.all(id, Math.floor(firstMinute / CHUNK_MINUTES)) as {
      hour: number;
      data: Buffer;
    }[];
    for (const r of rows) {
      let ahead = false;
      const chunk = decodeChunk(r.hour, r.data);
      for (let m = 0; m < CHUNK_MINUTES; m++) {
        if (!hasMinute(chunk, m)) continue;
        const minute = r.hour * CHUNK_MINUTES + m;
        if (minute > nowMinute) {
          // Recorded after the lifecycle's last commit: the engine records it again as it resumes.
          clearMinute(chunk, m);
          ahead = true;
          continue;
        }
        if (minute >= firstMinute)
          engine.telemetry.metrics.restore(key, minute, chunk.values.subarray(m * chunk.width, (m + 1) * chunk.width));
      }
      this.open.set(id, chunk);
      if (ahead) this.dirty.set(`${id}:${chunk.hour}`, { app: id, chunk });
    }
  }

  private restoreLog(engine: Engine, key: string, id: number): void {
    // A salvaged file may have blocks without their state row: the blocks then say what they hold.
    const state =
      (this.stmts.getState.get(id) as { total: number; first: number } | undefined) ??
      (this.stmts.blockRange.get(id) as { total: number | null; first: number | null } | undefined);
    if (!state || state.total === null || state.first === null) return;
    const jobs = this.stmts.jobsOf.all(id) as { jid: string; job: string }[];
    const rows: LogRow[] = [];
    const now = engine.now();
    let ahead = false;
    for (const b of this.stmts.blocksOf.iterate(id) as IterableIterator<{ block: number; data: Buffer }>) {
      for (const r of decodeBlock(b.data)) {
        if (r.n < state.first || r.n >= state.total) continue;
        // Logged after the lifecycle's last commit: the engine logs it again as it resumes.
        if (r.t > now) {
          ahead = true;
          break;
        }
        rows.push(r);
      }
      if (ahead) break;
    }
    const total = ahead || !this.stmts.getState.get(id) ? (rows.at(-1)?.n ?? state.first - 1) + 1 : state.total;
    const data: LogExport = {
      total,
      first: rows[0]?.n ?? total,
      rows,
      jobs: Object.fromEntries(jobs.map((j) => [j.jid, JSON.parse(j.job) as LoggedJob])),
    };
    engine.telemetry.logs.restore(key, data);
    this.logState.set(id, { written: total, jids: new Set(jobs.map((j) => j.jid)) });
    if (ahead) {
      this.stmts.truncateBlocks.run(id, blockOf(total) + 1);
      this.dirtyLogs.add(key);
    }
  }

  private idFor(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(key, id);
      this.newApps.set(id, key);
    }
    return id;
  }

  private sample(key: string, minute: number, stored: Float32Array): void {
    const id = this.idFor(key);
    const hour = Math.floor(minute / CHUNK_MINUTES);
    let chunk = this.open.get(id);
    if (!chunk || chunk.hour !== hour) {
      chunk = this.dirty.get(`${id}:${hour}`)?.chunk ?? this.readChunk(id, hour) ?? emptyChunk(hour, METRIC_WIDTH);
      this.open.set(id, chunk);
    }
    setMinute(chunk, minute - hour * CHUNK_MINUTES, stored);
    this.dirty.set(`${id}:${hour}`, { app: id, chunk });
    if (this.dirty.size >= MAX_DIRTY_CHUNKS) this.flush();
  }

  private readChunk(id: number, hour: number): MetricChunk | undefined {
    if (this.newApps.has(id)) return undefined;
    const row = this.stmts.getChunk.get(id, hour) as { data: Buffer } | undefined;
    if (!row) return undefined;
    const chunk = decodeChunk(hour, row.data);
    return chunk.width === METRIC_WIDTH ? chunk : undefined;
  }

  /** The application was deleted: its telemetry goes with it. */
  private forget(key: string): void {
    const id = this.ids.get(key);
    if (id === undefined) return;
    this.ids.delete(key);
    this.open.delete(id);
    this.logState.delete(id);
    this.dirtyLogs.delete(key);
    for (const [k, d] of this.dirty) if (d.app === id) this.dirty.delete(k);
    if (!this.newApps.delete(id)) this.deleted.add(id);
  }

  private removeApp(id: number): void {
    for (const stmt of [
      this.stmts.deleteChunks,
      this.stmts.deleteJobs,
      this.stmts.deleteBlocks,
      this.stmts.deleteState,
      this.stmts.deleteApp,
    ])
      stmt.run(id);
  }

  /** Writes everything recorded since the last flush, in one transaction. */
  flush(): void {
    if (this.failed || !this.engine) return;
    if (this.dirty.size === 0 && this.dirtyLogs.size === 0 && this.deleted.size === 0 && this.newApps.size === 0)
      return;
    const engine = this.engine;
    try {
      this.db.transaction(() => {
        for (const id of this.deleted) this.removeApp(id);
        this.deleted.clear();
        for (const [id, key] of this.newApps) this.stmts.insertApp.run(id, key);
        this.newApps.clear();
        for (const { app, chunk } of this.dirty.values()) {
          this.stmts.putChunk.run(app, chunk.hour, encodeChunk(chunk));
          this.stmts.pruneChunks.run(app, chunk.hour - RETENTION_HOURS);
        }
        this.dirty.clear();
        for (const key of this.dirtyLogs) this.writeLog(engine, key);
        this.dirtyLogs.clear();
      })();
    } catch (e) {
      // The disk is full or the file went bad while running: telemetry stops being kept, the
      // lifecycle (another file) goes on. Said once.
      this.failed = true;
      this.log(
        `warning: writing telemetry to ${this.file} failed (${e instanceof Error ? e.message : String(e)}); ` +
          'metric and log history are no longer kept until a restart',
      );
    }
  }

  private writeLog(engine: Engine, key: string): void {
    const id = this.idFor(key);
    if (this.newApps.delete(id)) this.stmts.insertApp.run(id, key);
    let state = this.logState.get(id);
    if (!state) this.logState.set(id, (state = { written: 0, jids: new Set() }));
    // From the start of the block the next entry goes into: that block is written again, whole.
    const c = engine.telemetry.logs.exportColumns(key, blockOf(state.written) * BLOCK);
    if (!c) return;
    for (const jid of Object.keys(c.jobs))
      if (!state.jids.has(jid)) {
        this.stmts.putJob.run(id, jid, JSON.stringify(c.jobs[jid]));
        state.jids.add(jid);
      }
    // Only the lines the engine keeps are kept here too, and the jobs they name.
    for (const jid of state.jids)
      if (!(jid in c.jobs)) {
        this.stmts.deleteJob.run(id, jid);
        state.jids.delete(jid);
      }
    if (c.total > state.written)
      for (let b = blockOf(Math.max(state.written, c.from)); b <= blockOf(c.total - 1); b++) {
        const data = encodeBlock(b, c);
        if (data) this.stmts.putBlock.run(id, b, data);
      }
    this.stmts.pruneBlocks.run(id, blockOf(c.first));
    this.stmts.putState.run(id, c.total, c.first);
    state.written = c.total;
  }

  points(appKey: string, metricIndex: number, fromMinute: number, toMinute: number): MetricPoint[] {
    const id = this.ids.get(appKey);
    if (id === undefined || toMinute < fromMinute) return [];
    const out: MetricPoint[] = [];
    const first = Math.floor(fromMinute / CHUNK_MINUTES);
    const last = Math.floor(toMinute / CHUNK_MINUTES);
    const stored = this.stmts.chunksBetween.all(id, first, last) as { hour: number; data: Buffer }[];
    const byHour = new Map(stored.map((r) => [r.hour, r.data]));
    for (let hour = first; hour <= last; hour++) {
      const pending = this.dirty.get(`${id}:${hour}`)?.chunk;
      const data = pending ? undefined : byHour.get(hour);
      const chunk = pending ?? (data ? decodeChunk(hour, data) : undefined);
      if (!chunk || chunk.width !== METRIC_WIDTH) continue;
      for (let m = 0; m < CHUNK_MINUTES; m++) {
        const minute = hour * CHUNK_MINUTES + m;
        if (minute < fromMinute || minute > toMinute || !hasMinute(chunk, m)) continue;
        out.push({
          timestamp: minute * MINUTE,
          value: valueOf(metricIndex, minute, chunk.values[m * chunk.width + metricIndex]!),
        });
      }
    }
    return out;
  }

  /** What the file holds: hour chunks of metrics and their bytes, log lines. */
  stats(): { metricHours: number; metricBytes: number; logLines: number; applications: number } {
    const m = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(data)), 0) AS b FROM metric_hours').get() as {
      n: number;
      b: number;
    };
    const lines = this.db.prepare('SELECT COALESCE(SUM(total - first), 0) AS n FROM log_state').get() as { n: number };
    const apps = this.db.prepare('SELECT COUNT(*) AS n FROM apps').get() as { n: number };
    return { metricHours: m.n, metricBytes: m.b, logLines: lines.n, applications: apps.n };
  }

  /** Bytes on disk (the file and its write-ahead log). */
  sizeOnDisk(): number {
    let total = 0;
    for (const suffix of ['', '-wal']) if (existsSync(this.file + suffix)) total += statSync(this.file + suffix).size;
    return total;
  }

  /** Moves the write-ahead log into the file (for size measurements). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Forgets everything (an emulator reset). */
  clear(): void {
    this.detach();
    this.db.exec(
      'DELETE FROM apps; DELETE FROM metric_hours; DELETE FROM log_jobs; DELETE FROM log_entries; DELETE FROM log_state;',
    );
  }

  close(): void {
    this.detach();
    this.db.close();
  }
}

/**
 * Reads every table of a damaged file as far as it goes, row by row. SQLite refuses a file shorter than
 * its header says (a truncated one) outright, so a copy padded back to its size with empty pages is read
 * instead: a table whose pages were lost ends there, every other table reads whole.
 */
function readWhatCan(file: string): Salvage {
  const out: Salvage = { apps: new Map(), chunks: [], jobs: [], blocks: [], states: [] };
  const copy = `${file}.reading`;
  let db: Database.Database | undefined;
  try {
    const bytes = readFileSync(file);
    if (bytes.length < 100 || bytes.subarray(0, 16).toString('latin1') !== 'SQLite format 3\0') return out;
    const raw = bytes.readUInt16BE(16);
    const pageSize = raw === 1 ? 65536 : raw;
    const present = Math.floor(bytes.length / pageSize);
    if (pageSize < 512 || present === 0) return out;
    const declared = bytes.readUInt32BE(28);
    const pages = Math.max(present, declared);
    const padded = Buffer.alloc(pages * pageSize);
    bytes.copy(padded, 0, 0, present * pageSize);
    padded.writeUInt32BE(pages, 28);
    writeFileSync(copy, padded);
    db = new DatabaseCtor(copy, { readonly: true, fileMustExist: true });
  } catch {
    rmSync(copy, { force: true });
    return out;
  }
  const each = (sql: string, row: (r: never) => void) => {
    try {
      for (const r of db.prepare(sql).iterate()) row(r as never);
    } catch {
      // the table ends at the damage: what came before it is kept
    }
  };
  each('SELECT id, key FROM apps', (r: { id: number; key: string }) => out.apps.set(r.id, r.key));
  each('SELECT app, hour, data FROM metric_hours', (r: { app: number; hour: number; data: Buffer }) => {
    try {
      decodeChunk(r.hour, r.data);
      out.chunks.push(r);
    } catch {
      // a chunk that does not decode is lost; the rest are kept
    }
  });
  each('SELECT app, jid, job FROM log_jobs', (r: Salvage['jobs'][number]) => out.jobs.push(r));
  each('SELECT app, block, data FROM log_blocks', (r: { app: number; block: number; data: Buffer }) => {
    try {
      out.blocks.push({ ...r, lines: decodeBlock(r.data).length });
    } catch {
      // a block that does not decode is lost; the rest are kept
    }
  });
  each('SELECT app, total, first FROM log_state', (r: Salvage['states'][number]) => out.states.push(r));
  db.close();
  rmSync(copy, { force: true });
  return out;
}

function statements(db: Database.Database) {
  return {
    insertApp: db.prepare('INSERT OR REPLACE INTO apps (id, key) VALUES (?, ?)'),
    deleteApp: db.prepare('DELETE FROM apps WHERE id = ?'),
    putChunk: db.prepare('INSERT OR REPLACE INTO metric_hours (app, hour, data) VALUES (?, ?, ?)'),
    getChunk: db.prepare('SELECT data FROM metric_hours WHERE app = ? AND hour = ?'),
    chunksFrom: db.prepare('SELECT hour, data FROM metric_hours WHERE app = ? AND hour >= ? ORDER BY hour'),
    chunksBetween: db.prepare('SELECT hour, data FROM metric_hours WHERE app = ? AND hour BETWEEN ? AND ?'),
    pruneChunks: db.prepare('DELETE FROM metric_hours WHERE app = ? AND hour < ?'),
    deleteChunks: db.prepare('DELETE FROM metric_hours WHERE app = ?'),
    putJob: db.prepare('INSERT OR REPLACE INTO log_jobs (app, jid, job) VALUES (?, ?, ?)'),
    jobsOf: db.prepare('SELECT jid, job FROM log_jobs WHERE app = ?'),
    deleteJob: db.prepare('DELETE FROM log_jobs WHERE app = ? AND jid = ?'),
    deleteJobs: db.prepare('DELETE FROM log_jobs WHERE app = ?'),
    putBlock: db.prepare('INSERT OR REPLACE INTO log_blocks (app, block, data) VALUES (?, ?, ?)'),
    blocksOf: db.prepare('SELECT block, data FROM log_blocks WHERE app = ? ORDER BY block'),
    // Bounds of what the blocks can hold (entries of a block are BLOCK consecutive numbers).
    blockRange: db.prepare(
      `SELECT MIN(block) * ${BLOCK} AS first, (MAX(block) + 1) * ${BLOCK} AS total FROM log_blocks WHERE app = ?`,
    ),
    pruneBlocks: db.prepare('DELETE FROM log_blocks WHERE app = ? AND block < ?'),
    truncateBlocks: db.prepare('DELETE FROM log_blocks WHERE app = ? AND block >= ?'),
    deleteBlocks: db.prepare('DELETE FROM log_blocks WHERE app = ?'),
    putState: db.prepare('INSERT OR REPLACE INTO log_state (app, total, first) VALUES (?, ?, ?)'),
    getState: db.prepare('SELECT total, first FROM log_state WHERE app = ?'),
    deleteState: db.prepare('DELETE FROM log_state WHERE app = ?'),
  };
}
