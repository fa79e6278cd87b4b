/**
 * aws_s3_bucket and aws_s3_object as the Terraform AWS provider (5.x) drives them. A bucket's read calls
 * HeadBucket, then GetBucketPolicy, -Acl, -Cors, -Website, -Versioning, -AccelerateConfiguration,
 * -RequestPayment, -Logging, -LifecycleConfiguration, -Replication, -Encryption, GetObjectLockConfiguration,
 * the bucket's region (HeadBucket's x-amz-bucket-region) and GetBucketTagging, on every plan: each must
 * answer its configuration or S3's documented "not configured" error. An object: PutObject with its
 * metadata headers and x-amz-tagging, HeadObject and GetObjectTagging to read, ListObjectVersions and
 * DeleteObject by version to destroy. Through @aws-sdk/client-s3 and the `aws` CLI.
 */
import * as s3 from '@aws-sdk/client-s3';
import * as kms from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, credentials, startTestEmulator, type TestEmulator } from './harness.js';

let t: TestEmulator;
let c: s3.S3Client;
const lines: string[] = [];
beforeAll(async () => {
  t = await startTestEmulator({ log: (l) => lines.push(l) });
  c = new s3.S3Client({ endpoint: t.emu.url, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
});
afterAll(async () => {
  c.destroy();
  await t.close();
});

/** Every page of ListObjectVersions, following NextKeyMarker / NextVersionIdMarker as the Go SDK's paginator does. */
async function versionPages(Bucket: string, MaxKeys?: number): Promise<s3.ListObjectVersionsCommandOutput[]> {
  const pages: s3.ListObjectVersionsCommandOutput[] = [];
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  for (;;) {
    const page = await c.send(new s3.ListObjectVersionsCommand({ Bucket, MaxKeys, KeyMarker, VersionIdMarker }));
    pages.push(page);
    if (!page.IsTruncated) return pages;
    KeyMarker = page.NextKeyMarker;
    VersionIdMarker = page.NextVersionIdMarker;
  }
}

/** resourceBucketRead, call for call; "not configured" errors become undefined (as the provider does). */
async function readBucket(Bucket: string) {
  const optional = async <T>(p: Promise<T>, code: string): Promise<T | undefined> => {
    try {
      return await p;
    } catch (e) {
      const err = e as { name: string; $metadata?: { httpStatusCode?: number } };
      if (err.name !== code) throw e;
      expect(err.$metadata?.httpStatusCode).toBe(404);
      return undefined;
    }
  };
  const head = await c.send(new s3.HeadBucketCommand({ Bucket }));
  const policy = await optional(c.send(new s3.GetBucketPolicyCommand({ Bucket })), 'NoSuchBucketPolicy');
  const acl = await c.send(new s3.GetBucketAclCommand({ Bucket }));
  const cors = await optional(c.send(new s3.GetBucketCorsCommand({ Bucket })), 'NoSuchCORSConfiguration');
  const website = await optional(c.send(new s3.GetBucketWebsiteCommand({ Bucket })), 'NoSuchWebsiteConfiguration');
  const versioning = await c.send(new s3.GetBucketVersioningCommand({ Bucket }));
  const accelerate = await c.send(new s3.GetBucketAccelerateConfigurationCommand({ Bucket }));
  const payment = await c.send(new s3.GetBucketRequestPaymentCommand({ Bucket }));
  const logging = await c.send(new s3.GetBucketLoggingCommand({ Bucket }));
  const lifecycle = await optional(
    c.send(new s3.GetBucketLifecycleConfigurationCommand({ Bucket })),
    'NoSuchLifecycleConfiguration',
  );
  const replication = await optional(
    c.send(new s3.GetBucketReplicationCommand({ Bucket })),
    'ReplicationConfigurationNotFoundError',
  );
  const encryption = await c.send(new s3.GetBucketEncryptionCommand({ Bucket }));
  const lock = await optional(
    c.send(new s3.GetObjectLockConfigurationCommand({ Bucket })),
    'ObjectLockConfigurationNotFoundError',
  );
  const location = await c.send(new s3.GetBucketLocationCommand({ Bucket }));
  const tags = await optional(c.send(new s3.GetBucketTaggingCommand({ Bucket })), 'NoSuchTagSet');
  return {
    region: head.BucketRegion,
    policy: policy?.Policy,
    grants: acl.Grants?.map(
      (g) => `${g.Grantee?.Type}:${g.Grantee?.URI ?? g.Grantee?.ID?.slice(0, 8)}:${g.Permission}`,
    ),
    cors: cors?.CORSRules,
    website: website?.IndexDocument?.Suffix,
    versioning: versioning.Status,
    acceleration: accelerate.Status,
    payer: payment.Payer,
    logging: logging.LoggingEnabled,
    lifecycle: lifecycle?.Rules?.map((r) => r.ID),
    replication: replication?.ReplicationConfiguration?.Role,
    sse: encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault,
    objectLock: lock?.ObjectLockConfiguration?.ObjectLockEnabled,
    location: location.LocationConstraint ?? '',
    tags: Object.fromEntries((tags?.TagSet ?? []).map((x) => [x.Key, x.Value])),
  };
}

describe('aws_s3_bucket (Terraform provider calls)', () => {
  it('create → read (every subresource) → plan (no change) → update → destroy', async () => {
    await c.send(new s3.CreateBucketCommand({ Bucket: 'tf-code', ACL: 'private' }));
    const fresh = await readBucket('tf-code');
    const owner = fresh.grants![0]!.split(':')[1];
    expect(fresh).toEqual({
      region: 'us-east-1',
      policy: undefined,
      grants: [`CanonicalUser:${owner}:FULL_CONTROL`],
      cors: undefined,
      website: undefined,
      versioning: 'Enabled',
      acceleration: undefined,
      payer: 'BucketOwner',
      logging: undefined,
      lifecycle: undefined,
      replication: undefined,
      // S3 encrypts every new bucket with SSE-S3 by default.
      sse: { SSEAlgorithm: 'AES256' },
      objectLock: undefined,
      location: '',
      tags: {},
    });
    expect(await readBucket('tf-code')).toEqual(fresh);
    const ownership = await c.send(new s3.GetBucketOwnershipControlsCommand({ Bucket: 'tf-code' }));
    expect(ownership.OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe('BucketOwnerEnforced');
    const pab = await c.send(new s3.GetPublicAccessBlockCommand({ Bucket: 'tf-code' }));
    expect(pab.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });

    // Update: tags, a policy (returned exactly as put), encryption with a KMS key, CORS, lifecycle.
    await c.send(
      new s3.PutBucketTaggingCommand({
        Bucket: 'tf-code',
        Tagging: {
          TagSet: [
            { Key: 'team', Value: 'streaming' },
            { Key: 'env', Value: 'dev' },
          ],
        },
      }),
    );
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'FlinkReads',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:role/flink-app' },
          Action: 's3:GetObject*',
          Resource: 'arn:aws:s3:::tf-code/*',
        },
      ],
    });
    await c.send(new s3.PutBucketPolicyCommand({ Bucket: 'tf-code', Policy: policy }));
    const key = (await t.kms.send(new kms.CreateKeyCommand({}))).KeyMetadata!;
    await c.send(
      new s3.PutBucketEncryptionCommand({
        Bucket: 'tf-code',
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.Arn },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
    await c.send(
      new s3.PutBucketCorsCommand({
        Bucket: 'tf-code',
        CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAgeSeconds: 300 }] },
      }),
    );
    await c.send(
      new s3.PutBucketLifecycleConfigurationCommand({
        Bucket: 'tf-code',
        LifecycleConfiguration: {
          Rules: [{ ID: 'old-jars', Status: 'Enabled', Filter: { Prefix: 'old/' }, Expiration: { Days: 30 } }],
        },
      }),
    );
    const updated = await readBucket('tf-code');
    expect(updated).toMatchObject({
      policy,
      tags: { team: 'streaming', env: 'dev' },
      sse: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.Arn },
      cors: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAgeSeconds: 300 }],
      lifecycle: ['old-jars'],
    });
    expect((await c.send(new s3.GetBucketPolicyStatusCommand({ Bucket: 'tf-code' }))).PolicyStatus?.IsPublic).toBe(
      false,
    );
    // Objects take the bucket's default encryption.
    const put = await c.send(new s3.PutObjectCommand({ Bucket: 'tf-code', Key: 'enc.jar', Body: 'x' }));
    expect(put.ServerSideEncryption).toBe('aws:kms');
    expect(put.SSEKMSKeyId).toBe(key.Arn);
    expect(put.BucketKeyEnabled).toBe(true);

    // Removing them again.
    await c.send(new s3.DeleteBucketTaggingCommand({ Bucket: 'tf-code' }));
    await c.send(new s3.DeleteBucketPolicyCommand({ Bucket: 'tf-code' }));
    await c.send(new s3.DeleteBucketEncryptionCommand({ Bucket: 'tf-code' }));
    await c.send(new s3.DeleteBucketCorsCommand({ Bucket: 'tf-code' }));
    await c.send(new s3.DeleteBucketLifecycleCommand({ Bucket: 'tf-code' }));
    expect(await readBucket('tf-code')).toEqual(fresh);

    // Destroy: a bucket with objects is refused; force_destroy empties it by versions first.
    const notEmpty = await awsError(c.send(new s3.DeleteBucketCommand({ Bucket: 'tf-code' })));
    expect(notEmpty).toMatchObject({ name: 'BucketNotEmpty', status: 409 });
    for (const page of await versionPages('tf-code'))
      if (page.Versions?.length)
        await c.send(
          new s3.DeleteObjectsCommand({
            Bucket: 'tf-code',
            Delete: { Objects: page.Versions.map((v) => ({ Key: v.Key, VersionId: v.VersionId })) },
          }),
        );
    await c.send(new s3.DeleteBucketCommand({ Bucket: 'tf-code' }));
    const gone = await awsError(c.send(new s3.HeadBucketCommand({ Bucket: 'tf-code' })));
    expect(gone.status).toBe(404);
  });

  it('stores what is put for the other subresources, and answers the "not configured" errors in S3 XML', async () => {
    await c.send(new s3.CreateBucketCommand({ Bucket: 'tf-subresources' }));
    const raw = await fetch(`${t.emu.url}/tf-subresources?website`, {
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
      },
    });
    expect(raw.status).toBe(404);
    const text = await raw.text();
    expect(text).toContain('<Code>NoSuchWebsiteConfiguration</Code>');
    expect(text).toContain('<BucketName>tf-subresources</BucketName>');

    await c.send(
      new s3.PutBucketWebsiteCommand({
        Bucket: 'tf-subresources',
        WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } },
      }),
    );
    expect((await c.send(new s3.GetBucketWebsiteCommand({ Bucket: 'tf-subresources' }))).IndexDocument?.Suffix).toBe(
      'index.html',
    );
    await c.send(
      new s3.PutBucketAccelerateConfigurationCommand({
        Bucket: 'tf-subresources',
        AccelerateConfiguration: { Status: 'Enabled' },
      }),
    );
    expect((await c.send(new s3.GetBucketAccelerateConfigurationCommand({ Bucket: 'tf-subresources' }))).Status).toBe(
      'Enabled',
    );
    await c.send(
      new s3.PutBucketRequestPaymentCommand({
        Bucket: 'tf-subresources',
        RequestPaymentConfiguration: { Payer: 'Requester' },
      }),
    );
    expect((await c.send(new s3.GetBucketRequestPaymentCommand({ Bucket: 'tf-subresources' }))).Payer).toBe(
      'Requester',
    );
    await c.send(
      new s3.PutBucketLoggingCommand({
        Bucket: 'tf-subresources',
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'tf-subresources', TargetPrefix: 'logs/' } },
      }),
    );
    expect((await c.send(new s3.GetBucketLoggingCommand({ Bucket: 'tf-subresources' }))).LoggingEnabled).toEqual({
      TargetBucket: 'tf-subresources',
      TargetPrefix: 'logs/',
    });
    await c.send(
      new s3.PutBucketOwnershipControlsCommand({
        Bucket: 'tf-subresources',
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      }),
    );
    // ACLs are allowed once ownership is not BucketOwnerEnforced.
    await c.send(new s3.PutBucketAclCommand({ Bucket: 'tf-subresources', ACL: 'public-read' }));
    const acl = await c.send(new s3.GetBucketAclCommand({ Bucket: 'tf-subresources' }));
    expect(acl.Grants?.map((g) => g.Permission)).toEqual(['FULL_CONTROL', 'READ']);
    expect(acl.Grants?.[1]?.Grantee).toMatchObject({
      Type: 'Group',
      URI: 'http://acs.amazonaws.com/groups/global/AllUsers',
    });
    await c.send(new s3.DeleteBucketOwnershipControlsCommand({ Bucket: 'tf-subresources' }));
    expect((await awsError(c.send(new s3.GetBucketOwnershipControlsCommand({ Bucket: 'tf-subresources' })))).name).toBe(
      'OwnershipControlsNotFoundError',
    );
    await c.send(new s3.DeletePublicAccessBlockCommand({ Bucket: 'tf-subresources' }));
    expect((await awsError(c.send(new s3.GetPublicAccessBlockCommand({ Bucket: 'tf-subresources' })))).name).toBe(
      'NoSuchPublicAccessBlockConfiguration',
    );
    await c.send(
      new s3.PutPublicAccessBlockCommand({
        Bucket: 'tf-subresources',
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: false,
          IgnorePublicAcls: false,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    expect(
      (await c.send(new s3.GetPublicAccessBlockCommand({ Bucket: 'tf-subresources' }))).PublicAccessBlockConfiguration
        ?.BlockPublicAcls,
    ).toBe(false);

    // Refusals S3 makes.
    await c.send(new s3.CreateBucketCommand({ Bucket: 'tf-enforced' }));
    expect(
      (await awsError(c.send(new s3.PutBucketAclCommand({ Bucket: 'tf-enforced', ACL: 'public-read' })))).name,
    ).toBe('AccessControlListNotSupported');
    expect(
      (await awsError(c.send(new s3.PutBucketPolicyCommand({ Bucket: 'tf-enforced', Policy: 'not json' })))).name,
    ).toBe('MalformedPolicy');
    expect(
      (
        await awsError(
          c.send(
            new s3.PutBucketTaggingCommand({
              Bucket: 'tf-enforced',
              Tagging: { TagSet: [{ Key: 'aws:x', Value: '1' }] },
            }),
          ),
        )
      ).name,
    ).toBe('InvalidTag');
    expect((await awsError(c.send(new s3.GetBucketPolicyStatusCommand({ Bucket: 'tf-enforced' })))).name).toBe(
      'NoSuchBucketPolicy',
    );
    expect((await awsError(c.send(new s3.GetBucketTaggingCommand({ Bucket: 'no-such-bucket-here' })))).name).toBe(
      'NoSuchBucket',
    );
    // A bucket created with Object Lock has its configuration.
    await c.send(new s3.CreateBucketCommand({ Bucket: 'tf-locked', ObjectLockEnabledForBucket: true }));
    expect(
      (await c.send(new s3.GetObjectLockConfigurationCommand({ Bucket: 'tf-locked' }))).ObjectLockConfiguration
        ?.ObjectLockEnabled,
    ).toBe('Enabled');
  });

  it('answers an unimplemented subresource with NotImplemented naming it, and logs it', async () => {
    await c.send(new s3.CreateBucketCommand({ Bucket: 'tf-unimplemented' }));
    const err = await awsError(c.send(new s3.ListBucketInventoryConfigurationsCommand({ Bucket: 'tf-unimplemented' })));
    expect(err).toMatchObject({ name: 'NotImplemented', status: 501 });
    expect(err.message).toContain('BucketInventoryConfiguration');
    expect(lines.some((l) => l.startsWith('unknown operation: s3 GET bucket?inventory'))).toBe(true);
  });
});

describe('aws_s3_object (Terraform provider calls)', () => {
  it('upload → read (HeadObject, tags) → update → destroy by versions', async () => {
    await c.send(new s3.CreateBucketCommand({ Bucket: 'tf-objects' }));
    const key = (await t.kms.send(new kms.CreateKeyCommand({}))).KeyMetadata!;
    // resourceObjectUpload: PutObject with the resource's arguments as headers.
    const put = await c.send(
      new s3.PutObjectCommand({
        Bucket: 'tf-objects',
        Key: 'jobs/sessionizer-1.0.0.jar',
        Body: '{"mfcManifest":1}',
        ContentType: 'application/java-archive',
        CacheControl: 'no-cache',
        ContentDisposition: 'attachment; filename="sessionizer.jar"',
        ContentEncoding: 'identity',
        ContentLanguage: 'en',
        Metadata: { build: '42', commit: 'abc123' },
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: key.Arn,
        StorageClass: 'STANDARD_IA',
        WebsiteRedirectLocation: '/other',
        Tagging: 'team=streaming&release=1.0.0',
      }),
    );
    expect(put.VersionId).toBeDefined();
    // resourceObjectRead.
    const head = await c.send(new s3.HeadObjectCommand({ Bucket: 'tf-objects', Key: 'jobs/sessionizer-1.0.0.jar' }));
    expect(head).toMatchObject({
      ContentType: 'application/java-archive',
      CacheControl: 'no-cache',
      ContentDisposition: 'attachment; filename="sessionizer.jar"',
      ContentEncoding: 'identity',
      ContentLanguage: 'en',
      Metadata: { build: '42', commit: 'abc123' },
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: key.Arn,
      StorageClass: 'STANDARD_IA',
      WebsiteRedirectLocation: '/other',
      VersionId: put.VersionId,
      TagCount: 2,
    });
    const tags = await c.send(
      new s3.GetObjectTaggingCommand({ Bucket: 'tf-objects', Key: 'jobs/sessionizer-1.0.0.jar' }),
    );
    expect(tags.TagSet).toEqual([
      { Key: 'team', Value: 'streaming' },
      { Key: 'release', Value: '1.0.0' },
    ]);
    // A plain object: STANDARD is not named, SSE-S3.
    await c.send(new s3.PutObjectCommand({ Bucket: 'tf-objects', Key: 'plain.txt', Body: 'x' }));
    const plain = await c.send(new s3.HeadObjectCommand({ Bucket: 'tf-objects', Key: 'plain.txt' }));
    expect(plain.StorageClass).toBeUndefined();
    expect(plain.ServerSideEncryption).toBe('AES256');
    expect(plain.TagCount).toBeUndefined();

    // Update of tags only: PutObjectTagging (no new version); of content: a new upload (new version).
    await c.send(
      new s3.PutObjectTaggingCommand({
        Bucket: 'tf-objects',
        Key: 'jobs/sessionizer-1.0.0.jar',
        Tagging: { TagSet: [{ Key: 'team', Value: 'platform' }] },
      }),
    );
    expect(
      (await c.send(new s3.GetObjectTaggingCommand({ Bucket: 'tf-objects', Key: 'jobs/sessionizer-1.0.0.jar' })))
        .TagSet,
    ).toEqual([{ Key: 'team', Value: 'platform' }]);
    const put2 = await c.send(
      new s3.PutObjectCommand({
        Bucket: 'tf-objects',
        Key: 'jobs/sessionizer-1.0.0.jar',
        Body: '{"mfcManifest":1,"v":2}',
      }),
    );
    expect(put2.VersionId).not.toBe(put.VersionId);
    // The older version keeps its tags.
    expect(
      (
        await c.send(
          new s3.GetObjectTaggingCommand({
            Bucket: 'tf-objects',
            Key: 'jobs/sessionizer-1.0.0.jar',
            VersionId: put.VersionId,
          }),
        )
      ).TagSet,
    ).toEqual([{ Key: 'team', Value: 'platform' }]);
    await c.send(
      new s3.DeleteObjectTaggingCommand({
        Bucket: 'tf-objects',
        Key: 'jobs/sessionizer-1.0.0.jar',
        VersionId: put.VersionId,
      }),
    );
    expect(
      (
        await c.send(
          new s3.GetObjectTaggingCommand({
            Bucket: 'tf-objects',
            Key: 'jobs/sessionizer-1.0.0.jar',
            VersionId: put.VersionId,
          }),
        )
      ).TagSet,
    ).toEqual([]);

    // resourceObjectDelete with a version_id: every version of the key, by ListObjectVersions.
    const versions = await c.send(
      new s3.ListObjectVersionsCommand({ Bucket: 'tf-objects', Prefix: 'jobs/sessionizer-1.0.0.jar' }),
    );
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [put2.VersionId, true],
      [put.VersionId, false],
    ]);
    expect(versions.Versions?.[1]?.StorageClass).toBe('STANDARD_IA');
    for (const v of versions.Versions!)
      await c.send(new s3.DeleteObjectCommand({ Bucket: 'tf-objects', Key: v.Key, VersionId: v.VersionId }));
    expect(
      (await awsError(c.send(new s3.HeadObjectCommand({ Bucket: 'tf-objects', Key: 'jobs/sessionizer-1.0.0.jar' }))))
        .status,
    ).toBe(404);
    expect(
      (await c.send(new s3.ListObjectVersionsCommand({ Bucket: 'tf-objects', Prefix: 'jobs/' }))).Versions ?? [],
    ).toEqual([]);
  });

  it('pages ListObjectVersions with key and version markers', async () => {
    await c.send(new s3.CreateBucketCommand({ Bucket: 'tf-versions' }));
    for (const k of ['a', 'b', 'c'])
      for (let i = 0; i < 3; i++)
        await c.send(new s3.PutObjectCommand({ Bucket: 'tf-versions', Key: k, Body: `${k}${i}` }));
    const pages = await versionPages('tf-versions', 2);
    expect(pages).toHaveLength(5);
    const seen = pages.flatMap((p) => p.Versions!.map((v) => `${v.Key}:${v.IsLatest}`));
    expect(seen).toEqual([
      'a:true',
      'a:false',
      'a:false',
      'b:true',
      'b:false',
      'b:false',
      'c:true',
      'c:false',
      'c:false',
    ]);
  });

  it('refuses a KMS key the emulator does not have, and object tags beyond 10', async () => {
    await c.send(new s3.CreateBucketCommand({ Bucket: 'tf-refusals' }));
    const noKey = await awsError(
      c.send(
        new s3.PutObjectCommand({
          Bucket: 'tf-refusals',
          Key: 'k',
          Body: 'x',
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000',
        }),
      ),
    );
    expect(noKey.name).toBe('KMS.NotFoundException');
    const many = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&');
    expect(
      (await awsError(c.send(new s3.PutObjectCommand({ Bucket: 'tf-refusals', Key: 'k', Body: 'x', Tagging: many }))))
        .name,
    ).toBe('BadRequest');
  });
});

describe('bucket configuration through the aws CLI', { timeout: 60_000 }, () => {
  it('s3api get-bucket-encryption, put/get-bucket-tagging, get-bucket-policy', async () => {
    await t.cli(['s3api', 'create-bucket', '--bucket', 'tf-cli']);
    expect(await t.cli(['s3api', 'get-bucket-encryption', '--bucket', 'tf-cli'])).toEqual({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
      },
    });
    await t.cli(['s3api', 'put-bucket-tagging', '--bucket', 'tf-cli', '--tagging', 'TagSet=[{Key=team,Value=cli}]']);
    expect(await t.cli(['s3api', 'get-bucket-tagging', '--bucket', 'tf-cli'])).toEqual({
      TagSet: [{ Key: 'team', Value: 'cli' }],
    });
    expect(await t.cliError(['s3api', 'get-bucket-policy', '--bucket', 'tf-cli'])).toContain('NoSuchBucketPolicy');
  });
});
