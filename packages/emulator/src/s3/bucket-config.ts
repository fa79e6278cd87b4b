/**
 * Bucket subresources (`?cors`, `?policy`, `?tagging`, ...): what an infrastructure tool reads back after it
 * creates a bucket (Terraform's aws_s3_bucket reads them all on every plan). A configuration that was put
 * is stored as it was sent and returned as it is; one that never was answers S3's "not configured" error
 * (404 with S3's code) or, where S3 has a default, the default S3 gives every new bucket today: SSE-S3
 * encryption, BucketOwnerEnforced ownership, a public access block with every setting on, no
 * acceleration, requester-pays off, no logging, no notifications.
 */
import type { BucketRecord } from '@mfc/engine';
import type { WireResponse } from '../protocol/json-rpc.js';
import { readPayload } from './payload.js';
import { empty, header, ownerXml, requireBucket, xmlOk, type S3Call } from './s3-call.js';
import { invalidArgument, malformedXml, methodNotAllowed, S3Error } from './s3-errors.js';
import { elementText, elementTexts, escapeXml, hasRoot, S3_NAMESPACE, xmlDocument } from './xml.js';

interface Subresource {
  /** Root element of the configuration document. */
  root: string;
  /** The configuration a bucket has before any was put (or after a delete that restores it). */
  default?: () => string;
  /** The error when there is none: [code, message]. */
  missing?: [string, string];
  /** Whether DELETE exists for it, and whether it restores the default or removes the configuration. */
  remove?: 'default' | 'none';
}

const doc = (root: string, inner = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`;

export const SUBRESOURCES: Record<string, Subresource> = {
  cors: {
    root: 'CORSConfiguration',
    missing: ['NoSuchCORSConfiguration', 'The CORS configuration does not exist'],
    remove: 'none',
  },
  website: {
    root: 'WebsiteConfiguration',
    missing: ['NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration'],
    remove: 'none',
  },
  lifecycle: {
    root: 'LifecycleConfiguration',
    missing: ['NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'],
    remove: 'none',
  },
  replication: {
    root: 'ReplicationConfiguration',
    missing: ['ReplicationConfigurationNotFoundError', 'The replication configuration was not found'],
    remove: 'none',
  },
  'object-lock': {
    root: 'ObjectLockConfiguration',
    missing: ['ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket'],
  },
  encryption: {
    root: 'ServerSideEncryptionConfiguration',
    default: () =>
      doc(
        'ServerSideEncryptionConfiguration',
        '<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule>',
      ),
    remove: 'default',
  },
  logging: { root: 'BucketLoggingStatus', default: () => doc('BucketLoggingStatus') },
  accelerate: { root: 'AccelerateConfiguration', default: () => doc('AccelerateConfiguration') },
  requestPayment: {
    root: 'RequestPaymentConfiguration',
    default: () => doc('RequestPaymentConfiguration', '<Payer>BucketOwner</Payer>'),
  },
  ownershipControls: {
    root: 'OwnershipControls',
    default: () => doc('OwnershipControls', '<Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule>'),
    missing: ['OwnershipControlsNotFoundError', 'The bucket ownership controls were not found'],
    remove: 'none',
  },
  publicAccessBlock: {
    root: 'PublicAccessBlockConfiguration',
    default: () =>
      doc(
        'PublicAccessBlockConfiguration',
        '<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>',
      ),
    missing: ['NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found'],
    remove: 'none',
  },
  notification: { root: 'NotificationConfiguration', default: () => doc('NotificationConfiguration') },
};

/** Subresources of a bucket this module answers (besides location and versioning). */
export const BUCKET_SUBRESOURCES = [...Object.keys(SUBRESOURCES), 'acl', 'policy', 'policyStatus', 'tagging'];

/** Marks a configuration deleted where a default would otherwise apply (ownership controls, access block). */
const DELETED = '';

const notFoundError = (call: S3Call, [code, message]: [string, string]) =>
  new S3Error(404, code, message, { BucketName: call.bucket });

function changed(call: S3Call, bucket: BucketRecord): void {
  call.engine.artifacts.touchBucket(bucket.name);
}

function body(call: S3Call): string {
  return readPayload(call.req, call.body).data.toString('utf8');
}

export function getConfig(call: S3Call, name: string): WireResponse {
  const bucket = requireBucket(call);
  const sub = SUBRESOURCES[name]!;
  const stored = bucket.config?.[name];
  if (stored !== undefined && stored !== DELETED) return xmlOk(stored);
  if (stored === undefined && sub.default) return xmlOk(sub.default());
  throw notFoundError(call, sub.missing ?? ['NoSuchConfiguration', `The ${name} configuration does not exist`]);
}

export function putConfig(call: S3Call, name: string): WireResponse {
  const bucket = requireBucket(call);
  const sub = SUBRESOURCES[name]!;
  const xml = body(call).trim();
  if (!hasRoot(xml, sub.root)) throw malformedXml();
  if (name === 'ownershipControls') {
    const ownership = elementText(xml, 'ObjectOwnership')?.trim();
    if (!['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'].includes(ownership ?? ''))
      throw malformedXml();
  }
  if (name === 'encryption') {
    const alg = elementText(xml, 'SSEAlgorithm')?.trim();
    if (!['AES256', 'aws:kms', 'aws:kms:dsse'].includes(alg ?? ''))
      throw invalidArgument('The encryption method specified is not supported', 'SSEAlgorithm', alg ?? '');
  }
  (bucket.config ??= {})[name] = xml;
  changed(call, bucket);
  return empty(200);
}

export function deleteConfig(call: S3Call, name: string): WireResponse {
  const bucket = requireBucket(call);
  const sub = SUBRESOURCES[name]!;
  if (!sub.remove) throw methodNotAllowed('DELETE', 'BUCKET', 'GET, PUT');
  bucket.config ??= {};
  if (sub.remove === 'default' || !sub.default) delete bucket.config[name];
  else bucket.config[name] = DELETED;
  changed(call, bucket);
  return empty(204);
}

/** The bucket's default encryption: algorithm, KMS key and bucket key, from its configuration. */
export function defaultEncryption(bucket: BucketRecord): { algorithm: string; kmsKeyId?: string; bucketKey?: boolean } {
  const xml = bucket.config?.encryption;
  if (!xml) return { algorithm: 'AES256' };
  const algorithm = elementText(xml, 'SSEAlgorithm')?.trim() ?? 'AES256';
  const kmsKeyId = elementText(xml, 'KMSMasterKeyID')?.trim() || undefined;
  return { algorithm, kmsKeyId, bucketKey: elementText(xml, 'BucketKeyEnabled')?.trim() === 'true' };
}

/** Whether ACLs are disabled (BucketOwnerEnforced, the default for new buckets). */
export function aclsDisabled(bucket: BucketRecord): boolean {
  const xml = bucket.config?.ownershipControls;
  if (xml === undefined) return true;
  return elementText(xml, 'ObjectOwnership')?.trim() === 'BucketOwnerEnforced';
}

// ---- ACLs ------------------------------------------------------------------------------------------

export const CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'log-delivery-write',
  'bucket-owner-read',
  'bucket-owner-full-control',
];

const GROUPS = {
  all: 'http://acs.amazonaws.com/groups/global/AllUsers',
  authenticated: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  logDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};

/** The grants a canned ACL stands for, after the owner's FULL_CONTROL. */
function cannedGrants(acl: string): [string, string][] {
  switch (acl) {
    case 'public-read':
      return [[GROUPS.all, 'READ']];
    case 'public-read-write':
      return [
        [GROUPS.all, 'READ'],
        [GROUPS.all, 'WRITE'],
      ];
    case 'authenticated-read':
      return [[GROUPS.authenticated, 'READ']];
    case 'log-delivery-write':
      return [
        [GROUPS.logDelivery, 'WRITE'],
        [GROUPS.logDelivery, 'READ_ACP'],
      ];
    default:
      return [];
  }
}

/** An AccessControlPolicy document for a canned ACL (grantees carry xsi:type, which xmlDocument cannot write). */
export function aclDocument(account: string, acl: string): string {
  const owner = ownerXml(account);
  const id = escapeXml(String(owner[0]![1]));
  const display = escapeXml(String(owner[1]![1]));
  const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
  const grants = [
    `<Grant><Grantee ${xsi} xsi:type="CanonicalUser"><ID>${id}</ID><DisplayName>${display}</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>`,
    ...cannedGrants(acl).map(
      ([uri, permission]) =>
        `<Grant><Grantee ${xsi} xsi:type="Group"><URI>${uri}</URI></Grantee><Permission>${permission}</Permission></Grant>`,
    ),
  ];
  return doc(
    'AccessControlPolicy',
    `<Owner><ID>${id}</ID><DisplayName>${display}</DisplayName></Owner><AccessControlList>${grants.join('')}</AccessControlList>`,
  );
}

/** A canned ACL from the x-amz-acl header, validated; undefined when there is none. */
export function cannedAcl(call: S3Call): string | undefined {
  const acl = header(call, 'x-amz-acl');
  if (acl === undefined) return undefined;
  if (!CANNED_ACLS.includes(acl)) throw invalidArgument(`Invalid canned ACL`, 'x-amz-acl', acl);
  return acl;
}

/** Refuses a public ACL while the bucket's ownership controls disable ACLs, as S3 does. */
export function checkAclAllowed(bucket: BucketRecord, acl: string | undefined, hasGrants: boolean): void {
  if (!aclsDisabled(bucket)) return;
  if (hasGrants || (acl !== undefined && acl !== 'private' && acl !== 'bucket-owner-full-control'))
    throw new S3Error(400, 'AccessControlListNotSupported', 'The bucket does not allow ACLs');
}

export function getBucketAcl(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  const stored = bucket.config?.acl;
  return xmlOk(stored || aclDocument(bucket.account, bucket.acl ?? 'private'));
}

export function putBucketAcl(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  const acl = cannedAcl(call);
  const xml = body(call).trim();
  const grantHeaders = Object.keys(call.req.headers).some((h) => h.startsWith('x-amz-grant-'));
  if (xml !== '' && !hasRoot(xml, 'AccessControlPolicy')) throw malformedXml();
  if (acl === undefined && xml === '' && !grantHeaders)
    throw new S3Error(400, 'MissingSecurityHeader', 'Your request was missing a required header', {
      MissingHeaderName: 'x-amz-acl',
    });
  const grants = xml !== '' ? elementTexts(xml, 'Grant') : [];
  const ownerOnly = grants.length <= 1 && grants.every((g) => elementText(g, 'Permission')?.trim() === 'FULL_CONTROL');
  checkAclAllowed(bucket, acl, grantHeaders || !ownerOnly);
  bucket.config ??= {};
  if (xml !== '') bucket.config.acl = xml;
  else {
    delete bucket.config.acl;
    bucket.acl = acl ?? 'private';
  }
  changed(call, bucket);
  return empty(200);
}

// ---- policy ----------------------------------------------------------------------------------------

const noPolicy = (call: S3Call) =>
  new S3Error(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: call.bucket });

export function getBucketPolicy(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  if (bucket.policy === undefined) throw noPolicy(call);
  // Returned exactly as it was put.
  return { status: 200, headers: { 'content-type': 'application/json' }, body: bucket.policy };
}

export function putBucketPolicy(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  const text = body(call);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const statements = (parsed as { Statement?: unknown } | undefined)?.Statement;
  if (!text.trimStart().startsWith('{') || typeof parsed !== 'object' || parsed === null)
    throw new S3Error(400, 'MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'");
  if (statements === undefined || (Array.isArray(statements) && statements.length === 0))
    throw new S3Error(400, 'MalformedPolicy', 'Missing required field Statement');
  bucket.policy = text;
  changed(call, bucket);
  return empty(204);
}

export function deleteBucketPolicy(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  delete bucket.policy;
  changed(call, bucket);
  return empty(204);
}

/** Public: an Allow statement for every principal without a condition. */
export function getBucketPolicyStatus(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  if (bucket.policy === undefined) throw noPolicy(call);
  const statements = ([] as unknown[]).concat((JSON.parse(bucket.policy) as { Statement?: unknown }).Statement ?? []);
  const isPublic = statements.some((s) => {
    const st = s as { Effect?: string; Principal?: unknown; Condition?: unknown };
    const p = st.Principal;
    const everyone =
      p === '*' ||
      (typeof p === 'object' &&
        p !== null &&
        ([] as unknown[]).concat((p as { AWS?: unknown }).AWS ?? []).includes('*'));
    return st.Effect === 'Allow' && everyone && st.Condition === undefined;
  });
  return xmlOk(xmlDocument('PolicyStatus', [['IsPublic', isPublic]]));
}

// ---- tags ------------------------------------------------------------------------------------------

/** Tags of a `<Tagging><TagSet><Tag>…` document, checked as S3 checks them. */
export function parseTagging(xml: string, limit: number, what: 'Bucket' | 'Object'): [string, string][] {
  if (!hasRoot(xml.trim(), 'Tagging')) throw malformedXml();
  const tags = elementTexts(xml, 'Tag').map((t): [string, string] => {
    const key = elementText(t, 'Key');
    if (key === undefined) throw malformedXml();
    return [key, elementText(t, 'Value') ?? ''];
  });
  checkTags(tags, limit, what);
  return tags;
}

/** Tags of an `x-amz-tagging` header (URL query encoding). */
export function parseTaggingHeader(value: string): [string, string][] {
  const tags = [...new URLSearchParams(value).entries()];
  checkTags(tags, 10, 'Object');
  return tags;
}

function checkTags(tags: [string, string][], limit: number, what: 'Bucket' | 'Object'): void {
  const seen = new Set<string>();
  for (const [k, v] of tags) {
    if (k.startsWith('aws:')) throw new S3Error(400, 'InvalidTag', 'System tags cannot be added/updated by requester');
    if (seen.has(k))
      throw new S3Error(400, 'InvalidTag', 'Cannot provide multiple Tags with the same key', { TagKey: k });
    if ([...k].length === 0 || [...k].length > 128)
      throw new S3Error(400, 'InvalidTag', 'The TagKey you have provided is invalid', { TagKey: k });
    if ([...v].length > 256)
      throw new S3Error(400, 'InvalidTag', 'The TagValue you have provided is too long, max 256', {
        TagKey: k,
        TagValue: v,
      });
    seen.add(k);
  }
  if (tags.length > limit)
    throw new S3Error(
      400,
      what === 'Bucket' ? 'InvalidTag' : 'BadRequest',
      `${what} tags cannot be greater than ${limit}`,
    );
}

export function taggingDocument(tags: [string, string][]): string {
  return xmlDocument('Tagging', [
    [
      'TagSet',
      tags.map(([k, v]) => [
        'Tag',
        [
          ['Key', k],
          ['Value', v],
        ],
      ]),
    ],
  ]);
}

export function getBucketTagging(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  if (!bucket.tags || bucket.tags.length === 0)
    throw new S3Error(404, 'NoSuchTagSet', 'The TagSet does not exist', { BucketName: call.bucket });
  return xmlOk(taggingDocument(bucket.tags));
}

export function putBucketTagging(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  bucket.tags = parseTagging(body(call), 50, 'Bucket');
  changed(call, bucket);
  return empty(204);
}

export function deleteBucketTagging(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  delete bucket.tags;
  changed(call, bucket);
  return empty(204);
}
