/**
 * CloudWatch Logs log groups and streams: the ones created with CreateLogGroup / CreateLogStream (stored,
 * with retention, class, KMS key and tags), and the ones the emulator derives from the applications'
 * CloudWatch logging options (an application logs to its option's stream, or to
 * /aws/kinesis-analytics/<name>, whether or not anyone created the group). The two are one view: a
 * derived group that is created explicitly becomes a stored one, and a deleted group an application still
 * names stays deleted (a tombstone) until it is created again, as on AWS, where the application's log
 * events then have nowhere to go. A stored group or stream shows the events written since it was created
 * (and within its retention); a derived one shows all of them.
 */
import type { EngineEnv } from '../engine-env.js';
import type { KmsService } from '../kms/kms-service.js';
import type { ServiceCore } from '../service/core.js';
import type { AppRecord, CallContext } from '../service/records.js';
import { ServiceError } from '../util/errors.js';

export type LogGroupClass = 'STANDARD' | 'INFREQUENT_ACCESS' | 'DELIVERY';

export interface LogStreamRecord {
  createdAt: number;
  /** Deleted while an application still logs to it: it must not reappear as a derived stream. */
  deleted?: true;
}

export interface LogGroupRecord {
  name: string;
  account: string;
  region: string;
  createdAt: number;
  logGroupClass: LogGroupClass;
  retentionInDays?: number;
  /** As the caller wrote it (CloudWatch Logs echoes the ARN it was given). */
  kmsKeyId?: string;
  deletionProtectionEnabled?: boolean;
  tags: Record<string, string>;
  /** Streams created with CreateLogStream (and tombstones of deleted ones, see LogStreamRecord). */
  streams: Record<string, LogStreamRecord>;
  /** Deleted while an application still logs to it (a tombstone). */
  deleted?: true;
}

/** Where an application's log goes. */
export interface LogTarget {
  app: AppRecord;
  group: string;
  stream: string;
}

export interface LogStreamView {
  name: string;
  createdAt: number;
  /** Applications writing to the stream, each with the first event time the stream shows. */
  writers: { app: AppRecord; from: number }[];
}

export interface LogGroupView {
  name: string;
  createdAt: number;
  /** The stored group; undefined for a group derived from logging options only. */
  record?: LogGroupRecord;
  streams: Map<string, LogStreamView>;
}

export const DEFAULT_LOG_STREAM = 'kinesis-analytics-log-stream';
const DAY = 86_400_000;
/** The retention values CloudWatch Logs accepts. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
export const MAX_LOG_GROUP_TAGS = 50;

const invalid = (m: string) => new ServiceError('InvalidParameterException', m);
const notFound = (m: string) => new ServiceError('ResourceNotFoundException', m);
const groupNotFound = () => notFound('The specified log group does not exist.');
const streamNotFound = () => notFound('The specified log stream does not exist.');

export function logGroupArn(ctx: { region: string; account: string }, name: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:${name}`;
}

/** A log group name from a name, a log group ARN (with or without `:*`) or undefined. */
export function logGroupNameOf(identifier: string): string {
  const arn = /^arn:aws[\w-]*:logs:[^:]*:\d{12}:log-group:([^:]+)(?::\*)?$/.exec(identifier);
  return arn ? arn[1]! : identifier;
}

export class LogGroupService {
  constructor(
    private env: EngineEnv,
    private core: ServiceCore,
    private kms: KmsService,
  ) {}

  private get store() {
    return this.env.store;
  }

  private now(): number {
    return this.env.clock.now();
  }

  private storeKey(ctx: CallContext, name: string): string {
    return `${ctx.account}:${ctx.region}:${name}`;
  }

  record(ctx: CallContext, name: string): LogGroupRecord | undefined {
    return this.store.logGroups.get(this.storeKey(ctx, name));
  }

  private save(r: LogGroupRecord): void {
    this.store.logGroups.set(`${r.account}:${r.region}:${r.name}`, r);
  }

  /** Where each application of the account and region logs: its option's stream, else the default group. */
  targets(ctx: CallContext): LogTarget[] {
    return this.core.appsIn(ctx.account, ctx.region).map((app) => {
      const arn = app.logging[0]?.LogStreamARN;
      const m = arn ? /:log-group:([^:]+):log-stream:(.+)$/.exec(arn) : null;
      return { app, group: m?.[1] ?? `/aws/kinesis-analytics/${app.name}`, stream: m?.[2] ?? DEFAULT_LOG_STREAM };
    });
  }

  /** Every log group of the account and region, stored and derived, with its streams and their writers. */
  view(ctx: CallContext): Map<string, LogGroupView> {
    const groups = new Map<string, LogGroupView>();
    for (const r of this.store.logGroups.values()) {
      if (r.account !== ctx.account || r.region !== ctx.region || r.deleted) continue;
      const streams = new Map<string, LogStreamView>();
      for (const [name, s] of Object.entries(r.streams))
        if (!s.deleted) streams.set(name, { name, createdAt: s.createdAt, writers: [] });
      groups.set(r.name, { name: r.name, createdAt: r.createdAt, record: r, streams });
    }
    const now = this.now();
    for (const t of this.targets(ctx)) {
      const r = this.record(ctx, t.group);
      if (r?.deleted) continue;
      let g = groups.get(t.group);
      if (!g) groups.set(t.group, (g = { name: t.group, createdAt: t.app.createTimestamp, streams: new Map() }));
      else if (!r) g.createdAt = Math.min(g.createdAt, t.app.createTimestamp);
      const s = r?.streams[t.stream];
      if (s?.deleted) continue;
      let from = 0;
      if (r) {
        from = Math.max(r.createdAt, s?.createdAt ?? 0);
        if (r.retentionInDays !== undefined) from = Math.max(from, now - r.retentionInDays * DAY);
      }
      let sv = g.streams.get(t.stream);
      if (!sv)
        g.streams.set(
          t.stream,
          (sv = {
            name: t.stream,
            createdAt: r ? Math.max(r.createdAt, t.app.createTimestamp) : t.app.createTimestamp,
            writers: [],
          }),
        );
      sv.writers.push({ app: t.app, from });
    }
    return groups;
  }

  /** One group of the view, or ResourceNotFoundException. */
  requireGroup(ctx: CallContext, name: string): LogGroupView {
    const g = this.view(ctx).get(name);
    if (!g) throw groupNotFound();
    return g;
  }

  /**
   * The stored record of an existing group, created from the derived group when there is none yet (a
   * derived group keeps its creation time, so its events stay visible).
   */
  private adopt(ctx: CallContext, name: string): LogGroupRecord {
    const g = this.requireGroup(ctx, name);
    if (g.record) return g.record;
    const r = plainGroup(ctx, name, g.createdAt);
    this.save(r);
    return r;
  }

  private writtenTo(ctx: CallContext, group: string, stream?: string): boolean {
    return this.targets(ctx).some((t) => t.group === group && (stream === undefined || t.stream === stream));
  }

  // ---- groups ---------------------------------------------------------------------------------------

  createLogGroup(
    ctx: CallContext,
    req: {
      logGroupName: string;
      kmsKeyId?: string;
      tags?: Record<string, string>;
      logGroupClass?: LogGroupClass;
      deletionProtectionEnabled?: boolean;
    },
  ): Record<string, never> {
    const name = req.logGroupName;
    const existing = this.record(ctx, name);
    // A derived group exists only in the emulator's view: creating it is what AWS would have needed.
    if (existing && !existing.deleted)
      throw new ServiceError('ResourceAlreadyExistsException', 'The specified log group already exists');
    if (req.kmsKeyId !== undefined) this.checkKey(ctx, name, req.kmsKeyId);
    const tags = mergeTags({}, req.tags ?? {});
    this.save({
      name,
      account: ctx.account,
      region: ctx.region,
      createdAt: this.now(),
      logGroupClass: req.logGroupClass ?? 'STANDARD',
      ...(req.kmsKeyId !== undefined ? { kmsKeyId: req.kmsKeyId } : {}),
      ...(req.deletionProtectionEnabled ? { deletionProtectionEnabled: true } : {}),
      tags,
      streams: {},
    });
    return {};
  }

  /**
   * Deletes a group. As on AWS, a group an application logs to can be deleted: the application keeps
   * running and its log events are dropped until the group (and stream) exist again.
   */
  deleteLogGroup(ctx: CallContext, req: { logGroupName: string }): Record<string, never> {
    const name = req.logGroupName;
    const g = this.requireGroup(ctx, name);
    if (g.record?.deletionProtectionEnabled)
      throw new ServiceError(
        'ValidationException',
        `Log group ${name} has deletion protection enabled; disable it before deleting the log group.`,
      );
    const key = this.storeKey(ctx, name);
    if (this.writtenTo(ctx, name)) this.save({ ...plainGroup(ctx, name, g.createdAt), deleted: true });
    else this.store.logGroups.delete(key);
    return {};
  }

  putRetentionPolicy(ctx: CallContext, req: { logGroupName: string; retentionInDays: number }): Record<string, never> {
    if (!RETENTION_DAYS.includes(req.retentionInDays))
      throw invalid(
        `1 validation error detected: Value '${req.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
      );
    const r = this.adopt(ctx, req.logGroupName);
    if (r.logGroupClass === 'DELIVERY')
      throw invalid('The retention of a log group of the DELIVERY class cannot be changed.');
    r.retentionInDays = req.retentionInDays;
    this.save(r);
    return {};
  }

  deleteRetentionPolicy(ctx: CallContext, req: { logGroupName: string }): Record<string, never> {
    const r = this.adopt(ctx, req.logGroupName);
    delete r.retentionInDays;
    this.save(r);
    return {};
  }

  associateKmsKey(
    ctx: CallContext,
    req: { logGroupName?: string; resourceIdentifier?: string; kmsKeyId: string },
  ): Record<string, never> {
    const name = this.groupOf(req);
    const r = this.adopt(ctx, name);
    this.checkKey(ctx, name, req.kmsKeyId);
    r.kmsKeyId = req.kmsKeyId;
    this.save(r);
    return {};
  }

  disassociateKmsKey(
    ctx: CallContext,
    req: { logGroupName?: string; resourceIdentifier?: string },
  ): Record<string, never> {
    const r = this.adopt(ctx, this.groupOf(req));
    delete r.kmsKeyId;
    this.save(r);
    return {};
  }

  private groupOf(req: { logGroupName?: string; resourceIdentifier?: string }): string {
    if ((req.logGroupName === undefined) === (req.resourceIdentifier === undefined))
      throw invalid('Specify either logGroupName or resourceIdentifier, but not both.');
    if (req.logGroupName !== undefined) return req.logGroupName;
    const id = req.resourceIdentifier!;
    if (!/:log-group:/.test(id)) throw invalid(`The emulator supports KMS keys on log groups only, not on ${id}.`);
    return logGroupNameOf(id);
  }

  /**
   * CloudWatch Logs encrypts with the key only if it exists, is enabled, and its key policy lets the
   * regional logs service principal use it; otherwise the call fails as on AWS.
   */
  private checkKey(ctx: CallContext, group: string, kmsKeyId: string): void {
    const key = this.kms.findKey(ctx, kmsKeyId);
    const principal = `logs.${ctx.region}.amazonaws.com`;
    if (
      !key ||
      key.state !== 'Enabled' ||
      !this.kms.allows(key, principal, 'kms:Encrypt') ||
      !this.kms.allows(key, principal, 'kms:GenerateDataKey')
    )
      throw invalid(
        `The specified KMS key does not exist or is not allowed to be used with Arn '${logGroupArn(ctx, group)}'`,
      );
  }

  // ---- streams --------------------------------------------------------------------------------------

  createLogStream(ctx: CallContext, req: { logGroupName: string; logStreamName: string }): Record<string, never> {
    const g = this.requireGroup(ctx, req.logGroupName);
    const stored = g.record?.streams[req.logStreamName];
    if (stored && !stored.deleted)
      throw new ServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    const r = this.adopt(ctx, req.logGroupName);
    r.streams[req.logStreamName] = { createdAt: this.now() };
    this.save(r);
    return {};
  }

  deleteLogStream(ctx: CallContext, req: { logGroupName: string; logStreamName: string }): Record<string, never> {
    const g = this.requireGroup(ctx, req.logGroupName);
    if (!g.streams.has(req.logStreamName)) throw streamNotFound();
    const r = this.adopt(ctx, req.logGroupName);
    if (this.writtenTo(ctx, req.logGroupName, req.logStreamName))
      r.streams[req.logStreamName] = {
        createdAt: r.streams[req.logStreamName]?.createdAt ?? this.now(),
        deleted: true,
      };
    else delete r.streams[req.logStreamName];
    this.save(r);
    return {};
  }

  // ---- tags -----------------------------------------------------------------------------------------

  listTags(ctx: CallContext, name: string): Record<string, string> {
    return { ...(this.requireGroup(ctx, name).record?.tags ?? {}) };
  }

  tag(ctx: CallContext, name: string, tags: Record<string, string>): void {
    this.requireGroup(ctx, name);
    const merged = mergeTags(this.record(ctx, name)?.tags ?? {}, tags);
    const r = this.adopt(ctx, name);
    r.tags = merged;
    this.save(r);
  }

  untag(ctx: CallContext, name: string, keys: string[]): void {
    const r = this.adopt(ctx, name);
    for (const k of keys) delete r.tags[k];
    this.save(r);
  }

  /** The log group a tagging ARN names (arn:aws:logs:<region>:<account>:log-group:<name>). */
  groupOfArn(ctx: CallContext, resourceArn: string): string {
    const m = /^arn:aws[\w-]*:logs:([^:]+):(\d{12}):log-group:([^:]+)(?::\*)?$/.exec(resourceArn);
    if (!m) {
      if (/^arn:aws[\w-]*:logs:[^:]+:\d{12}:destination:/.test(resourceArn))
        throw notFound(`The emulator has no CloudWatch Logs destinations: ${resourceArn}`);
      throw invalid(`Invalid resource ARN: ${resourceArn}`);
    }
    if (m[1] !== ctx.region || m[2] !== ctx.account) throw groupNotFound();
    return m[3]!;
  }
}

/** Tags after adding `added` (existing keys replaced); aws: keys are reserved, 50 at most. */
function mergeTags(current: Record<string, string>, added: Record<string, string>): Record<string, string> {
  for (const k of Object.keys(added))
    if (k.toLowerCase().startsWith('aws:')) throw invalid(`Tag keys beginning with aws: are reserved: ${k}`);
  const out = { ...current, ...added };
  if (Object.keys(out).length > MAX_LOG_GROUP_TAGS)
    throw new ServiceError(
      'TooManyTagsException',
      `A log group can have at most ${MAX_LOG_GROUP_TAGS} tags; this request would make ${Object.keys(out).length}.`,
    );
  return out;
}

/** A group as a derived one is: standard class, no tags, no streams of its own. */
function plainGroup(ctx: CallContext, name: string, createdAt: number): LogGroupRecord {
  return {
    name,
    account: ctx.account,
    region: ctx.region,
    createdAt,
    logGroupClass: 'STANDARD',
    tags: {},
    streams: {},
  };
}
