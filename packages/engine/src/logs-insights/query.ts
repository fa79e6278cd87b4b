/**
 * A running Logs Insights query: pure and incremental. Each `step` reads a bounded number of events, so
 * the emulator can interleave a query over a million events with its other work; `results` can be read
 * at any point (partial while running, as GetQueryResults answers).
 */
import { compareKeys, compileQuery, type CompiledSort, type Plan } from './plan.js';
import { EventRow, pointer, type InsightsEvent, type Row } from './records.js';
import { StatsAggregator } from './stats.js';
import { MAX_LIMIT } from './parser.js';
import { format, type Value } from './values.js';

export interface ResultField {
  field: string;
  value: string;
}

export interface QueryStatistics {
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

export interface QueryOutput {
  results: ResultField[][];
  statistics: QueryStatistics;
}

export interface QueryOptions {
  /** Rows returned when the query has no limit command (StartQuery's `limit`; default 10,000). */
  limit?: number;
}

/** Events read per step unless told otherwise. */
export const STEP_EVENTS = 5000;

/** Newest first, the order of results without a sort. */
const DEFAULT_ORDER: CompiledSort = { keys: [(row) => row.get('@timestamp')], desc: [true] };

export class InsightsQuery {
  readonly plan: Plan;
  private readonly stats?: StatsAggregator;
  private readonly collected?: TopRows;
  private readonly cap: number;
  private scanned = 0;
  private matched = 0;
  private bytes = 0;
  private finished = false;
  private final?: QueryOutput;

  /** Compiles the query: a malformed one throws MalformedQueryException here, before any event is read. */
  constructor(
    source: string,
    private readonly events: Iterator<InsightsEvent>,
    options: QueryOptions = {},
  ) {
    this.plan = compileQuery(source);
    this.cap = options.limit ?? MAX_LIMIT;
    if (this.plan.stats) this.stats = new StatsAggregator(this.plan.stats, this.plan.scope);
    else {
      const keep = this.plan.keep === 'cap' ? this.cap : this.plan.keep;
      this.collected = new TopRows(this.plan.order ?? DEFAULT_ORDER, !this.plan.order, keep);
    }
  }

  get done(): boolean {
    return this.finished;
  }

  /** Reads up to `maxEvents` events; true once every event has been read. */
  step(maxEvents = STEP_EVENTS): boolean {
    for (let n = 0; n < maxEvents && !this.finished; n++) {
      const next = this.events.next();
      if (next.done) this.finished = true;
      else this.scan(next.value);
    }
    return this.finished;
  }

  /** Runs to the end (tests, small queries). */
  run(): QueryOutput {
    while (!this.step());
    return this.results();
  }

  get statistics(): QueryStatistics {
    return { recordsMatched: this.matched, recordsScanned: this.scanned, bytesScanned: this.bytes };
  }

  /** The results so far: complete once `done`. */
  results(): QueryOutput {
    if (this.final) return this.final;
    let rows = this.stats ? this.stats.rows() : this.collected!.rows();
    for (const op of this.plan.rest) rows = op(rows);
    if (!this.plan.limited) rows = rows.slice(0, this.cap);
    const out = { results: rows.map((r) => this.render(r)), statistics: this.statistics };
    if (this.finished) this.final = out;
    return out;
  }

  private scan(e: InsightsEvent): void {
    this.scanned++;
    this.bytes += e.bytes ?? byteLength(e.message);
    const row = new EventRow(e, this.scanned);
    for (const op of this.plan.stream) if (!op(row)) return;
    this.matched++;
    if (this.stats) this.stats.add(row);
    else this.collected!.add(row);
  }

  private render(row: Row): ResultField[] {
    const names = this.plan.output === 'all' ? row.names() : this.plan.output;
    const out: ResultField[] = [];
    for (const field of names) {
      const v = row.get(field);
      if (v !== null) out.push({ field, value: format(v) });
    }
    if (this.plan.events && row instanceof EventRow && !names.includes('@ptr'))
      out.push({ field: '@ptr', value: pointer(row.event) });
    return out;
  }
}

/** Compiles a query without running it: throws MalformedQueryException for one StartQuery refuses. */
export function validateQuery(source: string): void {
  compileQuery(source);
}

/**
 * The events that can reach the results, in order: all of them, or only the top `keep` (pruned in
 * batches so adding stays cheap). Ties keep the scan order (newest scanned first in the default order).
 * Once `keep` rows are held, the last of them is a bar: an event that ranks below it can never reach the
 * results, so it is not kept at all (most events of a `sort … | limit N` over a million).
 */
class TopRows {
  private entries: Entry[] = [];
  private readonly scratch: Value[] = [];
  private sorted = true;
  /** Keys of the last row kept after a prune that left `keep` rows. */
  private bar?: Value[];

  constructor(
    private readonly order: CompiledSort,
    private readonly newestFirst: boolean,
    private readonly keep: number | undefined,
  ) {}

  /** Whether a row with these keys, scanned after every row held, could still be among the top `keep`. */
  private admits(keys: Value[]): boolean {
    if (!this.bar) return true;
    const c = compareKeys(keys, this.bar, this.order.desc);
    // A tie ranks a later row after the bar, but before it in the default order (newest scanned first).
    return c < 0 || (c === 0 && this.newestFirst);
  }

  add(row: EventRow): void {
    // The keys are read into one list, copied only for a row that is kept. (An array made for every
    // event, that the first events keep, makes V8 allocate all later ones in the old generation.)
    const of = this.order.keys;
    const scratch = this.scratch;
    for (let i = 0; i < of.length; i++) scratch[i] = of[i]!(row);
    if (!this.admits(scratch)) return;
    row.keep();
    this.entries.push(new Entry(row, scratch.slice()));
    this.sorted = false;
    if (this.keep !== undefined && this.entries.length >= this.keep + Math.max(this.keep, 1000)) this.prune();
  }

  rows(): Row[] {
    this.prune();
    return this.entries.map((e) => e.row);
  }

  private prune(): void {
    if (!this.sorted) {
      const tie = this.newestFirst ? -1 : 1;
      this.entries.sort(
        (a, b) => compareKeys(a.keys, b.keys, this.order.desc) || tie * (a.row.ordinal - b.row.ordinal),
      );
      this.sorted = true;
    }
    if (this.keep !== undefined && this.entries.length >= this.keep) {
      this.entries.length = this.keep;
      this.bar = this.entries[this.keep - 1]?.keys;
    }
  }
}

class Entry {
  constructor(
    readonly row: EventRow,
    readonly keys: Value[],
  ) {}
}

const NON_ASCII = /[\u0080-\uffff]/;

function byteLength(s: string): number {
  if (!NON_ASCII.test(s)) return s.length;
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
