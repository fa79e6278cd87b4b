/**
 * CloudWatch Logs subset (Logs_20140328, JSON 1.1). Log groups and streams are the engine's view
 * (engine/logs/log-groups.ts): groups and streams created with CreateLogGroup / CreateLogStream (with
 * retention, class, KMS key and tags, persisted), and the ones the applications' CloudWatch logging
 * options name (or /aws/kinesis-analytics/<name> by default). Each application's event log appears in its
 * group and stream as JSON messages shaped like the ones Managed Service for Apache Flink writes:
 * FilterLogEvents, GetLogEvents, DescribeLogGroups, DescribeLogStreams, and Logs Insights queries
 * (logs-insights.ts) read both kinds of groups.
 */
import {
  DEFAULT_LOG_STREAM,
  ServiceError,
  logGroupArn,
  logGroupNameOf,
  toBase64,
  fromBase64,
  fromUtf8,
  utf8,
  type AppRecord,
  type CallContext,
  type Engine,
  type LogGroupClass,
  type LogGroupView,
  type LogStreamView,
  type LogTarget,
  type RenderedLogLine,
} from '@mfc/engine';
import type { Handler, JsonService } from '../protocol/json-rpc.js';
import { loadModel } from '../protocol/model.js';
import { insightsHandlers } from './logs-insights.js';

export { DEFAULT_LOG_STREAM };
const invalid = (message: string) => new ServiceError('InvalidParameterException', message);

/** Where an application's log goes: its logging option's stream, else /aws/kinesis-analytics/<name>. */
export function logTargets(engine: Engine, ctx: CallContext): LogTarget[] {
  return engine.logGroups.targets(ctx);
}

function groupName(input: Record<string, unknown>): string {
  const name = (input.logGroupName ?? input.logGroupIdentifier) as string | undefined;
  if (!name) throw invalid('Either logGroupName or logGroupIdentifier must be specified.');
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined)
    throw invalid('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  // An identifier may be the group's ARN.
  return logGroupNameOf(name);
}

/** The streams of a group in name order; ResourceNotFoundException for a missing group. */
function streamsOf(engine: Engine, ctx: CallContext, group: string): LogStreamView[] {
  return [...engine.logGroups.requireGroup(ctx, group).streams.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
}

/** A stream's events in [from, to]: its writers' lines, each from the time the stream shows it from. */
function streamLines(engine: Engine, s: LogStreamView, from: number, to: number) {
  return s.writers.flatMap((w) =>
    engine.telemetry.logs.lines(w.app.key, Math.max(from, w.from), to).map((line) => ({ app: w.app, line })),
  );
}

/**
 * The message as the service writes it: a JSON document per line, keys in this order:
 * `{"locationInformation":…,"logger":…,"message":…,"threadName":…,"applicationARN":…,
 * "applicationVersionId":…,"messageSchemaVersion":"1","messageType":…}`. Everything but the message is
 * the same for every line of a kind and level of one application version, so it is written once (a
 * frame) and each line only quotes its own text: the same bytes JSON.stringify of the object gives.
 */
export function logMessage(app: AppRecord, line: RenderedLogLine): string {
  const f = messageFrame(app, line.kind, line.level, line.logger);
  return f.prefix + jsonString(line.message) + f.suffix;
}

/** JSON.stringify of a string: text that needs no escaping is only quoted. */
export const jsonString = (text: string): string => (PLAIN.test(text) ? '"' + text + '"' : JSON.stringify(text));

/** Text JSON.stringify writes as it is: printable ASCII but `"` and `\`. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * The constant parts of a line's JSON document, before and after its quoted message, and their UTF-8
 * size: a line's document is `prefix + jsonString(message) + suffix`.
 */
export interface MessageFrame {
  logger: string;
  prefix: string;
  suffix: string;
  bytes: number;
}

/** An application version's frames, by kind and level (KINDS × LEVELS). */
interface Frames {
  version: string;
  slots: (MessageFrame | undefined)[];
}

const KINDS: Record<RenderedLogLine['kind'], number> = { subtask: 0, job: 1, info: 2 };
const LEVELS: Record<RenderedLogLine['level'], number> = { INFO: 0, WARN: 1, ERROR: 2 };
/** Applications whose frames are kept (a few short strings each); past it the cache starts over. */
const MAX_FRAMED_APPS = 10_000;
const framesByArn = new Map<string, Frames>();

/** The frame of the application's lines of a kind and level, as its current version writes them. */
export function messageFrame(
  app: AppRecord,
  kind: RenderedLogLine['kind'],
  level: RenderedLogLine['level'],
  logger: string,
): MessageFrame {
  const version = String(app.runningVersion ?? app.versionId);
  let frames = framesByArn.get(app.arn);
  if (frames?.version !== version) {
    if (framesByArn.size >= MAX_FRAMED_APPS) framesByArn.clear();
    framesByArn.set(app.arn, (frames = { version, slots: [] }));
  }
  const slot = KINDS[kind] * 3 + LEVELS[level];
  const f = frames.slots[slot];
  if (f !== undefined && f.logger === logger) return f;
  return (frames.slots[slot] = frame(app.arn, version, kind, level, logger));
}

/** JSON.stringify of the document, written key by key, cut around the message. */
function frame(
  arn: string,
  version: string,
  kind: RenderedLogLine['kind'],
  level: RenderedLogLine['level'],
  logger: string,
): MessageFrame {
  const q = JSON.stringify;
  const location = `${logger}.${kind === 'info' ? 'log' : 'transitionState'}`;
  const thread = kind === 'subtask' ? 'flink-pekko.actor.default-dispatcher-4' : 'jobmanager-io-thread-1';
  const prefix = `{"locationInformation":${q(location)},"logger":${q(logger)},"message":`;
  const suffix =
    `,"threadName":${q(thread)},"applicationARN":${q(arn)},"applicationVersionId":${q(version)}` +
    `,"messageSchemaVersion":"1","messageType":${q(level)}}`;
  return { logger, prefix, suffix, bytes: Buffer.byteLength(prefix) + Buffer.byteLength(suffix) };
}

/**
 * CloudWatch Logs filter patterns, the common forms: terms that must all appear, "quoted phrases",
 * ?alternatives, -exclusions, and JSON selectors like { $.messageType = "ERROR" }.
 */
export function matchesFilter(pattern: string | undefined, message: string): boolean {
  const p = pattern?.trim();
  if (!p) return true;
  const json = /^\{\s*\$\.([\w.]+)\s*(=|!=)\s*"?([^"}]*)"?\s*\}$/.exec(p);
  if (json) {
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    const value = json[1]!
      .split('.')
      .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), doc);
    const wanted = json[3]!.trim();
    const equal = wanted.endsWith('*') ? String(value).startsWith(wanted.slice(0, -1)) : String(value) === wanted;
    return json[2] === '=' ? equal : !equal;
  }
  const terms = [...p.matchAll(/([?-]?)"([^"]*)"|([?-]?)(\S+)/g)].map((m) => ({
    op: m[1] || m[3] || '',
    text: m[2] ?? m[4]!,
  }));
  const optional = terms.filter((t) => t.op === '?');
  if (optional.length > 0) return optional.some((t) => message.includes(t.text));
  return terms.every((t) => (t.op === '-' ? !message.includes(t.text) : message.includes(t.text)));
}

function token(kind: string, seq: number): string {
  return toBase64(utf8(`${kind}:${seq}`));
}

function untoken(value: string | undefined, kind: string): number | undefined {
  if (value === undefined) return undefined;
  const text = fromBase64(value);
  const m = text ? new RegExp(`^${kind}:(-?\\d+)$`).exec(fromUtf8(text)) : null;
  if (!m) throw invalid('The specified nextToken is invalid.');
  return Number(m[1]);
}

function filterLogEvents(engine: Engine, ctx: CallContext, input: Record<string, unknown>) {
  const streams = streamsOf(engine, ctx, groupName(input));
  const names = input.logStreamNames as string[] | undefined;
  const prefix = input.logStreamNamePrefix as string | undefined;
  if (names && prefix) throw invalid('logStreamNames and logStreamNamePrefix cannot both be specified.');
  const chosen = streams.filter((s) => (!names || names.includes(s.name)) && (!prefix || s.name.startsWith(prefix)));
  const from = (input.startTime as number | undefined) ?? 0;
  const to = (input.endTime as number | undefined) ?? Number.MAX_SAFE_INTEGER;
  const limit = (input.limit as number | undefined) ?? 10_000;
  const after = untoken(input.nextToken as string | undefined, 'filter') ?? -1;
  const events = chosen
    .flatMap((s) =>
      streamLines(engine, s, from, to).map(({ app, line }) => ({ s, line, message: logMessage(app, line) })),
    )
    .filter((e) => e.line.seq > after && matchesFilter(input.filterPattern as string | undefined, e.message))
    .sort((a, b) => a.line.timestamp - b.line.timestamp || a.line.seq - b.line.seq);
  const page = events.slice(0, limit);
  return {
    events: page.map((e) => ({
      logStreamName: e.s.name,
      timestamp: e.line.timestamp,
      ingestionTime: e.line.timestamp + 180,
      message: e.message,
      eventId: String(e.line.seq).padStart(20, '0'),
    })),
    searchedLogStreams: chosen.map((s) => ({ logStreamName: s.name, searchedCompletely: events.length <= limit })),
    ...(events.length > limit ? { nextToken: token('filter', page.at(-1)!.line.seq) } : {}),
  };
}

function getLogEvents(engine: Engine, ctx: CallContext, input: Record<string, unknown>) {
  const stream = streamsOf(engine, ctx, groupName(input)).find((s) => s.name === input.logStreamName);
  if (!stream) throw new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
  const from = (input.startTime as number | undefined) ?? 0;
  const to = (input.endTime as number | undefined) ?? Number.MAX_SAFE_INTEGER;
  const limit = (input.limit as number | undefined) ?? 10_000;
  const lines = streamLines(engine, stream, from, to).sort(
    (a, b) => a.line.timestamp - b.line.timestamp || a.line.seq - b.line.seq,
  );
  const tokenValue = input.nextToken as string | undefined;
  let start: number;
  let end: number;
  if (tokenValue?.startsWith('f/')) {
    const after = Number(tokenValue.slice(2));
    start = lines.findIndex((l) => l.line.seq > after);
    if (start < 0) start = lines.length;
    end = Math.min(lines.length, start + limit);
  } else if (tokenValue?.startsWith('b/')) {
    const before = Number(tokenValue.slice(2));
    end = lines.findIndex((l) => l.line.seq >= before);
    if (end < 0) end = lines.length;
    start = Math.max(0, end - limit);
  } else if (tokenValue !== undefined) {
    throw invalid('The specified nextToken is invalid.');
  } else if (input.startFromHead === true) {
    start = 0;
    end = Math.min(lines.length, limit);
  } else {
    end = lines.length;
    start = Math.max(0, end - limit);
  }
  const page = lines.slice(start, end);
  const lastSeq = page.at(-1)?.line.seq ?? lines[start - 1]?.line.seq ?? -1;
  const firstSeq = page[0]?.line.seq ?? lines[end]?.line.seq ?? 0;
  return {
    events: page.map(({ app, line }) => ({
      timestamp: line.timestamp,
      ingestionTime: line.timestamp + 180,
      message: logMessage(app, line),
    })),
    // At the end of the stream the forward token repeats, as CloudWatch Logs does.
    nextForwardToken: `f/${String(lastSeq).padStart(20, '0')}`,
    nextBackwardToken: `b/${String(firstSeq).padStart(20, '0')}`,
  };
}

/** Name-ordered pages: the token is the last name of the page (opaque to clients). */
function pageOf<T>(items: T[], name: (t: T) => string, limit: number, nextToken: string | undefined) {
  const after = untokenName(nextToken);
  const rest = after === undefined ? items : items.filter((i) => name(i) > after);
  const page = rest.slice(0, limit);
  return { page, nextToken: rest.length > limit ? tokenName(name(page.at(-1)!)) : undefined };
}

const tokenName = (name: string) => toBase64(utf8(`name:${name}`));

function untokenName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = fromBase64(value);
  const decoded = text ? fromUtf8(text) : '';
  if (!decoded.startsWith('name:')) throw invalid('The specified nextToken is invalid.');
  return decoded.slice('name:'.length);
}

function logGroupShape(ctx: CallContext, g: LogGroupView) {
  const r = g.record;
  return {
    logGroupName: g.name,
    creationTime: g.createdAt,
    ...(r?.retentionInDays !== undefined ? { retentionInDays: r.retentionInDays } : {}),
    metricFilterCount: 0,
    arn: `${logGroupArn(ctx, g.name)}:*`,
    storedBytes: 0,
    ...(r?.kmsKeyId !== undefined ? { kmsKeyId: r.kmsKeyId } : {}),
    logGroupClass: r?.logGroupClass ?? 'STANDARD',
    logGroupArn: logGroupArn(ctx, g.name),
    ...(r?.deletionProtectionEnabled ? { deletionProtectionEnabled: true } : {}),
  };
}

function describeLogGroups(engine: Engine, ctx: CallContext, input: Record<string, unknown>) {
  const prefix = input.logGroupNamePrefix as string | undefined;
  const pattern = input.logGroupNamePattern as string | undefined;
  const ids = input.logGroupIdentifiers as string[] | undefined;
  const cls = input.logGroupClass as LogGroupClass | undefined;
  if (prefix !== undefined && pattern !== undefined)
    throw invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  if (ids !== undefined && (prefix !== undefined || pattern !== undefined))
    throw invalid('logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.');
  const names = ids?.map(logGroupNameOf);
  const groups = [...engine.logGroups.view(ctx).values()]
    .filter(
      (g) =>
        (prefix === undefined || g.name.startsWith(prefix)) &&
        (pattern === undefined || g.name.includes(pattern)) &&
        (names === undefined || names.includes(g.name)) &&
        (cls === undefined || (g.record?.logGroupClass ?? 'STANDARD') === cls),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { page, nextToken } = pageOf(
    groups,
    (g) => g.name,
    (input.limit as number | undefined) ?? 50,
    input.nextToken as string | undefined,
  );
  return {
    logGroups: page.map((g) => {
      const shape = logGroupShape(ctx, g);
      // With a pattern, CloudWatch Logs returns only these three fields.
      return pattern === undefined
        ? shape
        : { logGroupName: shape.logGroupName, creationTime: shape.creationTime, arn: shape.arn };
    }),
    ...(nextToken ? { nextToken } : {}),
  };
}

function describeLogStreams(engine: Engine, ctx: CallContext, input: Record<string, unknown>) {
  const group = groupName(input);
  const prefix = input.logStreamNamePrefix as string | undefined;
  const byTime = input.orderBy === 'LastEventTime';
  if (byTime && prefix !== undefined) throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
  const streams = streamsOf(engine, ctx, group)
    .filter((s) => prefix === undefined || s.name.startsWith(prefix))
    .map((s) => {
      const lines = streamLines(engine, s, 0, Number.MAX_SAFE_INTEGER)
        .map((l) => l.line.timestamp)
        .sort((a, b) => a - b);
      return {
        logStreamName: s.name,
        creationTime: s.createdAt,
        ...(lines.length > 0
          ? {
              firstEventTimestamp: lines[0]!,
              lastEventTimestamp: lines.at(-1)!,
              lastIngestionTime: lines.at(-1)! + 180,
            }
          : {}),
        arn: `${logGroupArn(ctx, group)}:log-stream:${s.name}`,
        storedBytes: 0,
      };
    });
  if (byTime) streams.sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0));
  if (input.descending === true) streams.reverse();
  // Ordered by time the token is an offset; by name, the last name.
  const limit = (input.limit as number | undefined) ?? 50;
  if (byTime || input.descending === true) {
    const from = untoken(input.nextToken as string | undefined, 'streams') ?? 0;
    const page = streams.slice(from, from + limit);
    return {
      logStreams: page,
      ...(streams.length > from + limit ? { nextToken: token('streams', from + limit) } : {}),
    };
  }
  const { page, nextToken } = pageOf(streams, (s) => s.logStreamName, limit, input.nextToken as string | undefined);
  return { logStreams: page, ...(nextToken ? { nextToken } : {}) };
}

function tagsArn(engine: Engine, ctx: CallContext, input: Record<string, unknown>): string {
  return engine.logGroups.groupOfArn(ctx, input.resourceArn as string);
}

type Input = Parameters<Handler>[1];
/** The engine's log group service, with the wire input as its request shape. */
const groups = (engine: () => Engine) => engine().logGroups;

export function logsService(engine: () => Engine): JsonService {
  const handlers: Record<string, Handler> = {
    FilterLogEvents: (ctx, input) => filterLogEvents(engine(), ctx, input),
    GetLogEvents: (ctx, input) => getLogEvents(engine(), ctx, input),
    DescribeLogGroups: (ctx, input) => describeLogGroups(engine(), ctx, input),
    DescribeLogStreams: (ctx, input) => describeLogStreams(engine(), ctx, input),
    CreateLogGroup: (ctx, input) => groups(engine).createLogGroup(ctx, input as never),
    DeleteLogGroup: (ctx, input) => groups(engine).deleteLogGroup(ctx, input as never),
    CreateLogStream: (ctx, input) => groups(engine).createLogStream(ctx, input as never),
    DeleteLogStream: (ctx, input) => groups(engine).deleteLogStream(ctx, input as never),
    PutRetentionPolicy: (ctx, input) => groups(engine).putRetentionPolicy(ctx, input as never),
    DeleteRetentionPolicy: (ctx, input) => groups(engine).deleteRetentionPolicy(ctx, input as never),
    AssociateKmsKey: (ctx, input) => groups(engine).associateKmsKey(ctx, input as never),
    DisassociateKmsKey: (ctx, input) => groups(engine).disassociateKmsKey(ctx, input as never),
    // The log group tagging API (deprecated by AWS, still what older tools call) ...
    TagLogGroup: (ctx, input: Input) => {
      groups(engine).tag(ctx, input.logGroupName as string, input.tags as Record<string, string>);
      return {};
    },
    UntagLogGroup: (ctx, input: Input) => {
      groups(engine).untag(ctx, input.logGroupName as string, input.tags as string[]);
      return {};
    },
    ListTagsLogGroup: (ctx, input: Input) => ({ tags: groups(engine).listTags(ctx, input.logGroupName as string) }),
    // ... and the generic one, by log group ARN (with or without :*).
    TagResource: (ctx, input: Input) => {
      groups(engine).tag(ctx, tagsArn(engine(), ctx, input), input.tags as Record<string, string>);
      return {};
    },
    UntagResource: (ctx, input: Input) => {
      groups(engine).untag(ctx, tagsArn(engine(), ctx, input), input.tagKeys as string[]);
      return {};
    },
    ListTagsForResource: (ctx, input: Input) => ({
      tags: groups(engine).listTags(ctx, tagsArn(engine(), ctx, input)),
    }),
    ...insightsHandlers(engine),
  };
  return {
    name: 'logs',
    model: loadModel('logs'),
    contentType: 'application/x-amz-json-1.1',
    handlers,
    validationErrorFor: () => 'InvalidParameterException',
  };
}
