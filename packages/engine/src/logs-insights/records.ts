/**
 * What a query reads: log events with their system fields (@timestamp, @message, @logStream, @log,
 * @ingestionTime, @ptr) and, when the message is a JSON object, the fields Logs Insights discovers in it
 * (nested keys flattened with dots, array items by index). Discovery is lazy: a query that never names a
 * discovered field never parses the JSON.
 */
import { toBase64, utf8 } from '../util/bytes.js';
import { Time, type Value } from './values.js';

/** One log event as the emulator hands it to a query. */
export interface InsightsEvent {
  /** Epoch ms. */
  timestamp: number;
  ingestionTime: number;
  /**
   * The raw message (@message). It may be a getter that writes the message when first read: a query reads
   * it of every event it keeps before the step that scanned the event returns, so the source can change
   * between steps.
   */
  readonly message: string;
  logStream: string;
  /** `<account>:<log group name>` (@log). */
  log: string;
  /** The event's number in its stream, for @ptr. */
  seq: number;
  /** UTF-8 size of the message, when the caller knows it cheaply (else its length is counted). */
  bytes?: number;
}

/** A row as commands see it: events before stats, aggregated rows after. */
export interface Row {
  get(name: string): Value;
  set(name: string, value: Value): void;
  /** Every field the row has, in the order "all fields" results show them. */
  names(): string[];
}

export const SYSTEM_FIELDS = ['@timestamp', '@message', '@logStream', '@log'] as const;

/** @ptr: an opaque handle on the event (its group, stream and number), like CloudWatch's. */
export function pointer(e: InsightsEvent): string {
  return toBase64(utf8(`${e.log}\u0000${e.logStream}\u0000${e.seq}`));
}

export class EventRow implements Row {
  /**
   * Fields set by commands, in the order first set: the first three in fields of the row, the others in a
   * Map. (Per-event arrays or maps that the first events keep make V8 allocate every later one in the old
   * generation, where they keep each event's strings alive past the young collections.)
   */
  private n0?: string;
  private v0: Value | undefined;
  private n1?: string;
  private v1: Value | undefined;
  private n2?: string;
  private v2: Value | undefined;
  private more?: Map<string, Value>;
  /** Discovered fields; undefined until first asked for. */
  private json?: Map<string, Value>;

  constructor(
    readonly event: InsightsEvent,
    /** Order of the event in the scan: ties in a sort keep it. */
    readonly ordinal: number,
  ) {}

  /** Called for an event the query keeps past its step: reads what the event may write lazily. */
  keep(): void {
    void this.event.message;
  }

  get(name: string): Value {
    if (this.n0 !== undefined) {
      const own = this.own(name);
      if (own !== undefined) return own;
    }
    switch (name) {
      case '@timestamp':
        return new Time(this.event.timestamp);
      case '@message':
        return this.event.message;
      case '@logStream':
        return this.event.logStream;
      case '@log':
        return this.event.log;
      case '@ingestionTime':
        return new Time(this.event.ingestionTime);
      case '@ptr':
        return pointer(this.event);
    }
    // A key the raw text does not contain cannot be discovered: most misses skip the JSON parse.
    const probe = this.json ? undefined : probeKey(name);
    if (probe !== undefined && !this.event.message.includes(probe)) return null;
    return this.discovered().get(name) ?? null;
  }

  private own(name: string): Value | undefined {
    if (name === this.n0) return this.v0;
    if (name === this.n1) return this.v1;
    if (name === this.n2) return this.v2;
    return this.more?.get(name);
  }

  set(name: string, value: Value): void {
    if (this.n0 === undefined || name === this.n0) {
      this.n0 = name;
      this.v0 = value;
    } else if (this.n1 === undefined || name === this.n1) {
      this.n1 = name;
      this.v1 = value;
    } else if (this.n2 === undefined || name === this.n2) {
      this.n2 = name;
      this.v2 = value;
    } else (this.more ??= new Map()).set(name, value);
  }

  names(): string[] {
    const out: string[] = [...SYSTEM_FIELDS, ...this.discovered().keys()];
    for (const k of [this.n0, this.n1, this.n2, ...(this.more?.keys() ?? [])])
      if (k !== undefined && !out.includes(k)) out.push(k);
    return out;
  }

  private discovered(): Map<string, Value> {
    if (this.json) return this.json;
    this.json = new Map();
    const m = this.event.message;
    if (m.charCodeAt(0) !== 123 /* { */) return this.json;
    let doc: unknown;
    try {
      doc = JSON.parse(m);
    } catch {
      return this.json;
    }
    flatten(doc, '', this.json);
    return this.json;
  }
}

const probes = new Map<string, string | undefined>();

/**
 * Text a JSON message must contain for a flattened field name to be in it: the end of the last key that
 * is not an array index (`a.b.0` needs `b"`, which a key "a.b" also ends with); undefined when the key
 * might be written escaped.
 */
function probeKey(name: string): string | undefined {
  if (probes.has(name)) return probes.get(name);
  const parts = name.split('.');
  let i = parts.length - 1;
  while (i > 0 && /^\d+$/.test(parts[i]!)) i--;
  const key = parts[i]!;
  const probe = /^[\w@$ -]+$/.test(key) ? `${key}"` : undefined;
  if (probes.size < 10_000) probes.set(name, probe);
  return probe;
}

function flatten(v: unknown, prefix: string, out: Map<string, Value>): void {
  if (v === null || v === undefined) return;
  if (typeof v === 'object') {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (prefix) out.set(prefix, typeof v === 'number' ? v : String(v));
}

/** A row that is only fields: the output of stats. */
export class MapRow implements Row {
  constructor(private readonly fields = new Map<string, Value>()) {}

  get(name: string): Value {
    return this.fields.get(name) ?? null;
  }

  set(name: string, value: Value): void {
    this.fields.set(name, value);
  }

  names(): string[] {
    return [...this.fields.keys()];
  }
}
