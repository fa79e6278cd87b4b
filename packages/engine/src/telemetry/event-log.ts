/**
 * The per-application event log in Flink's own wording, e.g.
 * `Session window 30 min (2/4)#0 (<attempt id>) switched from INITIALIZING to RUNNING.`
 * Kept in memory (the newest lines per application) across stops and starts of the application. It is
 * observability, not acknowledged state: the emulator archives it in batches through `listener`, `export`
 * and `restore`, outside the lifecycle's commits.
 */
import {
  EXECUTION_STATES,
  JOB_STATUSES,
  type ExecutionState,
  type LogEntry,
  type LoggedJob,
} from '../flink/cluster-state.js';

export const MAX_LOG_ENTRIES = 10_000;
/** Entries past MAX_LOG_ENTRIES before a trim: a log keeps up to the sum of both. */
const TRIM_BATCH = 1000;

export interface AppLog {
  /** Oldest first; each entry carries its sequence number `n`. */
  entries: (LogEntry & { n: number })[];
  total: number;
  /** Names of the jobs the log mentions, by job id. */
  jobs: Record<string, LoggedJob>;
}

/**
 * One entry in its stored form: `head` is kind | from << 8 | to << 16 with states as indexes of
 * EXECUTION_STATES / JOB_STATUSES (Flink's Java ordinals, stable across releases); `raw` holds an entry the
 * columns cannot express.
 */
export interface LogRow {
  n: number;
  t: number;
  head: number;
  jid?: string;
  v: number;
  i: number;
  a: number;
  text?: string;
  raw?: LogEntry;
}

/** An application's log from some sequence number on, with the jobs it names. */
export interface LogExport {
  /** Sequence number of the next entry. */
  total: number;
  /** Sequence number of the oldest entry kept (entries before it are gone). */
  first: number;
  rows: LogRow[];
  jobs: Record<string, LoggedJob>;
}

/**
 * An application's kept entries from some sequence number on, as the log's own columns (views, valid
 * until the next append): what an archive encodes in blocks without building an object per line.
 * `cols` holds COLS numbers an entry, the job column an index into `jobIds`.
 */
export interface LogColumns {
  total: number;
  first: number;
  /** Sequence number of the first entry in the arrays. */
  from: number;
  times: Float64Array;
  cols: Int32Array;
  jobIds: readonly string[];
  texts: ReadonlyMap<number, string>;
  raw: ReadonlyMap<number, LogEntry>;
  jobs: Record<string, LoggedJob>;
}

/** Numbers an entry takes in LogColumns.cols: head, job, vertex, subtask, attempt. */
export const LOG_COLS = 5;

/** Told which logs changed or went away, so an archive can follow. */
export interface LogListener {
  changed(appKey: string): void;
  deleted(appKey: string): void;
}

export interface RenderedLogLine {
  /** Sequence number of the line in the application's log (stable, for pagination). */
  seq: number;
  timestamp: number;
  kind: LogEntry['k'];
  level: 'INFO' | 'WARN' | 'ERROR';
  logger: string;
  message: string;
}

const SUBTASK = 0;
const JOB = 1;
const INFO = 2;
/** Int32 columns an entry takes: kind | from << 8 | to << 16, job, vertex, subtask, attempt. */
const COLS = LOG_COLS;
const STATE_CODE = new Map<string, number>(EXECUTION_STATES.map((s, i) => [s, i]));
const STATUS_CODE = new Map<string, number>(JOB_STATUSES.map((s, i) => [s, i]));

/**
 * One application's entries in columns of typed arrays: a time and five 32-bit numbers an entry, 28 bytes,
 * where an object per line took over 120 (a boxed time, nine fields). A thousand applications at
 * parallelism 64 log some 800 lines each to start: 20 MB instead of 95, and the heap the simulation walks
 * every minute stays small. Entries are rebuilt as objects only when read.
 */
class CompactLog {
  /** Sequence number of the next entry. */
  total = 0;
  /** Entries kept (the newest). */
  size = 0;
  times = new Float64Array(256);
  cols = new Int32Array(256 * COLS);
  /** The text of an info line or the cause of a subtask failure, by sequence number. */
  texts = new Map<number, string>();
  /** Entries kept as given, by sequence number, when they do not fit the columns. */
  raw = new Map<number, LogEntry>();
  jobIds: string[] = [];
  jobIndex = new Map<string, number>();
  /** Names of the jobs the log mentions, by job id. */
  jobs: Record<string, LoggedJob> = {};
  /** Set once the store no longer holds this log (deleted, or replaced by a restore). */
  retired = false;
  /** What the values every subtask line of a vertex repeats weigh, by vertex index, for the last job read. */
  private vertexCache: { job: LoggedJob | undefined; jid: string; facts: (VertexFacts | undefined)[] } = {
    job: undefined,
    jid: '',
    facts: [],
  };

  get first(): number {
    return this.total - this.size;
  }

  /** Room for one more entry; returns its row. */
  row(): number {
    if (this.size === this.times.length) {
      const times = new Float64Array(this.size * 2);
      times.set(this.times);
      const cols = new Int32Array(this.size * 2 * COLS);
      cols.set(this.cols);
      this.times = times;
      this.cols = cols;
    }
    return this.size;
  }

  jobCode(jid: string): number {
    let n = this.jobIndex.get(jid);
    if (n === undefined) {
      n = this.jobIds.push(jid) - 1;
      this.jobIndex.set(jid, n);
    }
    return n;
  }

  add(row: number, t: number, kind: number, from: number, to: number, job: number, v: number, i: number, a: number) {
    this.times[row] = t;
    const c = row * COLS;
    this.cols[c] = kind | (from << 8) | (to << 16);
    this.cols[c + 1] = job;
    this.cols[c + 2] = v;
    this.cols[c + 3] = i;
    this.cols[c + 4] = a;
    this.size++;
    this.total++;
  }

  /** The entry in `row`, as an object. */
  entry(row: number): LogEntry & { n: number } {
    const n = this.first + row;
    const raw = this.raw.get(n);
    if (raw) return { ...raw, n };
    const t = this.times[row]!;
    const c = row * COLS;
    const head = this.cols[c]!;
    const kind = head & 0xff;
    const from = (head >> 8) & 0xff;
    const to = (head >> 16) & 0xff;
    if (kind === INFO) return { t, k: 'info', text: this.texts.get(n) ?? '', n };
    const j = this.jobIds[this.cols[c + 1]!]!;
    if (kind === JOB) return { t, k: 'job', j, from: JOB_STATUSES[from]!, to: JOB_STATUSES[to]!, n };
    const cause = this.texts.get(n);
    return {
      t,
      k: 'subtask',
      j,
      v: this.cols[c + 2]!,
      i: this.cols[c + 3]!,
      a: this.cols[c + 4]!,
      from: EXECUTION_STATES[from]!,
      to: EXECUTION_STATES[to]!,
      ...(cause !== undefined ? { cause } : {}),
      n,
    };
  }

  /**
   * The line in `row` as `render` renders its entry, read straight from the columns: no entry object is
   * built on the way (a Logs Insights query reads a million of them).
   */
  line(row: number): RenderedLogLine {
    const n = this.first + row;
    if (this.raw.size > 0 && this.raw.has(n)) return render(this, this.entry(row));
    const timestamp = this.times[row]!;
    const head = this.cols[row * COLS]!;
    const kind = head & 0xff;
    const message = this.text(row);
    if (kind === INFO) return { seq: n, timestamp, kind: 'info', level: 'INFO', logger: JOB_MASTER, message };
    const to = head >> 16;
    if (kind === JOB)
      return {
        seq: n,
        timestamp,
        kind: 'job',
        level: to === FAILED_STATUS || to === FAILING_STATUS ? 'ERROR' : 'INFO',
        logger: EXECUTION_GRAPH,
        message,
      };
    return {
      seq: n,
      timestamp,
      kind: 'subtask',
      level: to === FAILED_STATE ? 'WARN' : 'INFO',
      logger: EXECUTION_GRAPH,
      message,
    };
  }

  /** The message of the line in `row` (`line(row).message`). */
  text(row: number): string {
    const n = this.first + row;
    if (this.raw.size > 0 && this.raw.has(n)) return render(this, this.entry(row)).message;
    const c = row * COLS;
    const head = this.cols[c]!;
    const kind = head & 0xff;
    if (kind === INFO) return this.texts.get(n) ?? '';
    const j = this.jobIds[this.cols[c + 1]!]!;
    const job = this.jobs[j];
    const from = (head >> 8) & 0xff;
    const to = (head >> 16) & 0xff;
    if (kind === JOB) return jobText(job?.name, j, JOB_STATUSES[from]!, JOB_STATUSES[to]!);
    return subtaskText(
      job?.vertices[this.cols[c + 2]!],
      j,
      this.cols[c + 3]!,
      this.cols[c + 4]!,
      EXECUTION_STATES[from]!,
      EXECUTION_STATES[to]!,
      this.texts.get(n),
    );
  }

  /**
   * The message of the line in `row` written as a JSON string, `JSON.stringify(this.text(row))`: only
   * quoted when none of its parts needs escaping (the names and ids it repeats are checked once).
   */
  jsonText(row: number): string {
    const text = this.text(row);
    return this.plain(row, text) ? '"' + text + '"' : JSON.stringify(text);
  }

  /** Whether JSON.stringify writes the line's message as it is, between quotes. */
  private plain(row: number, text: string): boolean {
    const n = this.first + row;
    if (this.raw.size > 0 && this.raw.has(n)) return PLAIN.test(text);
    const c = row * COLS;
    const head = this.cols[c]!;
    const kind = head & 0xff;
    if (kind === INFO) return PLAIN.test(text);
    const j = this.jobIds[this.cols[c + 1]!]!;
    const job = this.jobs[j];
    if (kind === JOB) return isPlain(job?.name ?? '') && isPlain(j);
    const cause = this.texts.get(n);
    return this.vertexFacts(job, j, this.cols[c + 2]!).plain && (!cause || PLAIN.test(cause));
  }

  /**
   * The UTF-8 size of the message of the line in `row` written as a JSON string, quotes included
   * (`Buffer.byteLength(JSON.stringify(this.text(row)))`), counted from the columns without writing the
   * message: what a JSON log event of the line weighs, for a scan that reads few of the texts.
   */
  jsonSize(row: number): number {
    const n = this.first + row;
    if (this.raw.size > 0 && this.raw.has(n)) return jsonStringSize(this.text(row));
    const c = row * COLS;
    const head = this.cols[c]!;
    const kind = head & 0xff;
    if (kind === INFO) return jsonStringSize(this.texts.get(n) ?? '');
    const j = this.jobIds[this.cols[c + 1]!]!;
    const job = this.jobs[j];
    const from = (head >> 8) & 0xff;
    const to = (head >> 16) & 0xff;
    if (kind === JOB)
      // jobText: `Job ${name} (${j}) switched from state ${from} to ${to}.`
      return (
        2 + JOB_TEXT + textSize(job?.name ?? '') + textSize(j) + JOB_STATUSES[from]!.length + JOB_STATUSES[to]!.length
      );
    // subtaskText: `${name} (${i + 1}/${parallelism})#${a} (${j}_${id}_${i}_${a}) switched from ${from} to ${to}${tail}`
    const i = this.cols[c + 3]!;
    const a = this.cols[c + 4]!;
    const cause = this.texts.get(n);
    return (
      2 +
      SUBTASK_TEXT +
      this.vertexFacts(job, j, this.cols[c + 2]!).size +
      decimals(i + 1) +
      2 * decimals(a) +
      decimals(i) +
      EXECUTION_STATES[from]!.length +
      EXECUTION_STATES[to]!.length +
      (cause ? CAUSE_TEXT + textSize(cause) : 1)
    );
  }

  /** A subtask line's vertex name, parallelism, vertex id and job id: their JSON size, and whether plain. */
  private vertexFacts(job: LoggedJob | undefined, j: string, index: number): VertexFacts {
    let cache = this.vertexCache;
    if (cache.job !== job || cache.jid !== j) this.vertexCache = cache = { job, jid: j, facts: [] };
    let facts = cache.facts[index];
    if (facts === undefined) {
      const v = job?.vertices[index];
      const name = v?.name ?? '?';
      const parallelism = String(v?.parallelism ?? '?');
      const id = v?.id ?? '';
      facts = {
        size: textSize(name) + textSize(parallelism) + textSize(id) + textSize(j),
        plain: isPlain(name) && isPlain(parallelism) && isPlain(id) && isPlain(j),
      };
      // A job's vertices do not change once registered.
      if (index >= 0 && index < 4096) cache.facts[index] = facts;
    }
    return facts;
  }

  /** Keeps the newest MAX_LOG_ENTRIES entries; forgets the jobs no kept line mentions. */
  trim(): void {
    const drop = this.size - MAX_LOG_ENTRIES;
    if (drop <= 0) return;
    this.times.copyWithin(0, drop, this.size);
    this.cols.copyWithin(0, drop * COLS, this.size * COLS);
    this.size = MAX_LOG_ENTRIES;
    const first = this.first;
    for (const n of this.texts.keys()) if (n < first) this.texts.delete(n);
    for (const n of this.raw.keys()) if (n < first) this.raw.delete(n);
    // Renumber the jobs still mentioned, in order of first mention.
    const referenced = new Set<string>();
    const jobIds: string[] = [];
    const jobIndex = new Map<string, number>();
    for (let row = 0; row < this.size; row++) {
      const raw = this.raw.get(first + row);
      if (raw) {
        if ('j' in raw) referenced.add(raw.j);
        continue;
      }
      const c = row * COLS;
      if ((this.cols[c]! & 0xff) === INFO) continue;
      const jid = this.jobIds[this.cols[c + 1]!]!;
      referenced.add(jid);
      let code = jobIndex.get(jid);
      if (code === undefined) jobIndex.set(jid, (code = jobIds.push(jid) - 1));
      this.cols[c + 1] = code;
    }
    this.jobIds = jobIds;
    this.jobIndex = jobIndex;
    for (const jid of Object.keys(this.jobs)) if (!referenced.has(jid)) delete this.jobs[jid];
  }
}

/** What `EventLogStore.get` hands out: the entries are rebuilt on demand. */
class AppLogView implements AppLog {
  constructor(private readonly log: CompactLog) {}

  get entries(): (LogEntry & { n: number })[] {
    const out: (LogEntry & { n: number })[] = [];
    for (let row = 0; row < this.log.size; row++) out.push(this.log.entry(row));
    return out;
  }

  get total(): number {
    return this.log.total;
  }

  get jobs(): Record<string, LoggedJob> {
    return this.log.jobs;
  }
}

export class EventLogStore {
  private logs = new Map<string, CompactLog>();
  /** Set by whoever archives the logs (the emulator's telemetry store). */
  listener?: LogListener;

  private log(appKey: string): CompactLog {
    let log = this.logs.get(appKey);
    if (!log) this.logs.set(appKey, (log = new CompactLog()));
    this.listener?.changed(appKey);
    return log;
  }

  registerJob(appKey: string, jid: string, job: LoggedJob): void {
    this.log(appKey).jobs[jid] = job;
  }

  /** Keys of the applications with a log. */
  keys(): IterableIterator<string> {
    return this.logs.keys();
  }

  /** The kept entries numbered `from` or later, in stored form (undefined: no such log). */
  export(appKey: string, from = 0): LogExport | undefined {
    const log = this.logs.get(appKey);
    if (!log) return undefined;
    const rows: LogRow[] = [];
    const first = log.first;
    for (let row = Math.max(0, from - first); row < log.size; row++) {
      const n = first + row;
      const c = row * COLS;
      const head = log.cols[c]!;
      const raw = log.raw.get(n);
      const text = log.texts.get(n);
      rows.push({
        n,
        t: log.times[row]!,
        head,
        ...((head & 0xff) !== INFO ? { jid: log.jobIds[log.cols[c + 1]!]! } : {}),
        v: log.cols[c + 2]!,
        i: log.cols[c + 3]!,
        a: log.cols[c + 4]!,
        ...(text !== undefined ? { text } : {}),
        ...(raw ? { raw } : {}),
      });
    }
    return { total: log.total, first, rows, jobs: { ...log.jobs } };
  }

  /** The kept entries numbered `from` or later, as columns (undefined: no such log). */
  exportColumns(appKey: string, from = 0): LogColumns | undefined {
    const log = this.logs.get(appKey);
    if (!log) return undefined;
    const first = log.first;
    const start = Math.min(Math.max(0, from - first), log.size);
    return {
      total: log.total,
      first,
      from: first + start,
      times: log.times.subarray(start, log.size),
      cols: log.cols.subarray(start * COLS, log.size * COLS),
      jobIds: log.jobIds,
      texts: log.texts,
      raw: log.raw,
      jobs: log.jobs,
    };
  }

  /**
   * Puts back an archived log (rows oldest first, numbered below `total`), replacing what is kept for
   * the application, without telling the listener.
   */
  restore(appKey: string, data: LogExport): void {
    const log = new CompactLog();
    // As many as the log keeps between its batched trims, so a restored log reads as it did.
    const rows = data.rows.length > MAX_LOG_ENTRIES + TRIM_BATCH ? data.rows.slice(-MAX_LOG_ENTRIES) : data.rows;
    const first = rows[0]?.n ?? data.total;
    log.total = first;
    for (const r of rows) {
      // A gap (rows the archive lost) keeps its numbers: sequence numbers stay stable for pagination.
      while (log.total < r.n) {
        log.raw.set(log.total, { t: r.t, k: 'info', text: '' });
        log.add(log.row(), r.t, INFO, 0, 0, -1, 0, 0, 0);
      }
      const row = log.row();
      if (r.text !== undefined) log.texts.set(r.n, r.text);
      if (r.raw) log.raw.set(r.n, r.raw);
      const kind = r.head & 0xff;
      log.add(
        row,
        r.t,
        kind,
        (r.head >> 8) & 0xff,
        (r.head >> 16) & 0xff,
        kind === INFO || r.jid === undefined ? -1 : log.jobCode(r.jid),
        r.v,
        r.i,
        r.a,
      );
    }
    // With no entries kept, numbering still continues where the log left off.
    if (rows.length === 0) log.total = data.total;
    log.jobs = { ...data.jobs };
    const replaced = this.logs.get(appKey);
    if (replaced) replaced.retired = true;
    this.logs.set(appKey, log);
  }

  append(appKey: string, entry: LogEntry): void {
    const log = this.log(appKey);
    const row = log.row();
    const n = log.total;
    switch (entry.k) {
      case 'subtask': {
        const from = STATE_CODE.get(entry.from);
        const to = STATE_CODE.get(entry.to);
        if (from === undefined || to === undefined) break;
        if (entry.cause) log.texts.set(n, entry.cause);
        log.add(row, entry.t, SUBTASK, from, to, log.jobCode(entry.j), entry.v, entry.i, entry.a);
        return this.trimmed(log);
      }
      case 'job': {
        const from = STATUS_CODE.get(entry.from);
        const to = STATUS_CODE.get(entry.to);
        if (from === undefined || to === undefined) break;
        log.add(row, entry.t, JOB, from, to, log.jobCode(entry.j), 0, 0, 0);
        return this.trimmed(log);
      }
      case 'info':
        log.texts.set(n, entry.text);
        log.add(row, entry.t, INFO, 0, 0, -1, 0, 0, 0);
        return this.trimmed(log);
    }
    // Not expressible in the columns (a state this build does not know): kept as given.
    log.raw.set(n, { ...entry });
    log.add(row, entry.t, INFO, 0, 0, -1, 0, 0, 0);
    this.trimmed(log);
  }

  /** A subtask's state change, without building the entry object. */
  appendSubtask(
    appKey: string,
    t: number,
    jid: string,
    v: number,
    i: number,
    a: number,
    from: ExecutionState,
    to: ExecutionState,
    cause?: string,
  ): void {
    const log = this.log(appKey);
    const fromCode = STATE_CODE.get(from);
    const toCode = STATE_CODE.get(to);
    if (fromCode === undefined || toCode === undefined) {
      this.append(appKey, { t, k: 'subtask', j: jid, v, i, a, from, to, ...(cause ? { cause } : {}) });
      return;
    }
    const row = log.row();
    if (cause) log.texts.set(log.total, cause);
    log.add(row, t, SUBTASK, fromCode, toCode, log.jobCode(jid), v, i, a);
    this.trimmed(log);
  }

  // Trim in batches so appends stay cheap.
  private trimmed(log: CompactLog): void {
    if (log.size > MAX_LOG_ENTRIES + TRIM_BATCH) log.trim();
  }

  get(appKey: string): AppLog | undefined {
    const log = this.logs.get(appKey);
    return log ? new AppLogView(log) : undefined;
  }

  delete(appKey: string): void {
    this.listener?.deleted(appKey);
    const log = this.logs.get(appKey);
    if (log) log.retired = true;
    this.logs.delete(appKey);
  }

  /** Rendered lines in [from, to] (epoch ms), oldest first. */
  lines(appKey: string, from = -Infinity, to = Infinity): RenderedLogLine[] {
    const log = this.logs.get(appKey);
    if (!log) return [];
    const out: RenderedLogLine[] = [];
    for (let row = 0; row < log.size; row++) {
      const t = log.times[row]!;
      if (t >= from && t <= to) out.push(log.line(row));
    }
    return out;
  }

  /**
   * A pass over the lines `lines` returns that renders a line only when asked (a Logs Insights query over
   * a million lines reads the time and size of each and the text of few).
   */
  scan(appKey: string, from = -Infinity, to = Infinity): LogLines {
    return new LogLines(this.logs.get(appKey), from, to);
  }
}

/**
 * One application's lines in [from, to], oldest first, one at a time: `next` moves to a line and tells its
 * number, time, kind, level and logger; its text is written only when asked. The pass reads the lines the
 * log held when it began: lines appended later are not read, and lines trimmed away before the pass
 * reaches them are skipped (sequence numbers are stable, rows shift as the log trims). A reader may pause
 * between lines.
 */
export class LogLines {
  /** The current line's sequence number. */
  seq: number;
  timestamp = 0;
  kind: RenderedLogLine['kind'] = 'info';
  level: RenderedLogLine['level'] = 'INFO';
  logger = JOB_MASTER;
  private row = -1;
  private readonly end: number;

  constructor(
    private readonly log: CompactLog | undefined,
    private readonly from: number,
    private readonly to: number,
  ) {
    this.end = log?.total ?? 0;
    this.seq = (log?.first ?? 0) - 1;
  }

  /** Moves to the next line in range; false when there is none. */
  next(): boolean {
    const log = this.log;
    // A log replaced (restored) or deleted meanwhile: what it held is gone.
    if (!log || log.retired) return false;
    const first = log.first;
    const times = log.times;
    for (let n = Math.max(this.seq + 1, first); n < this.end; n++) {
      const row = n - first;
      const t = times[row]!;
      if (t < this.from || t > this.to) continue;
      this.seq = n;
      this.timestamp = t;
      this.row = row;
      const head = log.cols[row * COLS]!;
      const kind = head & 0xff;
      if (log.raw.size > 0 && log.raw.has(n)) {
        const line = log.line(row);
        this.kind = line.kind;
        this.level = line.level;
        this.logger = line.logger;
      } else if (kind === SUBTASK) {
        this.kind = 'subtask';
        this.level = head >> 16 === FAILED_STATE ? 'WARN' : 'INFO';
        this.logger = EXECUTION_GRAPH;
      } else if (kind === JOB) {
        const to = head >> 16;
        this.kind = 'job';
        this.level = to === FAILED_STATUS || to === FAILING_STATUS ? 'ERROR' : 'INFO';
        this.logger = EXECUTION_GRAPH;
      } else {
        this.kind = 'info';
        this.level = 'INFO';
        this.logger = JOB_MASTER;
      }
      return true;
    }
    this.seq = this.end;
    return false;
  }

  /** The current line's message as a JSON string: its UTF-8 size, quotes included. */
  jsonSize(): number {
    return this.log!.jsonSize(this.row);
  }

  /**
   * The message of line `seq` written as a JSON string (`JSON.stringify(message)`), for a line this pass
   * has read; undefined once the log no longer holds it (read the messages to keep before the log can
   * change: before the reader pauses).
   */
  jsonMessage(seq: number): string | undefined {
    const log = this.log;
    if (!log || log.retired) return undefined;
    const row = seq - log.first;
    return row >= 0 && row < log.size ? log.jsonText(row) : undefined;
  }
}

const EXECUTION_GRAPH = 'org.apache.flink.runtime.executiongraph.ExecutionGraph';
const JOB_MASTER = 'org.apache.flink.runtime.jobmaster.JobMaster';
const FAILED_STATE = STATE_CODE.get('FAILED')!;
const FAILED_STATUS = STATUS_CODE.get('FAILED')!;
const FAILING_STATUS = STATUS_CODE.get('FAILING')!;
/** The fixed text of a job line and of a subtask line (everything but the values), and of a failure cause. */
const JOB_TEXT = 'Job  () switched from state  to .'.length;
const SUBTASK_TEXT = ' (/)# (___) switched from  to '.length;
const CAUSE_TEXT = ' with failure cause: '.length;

/** UTF-8 size of a string written by JSON.stringify, quotes included. */
function jsonStringSize(s: string): number {
  return PLAIN.test(s) ? s.length + 2 : utf8Size(JSON.stringify(s));
}

/** Text JSON.stringify writes as it is, a byte a character: printable ASCII but `"` and `\`. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

interface VertexFacts {
  size: number;
  plain: boolean;
}

const plainTexts = new Map<string, boolean>();

/** PLAIN.test, remembered for the names and ids lines repeat. */
function isPlain(s: string): boolean {
  let plain = plainTexts.get(s);
  if (plain === undefined) {
    plain = PLAIN.test(s);
    if (plainTexts.size >= 10_000) plainTexts.clear();
    plainTexts.set(s, plain);
  }
  return plain;
}

const textSizes = new Map<string, number>();

/** jsonStringSize without the quotes, remembered for the names and ids lines repeat. */
function textSize(s: string): number {
  let n = textSizes.get(s);
  if (n === undefined) {
    n = jsonStringSize(s) - 2;
    if (textSizes.size >= 10_000) textSizes.clear();
    textSizes.set(s, n);
  }
  return n;
}

function utf8Size(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** Characters of an integer written in decimal. */
function decimals(x: number): number {
  if (x >= 0 && x < 10) return 1;
  if (x >= 0 && x < 100) return 2;
  return String(x).length;
}

export function render(log: Pick<AppLog, 'jobs'>, entry: LogEntry & { n: number }): RenderedLogLine {
  const base = { seq: entry.n, timestamp: entry.t, kind: entry.k };
  switch (entry.k) {
    case 'subtask':
      return {
        ...base,
        level: entry.to === 'FAILED' ? 'WARN' : 'INFO',
        logger: EXECUTION_GRAPH,
        message: subtaskText(
          log.jobs[entry.j]?.vertices[entry.v],
          entry.j,
          entry.i,
          entry.a,
          entry.from,
          entry.to,
          entry.cause,
        ),
      };
    case 'job':
      return {
        ...base,
        level: entry.to === 'FAILED' || entry.to === 'FAILING' ? 'ERROR' : 'INFO',
        logger: EXECUTION_GRAPH,
        message: jobText(log.jobs[entry.j]?.name, entry.j, entry.from, entry.to),
      };
    case 'info':
      return { ...base, level: 'INFO', logger: JOB_MASTER, message: entry.text };
  }
}

/** A subtask's state change in Flink's wording (its size is counted in CompactLog.jsonSize). */
function subtaskText(
  v: LoggedJob['vertices'][number] | undefined,
  j: string,
  i: number,
  a: number,
  from: string,
  to: string,
  cause: string | undefined,
): string {
  const tail = cause ? ` with failure cause: ${cause}` : '.';
  return `${v?.name ?? '?'} (${i + 1}/${v?.parallelism ?? '?'})#${a} (${j}_${v?.id ?? ''}_${i}_${a}) switched from ${from} to ${to}${tail}`;
}

/** A job's status change in Flink's wording (its size is counted in CompactLog.jsonSize). */
function jobText(name: string | undefined, j: string, from: string, to: string): string {
  return `Job ${name ?? ''} (${j}) switched from state ${from} to ${to}.`;
}
