/**
 * What Terraform creates outlives the emulator: log groups and streams (retention, class, key, tags), key
 * tags, descriptions and policies, bucket tags, policies and configurations, object metadata and tags
 * survive a restart on the same data directory, including a data directory written by the first release,
 * which had none of them, whose applications stay as they were.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import * as kms from '@aws-sdk/client-kms';
import * as s3 from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { LIFECYCLE_FILE } from '../src/persistence/state-store.js';
import { credentials, startTestEmulator, tempDir, type TestEmulator } from './harness.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/release-1-data-dir/emulator.sqlite', import.meta.url));
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const clientsOf = (t: TestEmulator) => ({
  logs: new logs.CloudWatchLogsClient({ endpoint: t.emu.url, region: 'us-east-1', credentials, maxAttempts: 1 }),
  s3: new s3.S3Client({ endpoint: t.emu.url, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 }),
});

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
    {
      Effect: 'Allow',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
    },
  ],
});

/** Creates one of each, then returns everything a Terraform refresh would read about them. */
async function createAll(t: TestEmulator): Promise<string> {
  const c = clientsOf(t);
  const key = (
    await t.kms.send(
      new kms.CreateKeyCommand({
        Description: 'tf',
        Policy: POLICY,
        Tags: [{ TagKey: 'team', TagValue: 'streaming' }],
      }),
    )
  ).KeyMetadata!;
  await t.kms.send(new kms.EnableKeyRotationCommand({ KeyId: key.KeyId, RotationPeriodInDays: 120 }));
  await c.logs.send(
    new logs.CreateLogGroupCommand({
      logGroupName: '/tf/kept',
      kmsKeyId: key.Arn,
      logGroupClass: 'INFREQUENT_ACCESS',
      tags: { team: 'streaming' },
    }),
  );
  await c.logs.send(new logs.PutRetentionPolicyCommand({ logGroupName: '/tf/kept', retentionInDays: 90 }));
  await c.logs.send(new logs.CreateLogStreamCommand({ logGroupName: '/tf/kept', logStreamName: 'app' }));
  await c.s3.send(new s3.CreateBucketCommand({ Bucket: 'tf-kept' }));
  await c.s3.send(
    new s3.PutBucketTaggingCommand({ Bucket: 'tf-kept', Tagging: { TagSet: [{ Key: 'team', Value: 'streaming' }] } }),
  );
  await c.s3.send(
    new s3.PutBucketPolicyCommand({
      Bucket: 'tf-kept',
      Policy:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::tf-kept"}]}',
    }),
  );
  await c.s3.send(
    new s3.PutBucketVersioningCommand({ Bucket: 'tf-kept', VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await c.s3.send(
    new s3.PutObjectCommand({
      Bucket: 'tf-kept',
      Key: 'job.jar',
      Body: '{}',
      Metadata: { build: '7' },
      Tagging: 'release=7',
      CacheControl: 'max-age=60',
    }),
  );
  c.logs.destroy();
  c.s3.destroy();
  return key.KeyId!;
}

async function readAll(t: TestEmulator, keyId: string) {
  const c = clientsOf(t);
  const group = (await c.logs.send(new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: '/tf/kept' }))).logGroups;
  const streams = (await c.logs.send(new logs.DescribeLogStreamsCommand({ logGroupName: '/tf/kept' }))).logStreams;
  const groupTags = (
    await c.logs.send(
      new logs.ListTagsForResourceCommand({ resourceArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/tf/kept' }),
    )
  ).tags;
  const keyMeta = (await t.kms.send(new kms.DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
  const keyPolicy = (await t.kms.send(new kms.GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy;
  const rotation = await t.kms.send(new kms.GetKeyRotationStatusCommand({ KeyId: keyId }));
  const keyTags = (await t.kms.send(new kms.ListResourceTagsCommand({ KeyId: keyId }))).Tags;
  const bucketTags = (await c.s3.send(new s3.GetBucketTaggingCommand({ Bucket: 'tf-kept' }))).TagSet;
  const bucketPolicy = (await c.s3.send(new s3.GetBucketPolicyCommand({ Bucket: 'tf-kept' }))).Policy;
  const head = await c.s3.send(new s3.HeadObjectCommand({ Bucket: 'tf-kept', Key: 'job.jar' }));
  const objectTags = (await c.s3.send(new s3.GetObjectTaggingCommand({ Bucket: 'tf-kept', Key: 'job.jar' }))).TagSet;
  c.logs.destroy();
  c.s3.destroy();
  return {
    group,
    streams,
    groupTags,
    key: {
      description: keyMeta?.Description,
      policy: keyPolicy,
      rotation: rotation.RotationPeriodInDays,
      tags: keyTags,
    },
    bucketTags,
    bucketPolicy,
    object: { metadata: head.Metadata, cache: head.CacheControl, version: head.VersionId, tags: objectTags },
  };
}

describe('Terraform-managed state across a restart', () => {
  it('is kept on a new data directory', async () => {
    const tmp = tempDir();
    dirs.push(tmp);
    const a = await startTestEmulator({ inMemory: false, dataDir: tmp.dir });
    const keyId = await createAll(a);
    const before = await readAll(a, keyId);
    expect(before.group).toEqual([
      expect.objectContaining({ logGroupName: '/tf/kept', retentionInDays: 90, logGroupClass: 'INFREQUENT_ACCESS' }),
    ]);
    expect(before.key).toEqual({
      description: 'tf',
      policy: POLICY,
      rotation: 120,
      tags: [{ TagKey: 'team', TagValue: 'streaming' }],
    });
    await a.close();

    const b = await startTestEmulator({ inMemory: false, dataDir: tmp.dir });
    expect(await readAll(b, keyId)).toEqual(before);
    await b.close();
  });

  it('is kept on a data directory written by the first release, whose applications stay', async () => {
    const tmp = tempDir();
    dirs.push(tmp);
    copyFileSync(FIXTURE, join(tmp.dir, LIFECYCLE_FILE));
    const a = await startTestEmulator({ inMemory: false, dataDir: tmp.dir, speed: 0 });
    const apps = (await a.ka.send(new ka.ListApplicationsCommand({}))).ApplicationSummaries!.map(
      (s) => s.ApplicationName,
    );
    expect(apps).toHaveLength(6);
    // The first release's applications log to derived groups; a created one joins them.
    const keyId = await createAll(a);
    const before = await readAll(a, keyId);
    const c = clientsOf(a);
    const groups = (await c.logs.send(new logs.DescribeLogGroupsCommand({}))).logGroups!.map((g) => g.logGroupName);
    expect(groups).toContain('/tf/kept');
    expect(groups.filter((g) => g!.startsWith('/aws/kinesis-analytics/'))).toHaveLength(6);
    c.logs.destroy();
    c.s3.destroy();
    await a.close();

    const b = await startTestEmulator({ inMemory: false, dataDir: tmp.dir, speed: 0 });
    expect(await readAll(b, keyId)).toEqual(before);
    expect(
      (await b.ka.send(new ka.ListApplicationsCommand({}))).ApplicationSummaries!.map((s) => s.ApplicationName),
    ).toEqual(apps);
    await b.close();
  });
});
