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
  type QueryOutput,
} from '@mfc/engine';
import type { Handler } from '../protocol/json-rpc.js';
import { logMessage, logTargets } from './logs.js';

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
 * How queries advance: events read per turn and the wall-time pause between turns (0: the next turn of
 * the event loop). Tests slow it down to watch a query run.
 */
export const insightsPacing = { eventsPerStep: STEP_EVENTS, pauseMs: 0 };

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
    const targets = groups.map((g) => {
      const found = logTargets(engine, ctx).filter((t) => t.group === g);
      if (found.length === 0) throw notFound(`Log group '${g}' does not exist for account ID '${ctx.account}'.`);
      return { group: g, targets: found };
    });
    const created = Math.min(...targets.flatMap((g) => g.targets.map((t) => t.app.createTimestamp)));
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
    const out: QueryOutput =
      r.status === 'Scheduled' || r.status === 'Failed'
        ? { results: [], statistics: r.query.statistics }
        : r.query.results();
    const from = untoken(input.nextToken as string | undefined);
    const size = Math.min((input.maxItems as number | undefined) ?? MAX_PAGE, MAX_PAGE);
    const page = out.results.slice(from, from + size);
    return {
      queryLanguage: 'CWLI',
      results: page,
      statistics: { ...out.statistics, logGroupsScanned: r.groups.length },
      status: r.status,
      ...(from + page.length < out.results.length ? { nextToken: token(from + page.length) } : {}),
    };
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

/** The groups' events in [from, to], read group by group as the query reaches them. */
function* eventsOf(
  engine: Engine,
  ctx: CallContext,
  groups: { group: string; targets: ReturnType<typeof logTargets> }[],
  from: number,
  to: number,
): Generator<InsightsEvent> {
  for (const { group, targets } of groups) {
    const log = `${ctx.account}:${group}`;
    for (const t of targets)
      for (const line of engine.telemetry.logs.lines(t.app.key, from, to)) {
        const message = logMessage(t.app, line);
        yield {
          timestamp: line.timestamp,
          ingestionTime: line.timestamp + 180,
          message,
          logStream: t.stream,
          log,
          seq: line.seq,
          bytes: Buffer.byteLength(message),
        };
      }
  }
}

/** Advances a query a chunk per turn until it completes, is cancelled or fails. */
function drive(record: QueryRecord): void {
  const turn = () => {
    if (!isActive(record.status)) return;
    record.status = 'Running';
    try {
      if (record.query.step(insightsPacing.eventsPerStep)) {
        record.query.results();
        record.status = 'Complete';
      } else later();
    } catch {
      record.status = 'Failed';
    }
  };
  const later = () =>
    insightsPacing.pauseMs > 0 ? setTimeout(turn, insightsPacing.pauseMs).unref() : setImmediate(turn).unref();
  later();
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
