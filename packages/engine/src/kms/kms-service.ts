/**
 * The KMS subset the lifecycle touches (TrentService): keys with state, aliases, key policies and
 * rotation. One method per KMS operation, typed with @aws-sdk/client-kms's request and response types.
 */
import type {
  AliasListEntry,
  CancelKeyDeletionRequest,
  CancelKeyDeletionResponse,
  CreateAliasRequest,
  CreateKeyRequest,
  CreateKeyResponse,
  DeleteAliasRequest,
  DescribeKeyRequest,
  DescribeKeyResponse,
  DisableKeyRequest,
  DisableKeyRotationRequest,
  EnableKeyRequest,
  EnableKeyRotationRequest,
  GetKeyPolicyRequest,
  GetKeyPolicyResponse,
  GetKeyRotationStatusRequest,
  GetKeyRotationStatusResponse,
  KeyMetadata,
  ListAliasesRequest,
  ListAliasesResponse,
  ListKeyRotationsRequest,
  ListKeyRotationsResponse,
  ListKeysRequest,
  ListKeysResponse,
  ListResourceTagsRequest,
  ListResourceTagsResponse,
  PutKeyPolicyRequest,
  RotateKeyOnDemandRequest,
  RotateKeyOnDemandResponse,
  ScheduleKeyDeletionRequest,
  ScheduleKeyDeletionResponse,
  Tag,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateAliasRequest,
  UpdateKeyDescriptionRequest,
} from '@aws-sdk/client-kms';
import type { EngineEnv } from '../engine-env.js';
import type { CallContext } from '../service/records.js';
import { ServiceError } from '../util/errors.js';
import type { Random } from '../util/random.js';
import { defaultKeyPolicy, parsePolicy, policyAllows } from './policy.js';
import type { KmsAliasRecord, KmsKeyRecord } from './records.js';

const DAY = 86_400_000;
export const KMS_DELETE_EVENT = 'kms.deleteKey';

const err = (type: string) => (message: string) => new ServiceError(type, message);
export const kmsNotFound = err('NotFoundException');
export const kmsDisabled = err('DisabledException');
export const kmsInvalidState = err('KMSInvalidStateException');
const alreadyExists = err('AlreadyExistsException');
const malformedPolicy = err('MalformedPolicyDocumentException');
const invalidAliasName = err('InvalidAliasNameException');
const validation = err('ValidationException');
const invalidMarker = err('InvalidMarkerException');
const tagError = err('TagException');
const kmsLimitExceeded = err('LimitExceededException');

/** Tags a KMS key can carry (KMS's quota). */
export const MAX_KEY_TAGS = 50;
export const kmsAccessDenied = err('AccessDeniedException');

const keyArn = (region: string, account: string, id: string) => `arn:aws:kms:${region}:${account}:key/${id}`;
const aliasArn = (region: string, account: string, name: string) => `arn:aws:kms:${region}:${account}:${name}`;

export class KmsService {
  constructor(private env: EngineEnv) {}

  private get store() {
    return this.env.store;
  }

  private now(): number {
    return this.env.clock.now();
  }

  // ---- lookup ----------------------------------------------------------------------------------

  /**
   * Resolves a KeyId as KMS does: a key id, key ARN, alias name (alias/x) or alias ARN. Key and alias
   * ARNs may name another account in the same region.
   */
  findKey(ctx: CallContext, keyId: string): KmsKeyRecord | undefined {
    let account = ctx.account;
    let region = ctx.region;
    let id = keyId;
    const arn = /^arn:aws[\w-]*:kms:([^:]+):(\d{12}):(.+)$/.exec(keyId);
    if (arn) {
      region = arn[1]!;
      account = arn[2]!;
      id = arn[3]!;
    }
    if (id.startsWith('key/')) id = id.slice(4);
    if (id.startsWith('alias/')) {
      const alias = this.store.aliases.get(`${account}:${region}:${id}`);
      if (!alias) return undefined;
      id = alias.targetKeyId;
    }
    return this.store.keys.get(`${account}:${region}:${id}`);
  }

  requireKey(ctx: CallContext, keyId: string | undefined): KmsKeyRecord {
    if (!keyId)
      throw validation(
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
      );
    const key = this.findKey(ctx, keyId);
    if (!key) {
      const arn = keyId.startsWith('arn:')
        ? keyId
        : keyId.startsWith('alias/')
          ? aliasArn(ctx.region, ctx.account, keyId)
          : keyArn(ctx.region, ctx.account, keyId);
      throw kmsNotFound(keyId.includes('alias/') ? `Alias ${arn} is not found.` : `Key '${arn}' does not exist`);
    }
    return key;
  }

  /** Whether `principal` may perform `action` on the key, by its key policy. */
  allows(key: KmsKeyRecord, principal: string, action: string): boolean {
    return policyAllows(key.policy, principal, action);
  }

  private authorize(ctx: CallContext, key: KmsKeyRecord, action: string): void {
    if (!this.allows(key, ctx.principal, action))
      throw kmsAccessDenied(
        `User: ${ctx.principal} is not authorized to perform: ${action} on resource: ${key.arn} because no resource-based policy allows the ${action} action`,
      );
  }

  private touch(key: KmsKeyRecord): void {
    this.store.keys.touch(`${key.account}:${key.region}:${key.keyId}`);
  }

  metadata(key: KmsKeyRecord): KeyMetadata {
    return {
      AWSAccountId: key.account,
      KeyId: key.keyId,
      Arn: key.arn,
      CreationDate: new Date(key.createdAt),
      Enabled: key.state === 'Enabled',
      Description: key.description,
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: key.state,
      DeletionDate: key.deletionDate !== undefined ? new Date(key.deletionDate) : undefined,
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: key.multiRegion === true,
      ...(key.multiRegion
        ? {
            MultiRegionConfiguration: {
              MultiRegionKeyType: 'PRIMARY' as const,
              PrimaryKey: { Arn: key.arn, Region: key.region },
              ReplicaKeys: [],
            },
          }
        : {}),
      PendingDeletionWindowInDays: key.state === 'PendingDeletion' ? key.pendingWindowInDays : undefined,
    };
  }

  aliasesOf(key: KmsKeyRecord): KmsAliasRecord[] {
    return [...this.store.aliases.values()].filter(
      (a) => a.account === key.account && a.region === key.region && a.targetKeyId === key.keyId,
    );
  }

  keysIn(account: string, region: string): KmsKeyRecord[] {
    return [...this.store.keys.values()]
      .filter((k) => k.account === account && k.region === region)
      .sort((a, b) => a.createdAt - b.createdAt || (a.keyId < b.keyId ? -1 : 1));
  }

  // ---- operations ------------------------------------------------------------------------------

  createKey(ctx: CallContext, req: CreateKeyRequest): CreateKeyResponse {
    if (req.KeyUsage && req.KeyUsage !== 'ENCRYPT_DECRYPT')
      throw new ServiceError(
        'UnsupportedOperationException',
        `KeyUsage ${req.KeyUsage} is not supported by this emulator.`,
      );
    if (req.KeySpec && req.KeySpec !== 'SYMMETRIC_DEFAULT')
      throw new ServiceError(
        'UnsupportedOperationException',
        `KeySpec ${req.KeySpec} is not supported by this emulator.`,
      );
    if (req.Origin && req.Origin !== 'AWS_KMS')
      throw new ServiceError(
        'UnsupportedOperationException',
        `Origin ${req.Origin} is not supported by this emulator.`,
      );
    if (req.Policy !== undefined && !parsePolicy(req.Policy))
      throw malformedPolicy('The new key policy will not allow you to update the key policy in the future.');
    const tags = mergeTags([], req.Tags ?? []);
    // Multi-Region keys have ids that start with mrk-, as KMS gives them.
    const id = uuid(this.env.random);
    const keyId = req.MultiRegion ? `mrk-${id.replace(/-/g, '')}` : id;
    const key: KmsKeyRecord = {
      keyId,
      arn: keyArn(ctx.region, ctx.account, keyId),
      account: ctx.account,
      region: ctx.region,
      description: req.Description ?? '',
      state: 'Enabled',
      createdAt: this.now(),
      policy: req.Policy ?? defaultKeyPolicy(ctx.account),
      rotationEnabled: false,
      rotations: [],
      tags,
      ...(req.MultiRegion ? { multiRegion: true } : {}),
    };
    this.store.keys.set(`${key.account}:${key.region}:${key.keyId}`, key);
    return { KeyMetadata: this.metadata(key) };
  }

  describeKey(ctx: CallContext, req: DescribeKeyRequest): DescribeKeyResponse {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:DescribeKey');
    return { KeyMetadata: this.metadata(key) };
  }

  listKeys(ctx: CallContext, req: ListKeysRequest): ListKeysResponse {
    const keys = this.keysIn(ctx.account, ctx.region);
    const { page, next } = paginate(keys, req.Limit ?? 100, req.Marker, (k) => k.keyId);
    return {
      Keys: page.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })),
      Truncated: next !== undefined,
      NextMarker: next,
    };
  }

  enableKey(ctx: CallContext, req: EnableKeyRequest): Record<string, never> {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:EnableKey');
    if (key.state === 'PendingDeletion') throw kmsInvalidState(`${key.arn} is pending deletion.`);
    key.state = 'Enabled';
    this.touch(key);
    return {};
  }

  disableKey(ctx: CallContext, req: DisableKeyRequest): Record<string, never> {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:DisableKey');
    if (key.state === 'PendingDeletion') throw kmsInvalidState(`${key.arn} is pending deletion.`);
    key.state = 'Disabled';
    this.touch(key);
    return {};
  }

  scheduleKeyDeletion(ctx: CallContext, req: ScheduleKeyDeletionRequest): ScheduleKeyDeletionResponse {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:ScheduleKeyDeletion');
    if (key.state === 'PendingDeletion') throw kmsInvalidState(`${key.arn} is pending deletion.`);
    const days = req.PendingWindowInDays ?? 30;
    if (days < 7 || days > 30)
      throw validation(
        `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30 and greater than or equal to 7`,
      );
    key.state = 'PendingDeletion';
    key.pendingWindowInDays = days;
    key.deletionDate = this.now() + days * DAY;
    key.deletionEventId = this.env.scheduler.schedule(key.deletionDate, KMS_DELETE_EVENT, {
      key: `${key.account}:${key.region}:${key.keyId}`,
    }).id;
    this.touch(key);
    return {
      KeyId: key.arn,
      DeletionDate: new Date(key.deletionDate),
      KeyState: 'PendingDeletion',
      PendingWindowInDays: days,
    };
  }

  cancelKeyDeletion(ctx: CallContext, req: CancelKeyDeletionRequest): CancelKeyDeletionResponse {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:CancelKeyDeletion');
    if (key.state !== 'PendingDeletion') throw kmsInvalidState(`${key.arn} is not pending deletion.`);
    this.env.scheduler.cancel(key.deletionEventId);
    key.state = 'Disabled';
    key.deletionDate = undefined;
    key.pendingWindowInDays = undefined;
    key.deletionEventId = undefined;
    this.touch(key);
    return { KeyId: key.arn };
  }

  /** Scheduled: the waiting period ended. */
  deleteKeyNow(storeKey: string): void {
    const key = this.store.keys.get(storeKey);
    if (!key || key.state !== 'PendingDeletion') return;
    for (const a of this.aliasesOf(key)) this.store.aliases.delete(`${a.account}:${a.region}:${a.aliasName}`);
    this.store.keys.delete(storeKey);
  }

  createAlias(ctx: CallContext, req: CreateAliasRequest): Record<string, never> {
    const name = req.AliasName ?? '';
    if (!name.startsWith('alias/') || name.length <= 6)
      throw invalidAliasName(
        `Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`,
      );
    if (name.startsWith('alias/aws/'))
      throw new ServiceError('NotAuthorizedException', `Cannot create alias with prefix 'alias/aws/'`);
    const storeKey = `${ctx.account}:${ctx.region}:${name}`;
    if (this.store.aliases.has(storeKey))
      throw alreadyExists(`An alias with the name ${aliasArn(ctx.region, ctx.account, name)} already exists`);
    const key = this.requireKey(ctx, req.TargetKeyId);
    if (key.account !== ctx.account || key.region !== ctx.region) throw kmsNotFound(`Key '${key.arn}' does not exist`);
    if (key.state === 'PendingDeletion') throw kmsInvalidState(`${key.arn} is pending deletion.`);
    this.authorize(ctx, key, 'kms:CreateAlias');
    this.store.aliases.set(storeKey, {
      aliasName: name,
      aliasArn: aliasArn(ctx.region, ctx.account, name),
      targetKeyId: key.keyId,
      account: ctx.account,
      region: ctx.region,
      createdAt: this.now(),
      updatedAt: this.now(),
    });
    return {};
  }

  updateAlias(ctx: CallContext, req: UpdateAliasRequest): Record<string, never> {
    const storeKey = `${ctx.account}:${ctx.region}:${req.AliasName}`;
    const alias = this.store.aliases.get(storeKey);
    if (!alias) throw kmsNotFound(`Alias ${aliasArn(ctx.region, ctx.account, req.AliasName ?? '')} is not found.`);
    const key = this.requireKey(ctx, req.TargetKeyId);
    this.authorize(ctx, key, 'kms:UpdateAlias');
    alias.targetKeyId = key.keyId;
    alias.updatedAt = this.now();
    this.store.aliases.touch(storeKey);
    return {};
  }

  deleteAlias(ctx: CallContext, req: DeleteAliasRequest): Record<string, never> {
    const storeKey = `${ctx.account}:${ctx.region}:${req.AliasName}`;
    if (!this.store.aliases.has(storeKey))
      throw kmsNotFound(`Alias ${aliasArn(ctx.region, ctx.account, req.AliasName ?? '')} is not found.`);
    this.store.aliases.delete(storeKey);
    return {};
  }

  listAliases(ctx: CallContext, req: ListAliasesRequest): ListAliasesResponse {
    let aliases = [...this.store.aliases.values()].filter((a) => a.account === ctx.account && a.region === ctx.region);
    if (req.KeyId) {
      const key = this.requireKey(ctx, req.KeyId);
      aliases = aliases.filter((a) => a.targetKeyId === key.keyId);
    }
    aliases.sort((a, b) => (a.aliasName < b.aliasName ? -1 : 1));
    const { page, next } = paginate(aliases, req.Limit ?? 50, req.Marker, (a) => a.aliasName);
    return {
      Aliases: page.map((a): AliasListEntry => ({
        AliasName: a.aliasName,
        AliasArn: a.aliasArn,
        TargetKeyId: a.targetKeyId,
        CreationDate: new Date(a.createdAt),
        LastUpdatedDate: new Date(a.updatedAt),
      })),
      Truncated: next !== undefined,
      NextMarker: next,
    };
  }

  getKeyPolicy(ctx: CallContext, req: GetKeyPolicyRequest): GetKeyPolicyResponse {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:GetKeyPolicy');
    if (req.PolicyName !== undefined && req.PolicyName !== 'default') throw kmsNotFound(`No such policy exists`);
    return { Policy: key.policy, PolicyName: 'default' };
  }

  putKeyPolicy(ctx: CallContext, req: PutKeyPolicyRequest): Record<string, never> {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:PutKeyPolicy');
    if (req.PolicyName !== undefined && req.PolicyName !== 'default') throw validation(`PolicyName must be 'default'`);
    if (!req.Policy || !parsePolicy(req.Policy))
      throw malformedPolicy('The policy document is not valid JSON or has no valid statements.');
    if (key.state === 'PendingDeletion') throw kmsInvalidState(`${key.arn} is pending deletion.`);
    key.policy = req.Policy;
    this.touch(key);
    return {};
  }

  updateKeyDescription(ctx: CallContext, req: UpdateKeyDescriptionRequest): Record<string, never> {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:UpdateKeyDescription');
    if (key.state === 'PendingDeletion') throw kmsInvalidState(`${key.arn} is pending deletion.`);
    key.description = req.Description ?? '';
    this.touch(key);
    return {};
  }

  // ---- tags ------------------------------------------------------------------------------------

  /** Tags of a key, by key id or key ARN (an alias names no taggable resource). */
  private taggedKey(ctx: CallContext, keyId: string | undefined, action: string): KmsKeyRecord {
    if (keyId !== undefined && /(^|:)alias\//.test(keyId))
      throw new ServiceError('InvalidArnException', `${keyId} is an alias; specify the key ID or key ARN.`);
    const key = this.requireKey(ctx, keyId);
    this.authorize(ctx, key, action);
    return key;
  }

  listResourceTags(ctx: CallContext, req: ListResourceTagsRequest): ListResourceTagsResponse {
    const key = this.taggedKey(ctx, req.KeyId, 'kms:ListResourceTags');
    if (req.Limit !== undefined && req.Limit > 50)
      throw validation(
        `1 validation error detected: Value '${req.Limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50`,
      );
    const { page, next } = paginate(key.tags, req.Limit ?? 50, req.Marker, (t) => t.TagKey);
    return {
      Tags: page.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue })),
      Truncated: next !== undefined,
      NextMarker: next,
    };
  }

  tagResource(ctx: CallContext, req: TagResourceRequest): Record<string, never> {
    const key = this.taggedKey(ctx, req.KeyId, 'kms:TagResource');
    if (key.state === 'PendingDeletion') throw kmsInvalidState(`${key.arn} is pending deletion.`);
    key.tags = mergeTags(key.tags, req.Tags ?? []);
    this.touch(key);
    return {};
  }

  untagResource(ctx: CallContext, req: UntagResourceRequest): Record<string, never> {
    const key = this.taggedKey(ctx, req.KeyId, 'kms:UntagResource');
    if (key.state === 'PendingDeletion') throw kmsInvalidState(`${key.arn} is pending deletion.`);
    for (const k of req.TagKeys ?? [])
      if (k.startsWith('aws:')) throw tagError(`Tag keys beginning with aws: are reserved and cannot be removed: ${k}`);
    const remove = new Set(req.TagKeys ?? []);
    key.tags = key.tags.filter((t) => !remove.has(t.TagKey));
    this.touch(key);
    return {};
  }

  rotateKeyOnDemand(ctx: CallContext, req: RotateKeyOnDemandRequest): RotateKeyOnDemandResponse {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:RotateKeyOnDemand');
    if (key.state === 'Disabled') throw kmsDisabled(`${key.arn} is disabled.`);
    if (key.state === 'PendingDeletion') throw kmsInvalidState(`${key.arn} is pending deletion.`);
    key.rotations.push({ date: this.now(), type: 'ON_DEMAND' });
    this.touch(key);
    return { KeyId: key.keyId };
  }

  enableKeyRotation(ctx: CallContext, req: EnableKeyRotationRequest): Record<string, never> {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:EnableKeyRotation');
    if (key.state === 'Disabled') throw kmsDisabled(`${key.arn} is disabled.`);
    if (key.state === 'PendingDeletion') throw kmsInvalidState(`${key.arn} is pending deletion.`);
    const days = req.RotationPeriodInDays ?? 365;
    if (days < 90 || days > 2560) throw validation(`RotationPeriodInDays must be between 90 and 2560.`);
    key.rotationEnabled = true;
    key.rotationPeriodInDays = days;
    this.touch(key);
    return {};
  }

  disableKeyRotation(ctx: CallContext, req: DisableKeyRotationRequest): Record<string, never> {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:DisableKeyRotation');
    if (key.state === 'Disabled') throw kmsDisabled(`${key.arn} is disabled.`);
    key.rotationEnabled = false;
    key.rotationPeriodInDays = undefined;
    this.touch(key);
    return {};
  }

  getKeyRotationStatus(ctx: CallContext, req: GetKeyRotationStatusRequest): GetKeyRotationStatusResponse {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:GetKeyRotationStatus');
    const lastOnDemand = [...key.rotations].reverse().find((r) => r.type === 'ON_DEMAND');
    const since = Math.max(key.createdAt, ...key.rotations.map((r) => r.date));
    return {
      KeyId: key.arn,
      KeyRotationEnabled: key.rotationEnabled,
      RotationPeriodInDays: key.rotationPeriodInDays,
      NextRotationDate:
        key.rotationEnabled && key.rotationPeriodInDays ? new Date(since + key.rotationPeriodInDays * DAY) : undefined,
      OnDemandRotationStartDate: lastOnDemand ? new Date(lastOnDemand.date) : undefined,
    };
  }

  listKeyRotations(ctx: CallContext, req: ListKeyRotationsRequest): ListKeyRotationsResponse {
    const key = this.requireKey(ctx, req.KeyId);
    this.authorize(ctx, key, 'kms:ListKeyRotations');
    const rotations = key.rotations.map((r, i) => ({ ...r, i }));
    const { page, next } = paginate(rotations, req.Limit ?? 100, req.Marker, (r) => String(r.i));
    return {
      Rotations: page.map((r) => ({ KeyId: key.keyId, RotationDate: new Date(r.date), RotationType: r.type })),
      Truncated: next !== undefined,
      NextMarker: next,
    };
  }
}

/**
 * A key's tags after adding `added`: an existing key's value is replaced, new keys keep their order. A key
 * repeated in one request or beginning with aws: is a TagException; more than 50 tags, LimitExceeded.
 */
function mergeTags(current: KmsKeyRecord['tags'], added: Tag[]): KmsKeyRecord['tags'] {
  const seen = new Set<string>();
  for (const t of added) {
    const k = t.TagKey ?? '';
    if (k.startsWith('aws:')) throw tagError(`Tag keys beginning with aws: are reserved: ${k}`);
    if (seen.has(k)) throw tagError(`Duplicate tag key ${k} in the request.`);
    seen.add(k);
  }
  const out = current.map((t) => ({ ...t }));
  for (const t of added) {
    const existing = out.find((o) => o.TagKey === t.TagKey);
    if (existing) existing.TagValue = t.TagValue ?? '';
    else out.push({ TagKey: t.TagKey!, TagValue: t.TagValue ?? '' });
  }
  if (out.length > MAX_KEY_TAGS)
    throw kmsLimitExceeded(`A KMS key can have at most ${MAX_KEY_TAGS} tags; this request would make ${out.length}.`);
  return out;
}

function uuid(random: Random): string {
  const h = random.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Marker-based pagination: the marker is the id of the first row of the next page. */
function paginate<T>(rows: T[], limit: number, marker: string | undefined, id: (row: T) => string) {
  let start = 0;
  if (marker !== undefined) {
    start = rows.findIndex((r) => id(r) === marker);
    if (start < 0) throw invalidMarker(`Invalid marker: ${marker}`);
  }
  const page = rows.slice(start, start + limit);
  const nextRow = rows[start + limit];
  return { page, next: nextRow !== undefined ? id(nextRow) : undefined };
}
