/**
 * CloudWatch Logs Insights over the emulator's log groups: StartQuery, GetQueryResults, StopQuery and
 * DescribeQueries. The query language and its execution are the engine's (pure, incremental); this edge
 * resolves log groups, feeds each query the groups' events and drives it a bounded chunk per turn of the
 * event loop, so a query over a million events never blocks the server: Scheduled → Running (partial
 * results) → Complete, or Cancelled by StopQuery, or Failed.
 *
 * The events are the ones FilterLogEvents returns: each message is the JSON document Managed Service for
 * Apache Flink writes, so @message is that raw JSON and its keys (message, messageType, logger, ...) are
 * discovered fields. A regex parse of @message therefore applies to the JSON text, as on AWS: the AWS
 * guidance's `parse @message /^(?<task>.+) switched from .../` yields a task that starts with the JSON
 * before the Flink message (`{"locationInformation":...,"message":"Source: ...`). That is kept, not
 * tidied: automation tested here must meet what CloudWatch returns.
 */
import { randomUUID } from 'node:crypto';
import {
  InsightsQuery,
  ServiceError,
  STEP_EVENTS,
  type CallContext,
  type Engine,
  type InsightsEvent,
  type LogGroupView,
  type LogLines,
  type QueryOutput,
} from '@mfc/engine';
import { unchanging, type Handler } from '../protocol/json-rpc.js';
import { messageFrame, type MessageFrame } from './logs.js';

type Input = Record<string, unknown>;
type Status = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled';

/** Queries kept per account and region, and for how long (CloudWatch keeps results 7 days). */
export const MAX_KEPT_QUERIES = 1000;
export const QUERY_RETENTION_MS = 7 * 24 * 3_600_000;
/** Queries Scheduled or Running at once per account (CloudWatch's quota). */
export const MAX_CONCURRENT_QUERIES = 30;
const MAX_LOG_GROUPS = 50;
const MAX_PAGE = 10_000;

/**
 * How queries advance: events read per step, the wall time the running queries' steps may take in one
 * turn of the event loop, the wall-time pause between steps (tests slow a query down to watch it run;
 * 0: the next turn), and how often GetQueryResults rebuilds a running query's partial results.
 */
export const insightsPacing = { eventsPerStep: STEP_EVENTS, pauseMs: 0, turnMs: 25, partialRefreshMs: 500 };
/** Pages of one snapshot kept serialized (a client paging through with maxItems). */
const MAX_CACHED_PAGES = 16;

const invalid = (message: string) => new ServiceError('InvalidParameterException', message);
const notFound = (message: string) => new ServiceError('ResourceNotFoundException', message);

interface QueryRecord {
  id: string;
  account: string;
  region: string;
  queryString: string;
  groups: string[];
  createTime: number;
  status: Status;
  query: InsightsQuery;
  principal?: string;
  /** What GetQueryResults last answered from. */
  snapshot?: Snapshot;
}

interface Snapshot {
  status: Status;
  /** Events the query had read when its results were taken. */
  scanned: number;
  /** performance.now() then. */
  at: number;
  out: QueryOutput;
  /** Answers by first row and page size, while the query runs. */
  pages: Map<string, object>;
}

export function insightsHandlers(engine: () => Engine): Record<string, Handler> {
  let store = new QueryStore();
  let owner: Engine | undefined;
  // An emulator reset replaces the engine: its queries go with it.
  const current = () => {
    const e = engine();
    if (e !== owner) {
      store.cancelAll();
      store = new QueryStore();
      owner = e;
    }
    return { engine: e, store };
  };
  return {
    StartQuery: (ctx, input) => {
      const { engine: e, store: s } = current();
      return { queryId: s.start(e, ctx, input) };
    },
    GetQueryResults: (ctx, input) => current().store.results(ctx, input),
    StopQuery: (ctx, input) => ({ success: current().store.stop(ctx, input.queryId as string) }),
    DescribeQueries: (ctx, input) => {
      const { engine: e, store: s } = current();
      return s.describe(e, ctx, input);
    },
  };
}

class QueryStore {
  /** Oldest first. */
  private readonly records: QueryRecord[] = [];

  start(engine: Engine, ctx: CallContext, input: Input): string {
    const language = input.queryLanguage as string | undefined;
    if (language !== undefined && language !== 'CWLI')
      throw invalid(`Query language ${language} is not supported by this emulator; use CWLI (Logs Insights QL).`);
    const groups = requestedGroups(input);
    const startMs = (input.startTime as number) * 1000;
    // Times are whole seconds: the end second is included whole.
    const endMs = (input.endTime as number) * 1000 + 999;
    if (startMs > endMs) throw invalid('The startTime of the query must not be after its endTime.');
    const view = engine.logGroups.view(ctx);
    const targets = groups.map((g) => {
      const found = view.get(g);
      if (!found) throw notFound(`Log group '${g}' does not exist for account ID '${ctx.account}'.`);
      return { group: g, view: found };
    });
    const created = Math.min(...targets.map((g) => g.view.createdAt));
    if (endMs < created)
      throw new ServiceError(
        'MalformedQueryException',
        "Query's end date and time is either before the log groups creation time or exceeds the log groups log retention settings",
      );
    const running = this.records.filter((r) => r.account === ctx.account && isActive(r.status)).length;
    if (running >= MAX_CONCURRENT_QUERIES)
      throw new ServiceError(
        'LimitExceededException',
        `Account maximum query concurrency limit of [${MAX_CONCURRENT_QUERIES}] reached.`,
      );
    const queryString = input.queryString as string;
    const events = eventsOf(engine, ctx, targets, startMs, endMs);
    // Compiles here: a malformed query fails StartQuery (MalformedQueryException with its position).
    const query = new InsightsQuery(queryString, events, { limit: input.limit as number | undefined });
    const record: QueryRecord = {
      id: randomUUID(),
      account: ctx.account,
      region: ctx.region,
      queryString,
      groups,
      createTime: engine.now(),
      status: 'Scheduled',
      query,
      principal: ctx.principal,
    };
    this.records.push(record);
    this.prune(engine.now(), ctx);
    drive(record);
    return record.id;
  }

  results(ctx: CallContext, input: Input) {
    const r = this.find(ctx, input.queryId as string);
    const from = untoken(input.nextToken as string | undefined);
    const size = Math.min((input.maxItems as number | undefined) ?? MAX_PAGE, MAX_PAGE);
    if (r.status === 'Scheduled' || r.status === 'Failed')
      return page(r, { results: [], statistics: r.query.statistics }, from, size);
    const snap = snapshot(r);
    // A finished query's pages are built when asked (clients read them once or twice; kept, a thousand
    // finished queries would hold their serialized pages too).
    if (r.status !== 'Running') return page(r, snap.out, from, size);
    const key = `${from}/${size}`;
    let answer = snap.pages.get(key);
    if (!answer) {
      if (snap.pages.size >= MAX_CACHED_PAGES) snap.pages.clear();
      // Served again unchanged until the snapshot is replaced: serialized once.
      snap.pages.set(key, (answer = unchanging(page(r, snap.out, from, size))));
    }
    return answer;
  }

  stop(ctx: CallContext, id: string): boolean {
    const r = this.find(ctx, id);
    if (!isActive(r.status)) return false;
    r.status = 'Cancelled';
    return true;
  }

  describe(engine: Engine, ctx: CallContext, input: Input) {
    this.prune(engine.now(), ctx);
    const group = input.logGroupName as string | undefined;
    const status = input.status as string | undefined;
    const language = input.queryLanguage as string | undefined;
    const matching = this.records
      .filter(
        (r) =>
          r.account === ctx.account &&
          r.region === ctx.region &&
          (!group || r.groups.includes(group)) &&
          (!status || r.status === status) &&
          (!language || language === 'CWLI'),
      )
      .reverse();
    const from = untoken(input.nextToken as string | undefined);
    const size = (input.maxResults as number | undefined) ?? 1000;
    const page = matching.slice(from, from + size);
    return {
      queries: page.map((r) => ({
        queryLanguage: 'CWLI',
        queryId: r.id,
        queryString: r.queryString,
        status: r.status,
        createTime: r.createTime,
        logGroupName: r.groups[0],
        bytesScanned: r.query.statistics.bytesScanned,
        ...(r.principal ? { userIdentity: r.principal } : {}),
      })),
      ...(from + page.length < matching.length ? { nextToken: token(from + page.length) } : {}),
    };
  }

  cancelAll(): void {
    for (const r of this.records) if (isActive(r.status)) r.status = 'Cancelled';
  }

  private find(ctx: CallContext, id: string): QueryRecord {
    const r = this.records.find((q) => q.id === id && q.account === ctx.account && q.region === ctx.region);
    if (!r) throw notFound(`Query ${id} does not exist.`);
    return r;
  }

  /** Forgets finished queries past retention, and the oldest finished ones past the count. */
  private prune(now: number, ctx: CallContext): void {
    const mine = (r: QueryRecord) => r.account === ctx.account && r.region === ctx.region;
    let excess = this.records.filter(mine).length - MAX_KEPT_QUERIES;
    for (let i = 0; i < this.records.length; i++) {
      const r = this.records[i]!;
      if (isActive(r.status)) continue;
      const expired = now - r.createTime > QUERY_RETENTION_MS;
      if (expired || (excess > 0 && mine(r))) {
        if (mine(r)) excess--;
        this.records.splice(i--, 1);
      }
    }
  }
}

const isActive = (s: Status) => s === 'Scheduled' || s === 'Running';

/**
 * The results GetQueryResults answers with: the query's own once it has stopped (Complete, Cancelled),
 * and while it runs the results after some completed step, taken again at most every
 * `insightsPacing.partialRefreshMs`. Pollers ask every few milliseconds; building, sorting and
 * serializing 10,000 rows each time took longer than the query itself.
 */
function snapshot(r: QueryRecord): Snapshot {
  const scanned = r.query.statistics.recordsScanned;
  const now = performance.now();
  const s = r.snapshot;
  if (
    s &&
    s.status === r.status &&
    (s.scanned === scanned || (r.status === 'Running' && now - s.at < insightsPacing.partialRefreshMs))
  )
    return s;
  return (r.snapshot = { status: r.status, scanned, at: now, out: r.query.results(), pages: new Map() });
}

function page(r: QueryRecord, out: QueryOutput, from: number, size: number) {
  const rows = out.results.slice(from, from + size);
  return {
    queryLanguage: 'CWLI',
    results: rows,
    statistics: { ...out.statistics, logGroupsScanned: r.groups.length },
    status: r.status,
    ...(from + rows.length < out.results.length ? { nextToken: token(from + rows.length) } : {}),
  };
}

/** Exactly one of logGroupName, logGroupNames, logGroupIdentifiers (names or ARNs), up to 50 groups. */
function requestedGroups(input: Input): string[] {
  const given = [input.logGroupName, input.logGroupNames, input.logGroupIdentifiers].filter((v) => v !== undefined);
  if (given.length !== 1)
    throw invalid('Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be specified.');
  const list = (input.logGroupName !== undefined ? [input.logGroupName] : given[0]) as string[];
  if (list.length === 0) throw invalid('At least one log group must be specified.');
  if (list.length > MAX_LOG_GROUPS) throw invalid(`A query can search up to ${MAX_LOG_GROUPS} log groups.`);
  // An identifier may be the group's ARN.
  return [...new Set(list.map((g) => /:log-group:([^:]+)(?::\*)?$/.exec(g)?.[1] ?? g))];
}

/**
 * The groups' events in [from, to], read group by group and stream by stream as the query reaches them.
 * An event's message is written when the query first reads it: a query that keeps few events (a sort with
 * a limit) writes few of them. Its size (bytesScanned) is counted from the line without writing it.
 */
function eventsOf(
  engine: Engine,
  ctx: CallContext,
  groups: { group: string; view: LogGroupView }[],
  from: number,
  to: number,
): Iterator<InsightsEvent> {
  // Each writer of each stream, from the first event the stream shows of it.
  const streams = groups.flatMap(({ group, view }) =>
    [...view.streams.values()].flatMap((s) =>
      s.writers.map((w) => ({ app: w.app, stream: s.name, from: w.from, log: `${ctx.account}:${group}` })),
    ),
  );
  let s = -1;
  let lines: LogLines | undefined;
  // One result object for every event: the query reads each event before asking for the next.
  const result = { done: false, value: undefined as unknown as InsightsEvent };
  const end: IteratorResult<InsightsEvent> = { done: true, value: undefined };
  return {
    next() {
      while (!lines?.next()) {
        if (++s >= streams.length) return end;
        lines = engine.telemetry.logs.scan(streams[s]!.app.key, Math.max(from, streams[s]!.from), to);
      }
      const { app, stream, log } = streams[s]!;
      const frame = messageFrame(app, lines.kind, lines.level, lines.logger);
      result.value = new LogEvent(
        lines.timestamp,
        lines.seq,
        frame.bytes + lines.jsonSize(),
        stream,
        log,
        frame,
        lines,
      );
      return result;
    },
  };
}

/** An event of a Logs Insights scan; its message is written when first read. */
class LogEvent implements InsightsEvent {
  private text?: string;

  constructor(
    readonly timestamp: number,
    readonly seq: number,
    readonly bytes: number,
    readonly logStream: string,
    readonly log: string,
    private readonly frame: MessageFrame,
    private readonly lines: LogLines,
  ) {}

  get ingestionTime(): number {
    return this.timestamp + 180;
  }

  get message(): string {
    // The query reads the messages of the events it keeps before it pauses, while the log holds them.
    return (this.text ??= this.frame.prefix + (this.lines.jsonMessage(this.seq) ?? '""') + this.frame.suffix);
  }
}

/**
 * Advances a query until it completes, is cancelled or fails. Running queries share the event loop's
 * turns: each turn steps them in rotation, a chunk of events at a time, for at most
 * `insightsPacing.turnMs` in all, so a request waits at most that long however many queries run. With a
 * pause between turns (tests watching a query run), each query instead steps once per pause.
 */
function drive(record: QueryRecord): void {
  if (insightsPacing.pauseMs > 0) {
    const turn = () => {
      if (advance(record)) setTimeout(turn, insightsPacing.pauseMs).unref();
    };
    setTimeout(turn, insightsPacing.pauseMs).unref();
    return;
  }
  running.push(record);
  if (running.length === 1) setImmediate(turn).unref();
}

/** Queries the shared turns advance, in rotation: `next` is the one whose step comes next. */
const running: QueryRecord[] = [];
let next = 0;

function turn(): void {
  const until = performance.now() + insightsPacing.turnMs;
  while (running.length > 0) {
    if (next >= running.length) next = 0;
    if (advance(running[next]!)) next++;
    else running.splice(next, 1);
    if (performance.now() >= until) break;
  }
  if (running.length > 0) setImmediate(turn).unref();
}

/** One step of a query; false once it is no longer active. */
function advance(record: QueryRecord): boolean {
  if (!isActive(record.status)) return false;
  record.status = 'Running';
  try {
    if (!record.query.step(insightsPacing.eventsPerStep)) return true;
    record.query.results();
    record.status = 'Complete';
  } catch {
    record.status = 'Failed';
  }
  return false;
}

function token(offset: number): string {
  return Buffer.from(`insights:${offset}`).toString('base64');
}

function untoken(value: string | undefined): number {
  if (value === undefined) return 0;
  const m = /^insights:(\d+)$/.exec(Buffer.from(value, 'base64').toString('utf8'));
  if (!m) throw invalid('The specified nextToken is invalid.');
  return Number(m[1]);
}
