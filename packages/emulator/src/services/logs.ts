/**
 * CloudWatch Logs subset (Logs_20140328, JSON 1.1): each application's event log appears in the log
 * group and stream of its CloudWatch logging option (or a default one), as JSON messages shaped like the
 * ones Managed Service for Apache Flink writes. FilterLogEvents, GetLogEvents, DescribeLogGroups,
 * DescribeLogStreams, and Logs Insights queries (logs-insights.ts).
 */
import {
  ServiceError,
  toBase64,
  fromBase64,
  fromUtf8,
  utf8,
  type AppRecord,
  type CallContext,
  type Engine,
  type RenderedLogLine,
} from '@mfc/engine';
import type { Handler, JsonService } from '../protocol/json-rpc.js';
import { loadModel } from '../protocol/model.js';
import { insightsHandlers } from './logs-insights.js';

export const DEFAULT_LOG_STREAM = 'kinesis-analytics-log-stream';
const notFound = (message: string) => new ServiceError('ResourceNotFoundException', message);
const invalid = (message: string) => new ServiceError('InvalidParameterException', message);

interface Target {
  app: AppRecord;
  group: string;
  stream: string;
}

/** Where an application's log goes: its logging option's stream, else /aws/kinesis-analytics/<name>. */
export function logTargets(engine: Engine, ctx: CallContext): Target[] {
  return engine.core.appsIn(ctx.account, ctx.region).map((app) => {
    const arn = app.logging[0]?.LogStreamARN;
    const m = arn ? /:log-group:([^:]+):log-stream:(.+)$/.exec(arn) : null;
    return { app, group: m?.[1] ?? `/aws/kinesis-analytics/${app.name}`, stream: m?.[2] ?? DEFAULT_LOG_STREAM };
  });
}

function groupName(input: Record<string, unknown>): string {
  const name = (input.logGroupName ?? input.logGroupIdentifier) as string | undefined;
  if (!name) throw invalid('Either logGroupName or logGroupIdentifier must be specified.');
  // An identifier may be the group's ARN.
  const arn = /:log-group:([^:]+)(?::\*)?$/.exec(name);
  return arn ? arn[1]! : name;
}

function targetsIn(engine: Engine, ctx: CallContext, group: string): Target[] {
  const targets = logTargets(engine, ctx).filter((t) => t.group === group);
  if (targets.length === 0) throw notFound('The specified log group does not exist.');
  return targets;
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
  const targets = targetsIn(engine, ctx, groupName(input));
  const names = input.logStreamNames as string[] | undefined;
  const prefix = input.logStreamNamePrefix as string | undefined;
  if (names && prefix) throw invalid('logStreamNames and logStreamNamePrefix cannot both be specified.');
  const chosen = targets.filter(
    (t) => (!names || names.includes(t.stream)) && (!prefix || t.stream.startsWith(prefix)),
  );
  const from = (input.startTime as number | undefined) ?? 0;
  const to = (input.endTime as number | undefined) ?? Number.MAX_SAFE_INTEGER;
  const limit = (input.limit as number | undefined) ?? 10_000;
  const after = untoken(input.nextToken as string | undefined, 'filter') ?? -1;
  const events = chosen
    .flatMap((t) =>
      engine.telemetry.logs.lines(t.app.key, from, to).map((line) => ({ t, line, message: logMessage(t.app, line) })),
    )
    .filter((e) => e.line.seq > after && matchesFilter(input.filterPattern as string | undefined, e.message))
    .sort((a, b) => a.line.timestamp - b.line.timestamp || a.line.seq - b.line.seq);
  const page = events.slice(0, limit);
  return {
    events: page.map((e) => ({
      logStreamName: e.t.stream,
      timestamp: e.line.timestamp,
      ingestionTime: e.line.timestamp + 180,
      message: e.message,
      eventId: String(e.line.seq).padStart(20, '0'),
    })),
    searchedLogStreams: chosen.map((t) => ({ logStreamName: t.stream, searchedCompletely: events.length <= limit })),
    ...(events.length > limit ? { nextToken: token('filter', page.at(-1)!.line.seq) } : {}),
  };
}

function getLogEvents(engine: Engine, ctx: CallContext, input: Record<string, unknown>) {
  const target = targetsIn(engine, ctx, groupName(input)).find((t) => t.stream === input.logStreamName);
  if (!target) throw notFound('The specified log stream does not exist.');
  const from = (input.startTime as number | undefined) ?? 0;
  const to = (input.endTime as number | undefined) ?? Number.MAX_SAFE_INTEGER;
  const limit = (input.limit as number | undefined) ?? 10_000;
  const lines = engine.telemetry.logs.lines(target.app.key, from, to);
  const tokenValue = input.nextToken as string | undefined;
  let start: number;
  let end: number;
  if (tokenValue?.startsWith('f/')) {
    const after = Number(tokenValue.slice(2));
    start = lines.findIndex((l) => l.seq > after);
    if (start < 0) start = lines.length;
    end = Math.min(lines.length, start + limit);
  } else if (tokenValue?.startsWith('b/')) {
    const before = Number(tokenValue.slice(2));
    end = lines.findIndex((l) => l.seq >= before);
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
  const lastSeq = page.at(-1)?.seq ?? lines[start - 1]?.seq ?? -1;
  const firstSeq = page[0]?.seq ?? lines[end]?.seq ?? 0;
  return {
    events: page.map((l) => ({
      timestamp: l.timestamp,
      ingestionTime: l.timestamp + 180,
      message: logMessage(target.app, l),
    })),
    // At the end of the stream the forward token repeats, as CloudWatch Logs does.
    nextForwardToken: `f/${String(lastSeq).padStart(20, '0')}`,
    nextBackwardToken: `b/${String(firstSeq).padStart(20, '0')}`,
  };
}

function describeLogGroups(engine: Engine, ctx: CallContext, input: Record<string, unknown>) {
  const prefix = (input.logGroupNamePrefix as string | undefined) ?? '';
  const groups = [...new Set(logTargets(engine, ctx).map((t) => t.group))].filter((g) => g.startsWith(prefix)).sort();
  return {
    logGroups: groups.map((g) => ({
      logGroupName: g,
      arn: `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${g}:*`,
      logGroupArn: `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${g}`,
      creationTime: Math.min(
        ...logTargets(engine, ctx)
          .filter((t) => t.group === g)
          .map((t) => t.app.createTimestamp),
      ),
      storedBytes: 0,
      logGroupClass: 'STANDARD',
    })),
  };
}

function describeLogStreams(engine: Engine, ctx: CallContext, input: Record<string, unknown>) {
  const prefix = (input.logStreamNamePrefix as string | undefined) ?? '';
  return {
    logStreams: targetsIn(engine, ctx, groupName(input))
      .filter((t) => t.stream.startsWith(prefix))
      .map((t) => {
        const lines = engine.telemetry.logs.lines(t.app.key);
        return {
          logStreamName: t.stream,
          creationTime: t.app.createTimestamp,
          arn: `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${t.group}:log-stream:${t.stream}`,
          ...(lines.length > 0
            ? {
                firstEventTimestamp: lines[0]!.timestamp,
                lastEventTimestamp: lines.at(-1)!.timestamp,
                lastIngestionTime: lines.at(-1)!.timestamp + 180,
              }
            : {}),
          storedBytes: 0,
        };
      }),
  };
}

export function logsService(engine: () => Engine): JsonService {
  const handlers: Record<string, Handler> = {
    FilterLogEvents: (ctx, input) => filterLogEvents(engine(), ctx, input),
    GetLogEvents: (ctx, input) => getLogEvents(engine(), ctx, input),
    DescribeLogGroups: (ctx, input) => describeLogGroups(engine(), ctx, input),
    DescribeLogStreams: (ctx, input) => describeLogStreams(engine(), ctx, input),
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
