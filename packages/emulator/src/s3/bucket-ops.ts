/** Bucket operations: CreateBucket, HeadBucket, DeleteBucket, ListBuckets, GetBucketLocation, versioning. */
import type { WireResponse } from '../protocol/json-rpc.js';
import { lastModifiedIso, parseMaxKeys } from './list-objects.js';
import { readPayload } from './payload.js';
import { cannedAcl } from './bucket-config.js';
import { empty, header, ownerXml, requireBucket, xmlOk, type S3Call } from './s3-call.js';
import { invalidArgument, malformedXml, notImplemented, S3Error } from './s3-errors.js';
import { elementText, hasRoot, xmlDocument } from './xml.js';

/** S3's general purpose bucket naming rules. */
function bucketNameProblem(name: string): boolean {
  return (
    !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) ||
    name.includes('..') ||
    /^\d+\.\d+\.\d+\.\d+$/.test(name) ||
    /^(xn--|sthree-|amzn-s3-demo-)/.test(name) ||
    /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)
  );
}

export function createBucket(call: S3Call): WireResponse {
  const { bucket: name, ctx } = call;
  if (bucketNameProblem(name))
    throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
  const { data } = readPayload(call.req, call.body);
  let constraint: string | undefined;
  if (data.length > 0) {
    const xml = data.toString('utf8');
    if (!hasRoot(xml, 'CreateBucketConfiguration')) throw malformedXml();
    constraint = elementText(xml, 'LocationConstraint')?.trim() || undefined;
  }
  // us-east-1 is the region without a constraint: naming it is refused, as S3 does.
  if (constraint === 'us-east-1')
    throw new S3Error(400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid', {
      LocationConstraint: constraint,
    });
  if (constraint === 'EU') constraint = 'eu-west-1';
  // Leniency: a request without a constraint makes the bucket in the region it was signed for.
  const region = constraint ?? ctx.region;
  if (constraint && constraint !== ctx.region)
    throw new S3Error(
      400,
      'IllegalLocationConstraintException',
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  const existing = call.engine.artifacts.bucket(name);
  if (existing) {
    if (existing.account !== ctx.account)
      throw new S3Error(
        409,
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        { BucketName: name },
      );
    // S3 keeps a legacy quirk: re-creating your own bucket in us-east-1 succeeds.
    if (!(existing.region === 'us-east-1' && region === 'us-east-1'))
      throw new S3Error(
        409,
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        {
          BucketName: name,
        },
      );
  } else {
    const acl = cannedAcl(call);
    const ownership = header(call, 'x-amz-object-ownership');
    if (ownership !== undefined && !['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'].includes(ownership))
      throw invalidArgument('Invalid x-amz-object-ownership header', 'x-amz-object-ownership', ownership);
    const config: Record<string, string> = {};
    if (ownership)
      config.ownershipControls = `<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>${ownership}</ObjectOwnership></Rule></OwnershipControls>`;
    if (header(call, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true')
      config['object-lock'] =
        '<ObjectLockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>';
    const grants = Object.keys(call.req.headers).some((h) => h.startsWith('x-amz-grant-'));
    // A new bucket's ownership is BucketOwnerEnforced unless the request says otherwise: no public ACLs.
    if (
      (ownership ?? 'BucketOwnerEnforced') === 'BucketOwnerEnforced' &&
      (grants || (acl && acl !== 'private' && acl !== 'bucket-owner-full-control'))
    )
      throw new S3Error(
        400,
        'InvalidBucketAclWithObjectOwnership',
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
      );
    const bucket = call.engine.artifacts.createBucket(name, ctx.account, region);
    if (acl && acl !== 'private') bucket.acl = acl;
    if (Object.keys(config).length > 0) bucket.config = config;
    if (bucket.acl || bucket.config) call.engine.artifacts.touchBucket(name);
  }
  return empty(200, { location: `/${name}` });
}

export function headBucket(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  return empty(200, { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' });
}

export function deleteBucket(call: S3Call): WireResponse {
  requireBucket(call);
  if (call.engine.artifacts.list(call.bucket).length > 0)
    throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', {
      BucketName: call.bucket,
    });
  call.engine.artifacts.deleteBucket(call.bucket);
  return empty(204);
}

/** The caller's account's buckets, by name, with the optional prefix, region filter and paging. */
export function listBuckets(call: S3Call): WireResponse {
  const q = call.query;
  const prefix = q.get('prefix') ?? '';
  const region = q.get('bucket-region');
  const max = parseMaxKeys(q.get('max-buckets'), 'max-buckets', 10_000) || 10_000;
  const token = q.get('continuation-token');
  const after = token ? Buffer.from(token, 'base64').toString('utf8') : '';
  const all = call.engine.artifacts
    .buckets()
    .filter(
      (b) =>
        b.account === call.ctx.account &&
        b.name.startsWith(prefix) &&
        (!region || b.region === region) &&
        b.name > after,
    )
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = all.slice(0, max);
  const next = all.length > page.length ? Buffer.from(page.at(-1)!.name, 'utf8').toString('base64') : undefined;
  return xmlOk(
    xmlDocument('ListAllMyBucketsResult', [
      ['Owner', ownerXml(call.ctx.account)],
      [
        'Buckets',
        page.map((b) => [
          'Bucket',
          [
            ['Name', b.name],
            ['CreationDate', lastModifiedIso(b.createdAt)],
            ['BucketRegion', b.region],
          ],
        ]),
      ],
      ['ContinuationToken', next],
      ['Prefix', q.get('prefix') ?? undefined],
    ]),
  );
}

export function getBucketLocation(call: S3Call): WireResponse {
  const bucket = requireBucket(call);
  // us-east-1 is reported as the empty constraint.
  return xmlOk(xmlDocument('LocationConstraint', bucket.region === 'us-east-1' ? '' : bucket.region));
}

/** Objects always keep their versions here, so versioning is Enabled and cannot be suspended. */
export function getBucketVersioning(call: S3Call): WireResponse {
  requireBucket(call);
  return xmlOk(xmlDocument('VersioningConfiguration', [['Status', 'Enabled']]));
}

export function putBucketVersioning(call: S3Call): WireResponse {
  requireBucket(call);
  const xml = readPayload(call.req, call.body).data.toString('utf8');
  if (!hasRoot(xml, 'VersioningConfiguration')) throw malformedXml();
  const status = elementText(xml, 'Status')?.trim();
  if (status === 'Suspended') throw notImplemented('VersioningConfiguration.Status=Suspended');
  if (status !== undefined && status !== 'Enabled')
    throw invalidArgument('Invalid versioning status', 'Status', status);
  return empty(200);
}
