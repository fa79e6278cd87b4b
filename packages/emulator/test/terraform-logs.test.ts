/**
 * aws_cloudwatch_log_group and aws_cloudwatch_log_stream as the Terraform AWS provider (5.x) drives them:
 * CreateLogGroup (tags, class, KMS key) and PutRetentionPolicy; reads by DescribeLogGroups with the name
 * as prefix and ListTagsForResource by ARN (or ListTagsLogGroup, older releases); updates by
 * Put/DeleteRetentionPolicy, Associate/DisassociateKmsKey, TagResource/UntagResource; DeleteLogGroup.
 * Streams: CreateLogStream, DescribeLogStreams by prefix, DeleteLogStream. And an application that logs
 * to a stream of a created group: its events are there, for FilterLogEvents, GetLogEvents and Logs
 * Insights, and the group is listed once.
 */
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import * as kms from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awsError,
  credentials,
  eventually,
  ROLE,
  SESSIONIZER_CODE,
  startTestEmulator,
  type TestEmulator,
} from './harness.js';

let t: TestEmulator;
let cw: logs.CloudWatchLogsClient;
const lines: string[] = [];
beforeAll(async () => {
  t = await startTestEmulator({ log: (l) => lines.push(l) });
  cw = new logs.CloudWatchLogsClient({ endpoint: t.emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});
afterAll(async () => {
  cw.destroy();
  await t.close();
});

const ARN = (group: string) => `arn:aws:logs:us-east-1:123456789012:log-group:${group}`;

/** findLogGroupByName: DescribeLogGroups with the name as prefix, paged, first exact match. */
async function findGroup(name: string): Promise<logs.LogGroup | undefined> {
  for await (const page of logs.paginateDescribeLogGroups({ client: cw }, { logGroupNamePrefix: name }))
    for (const g of page.logGroups!) if (g.logGroupName === name) return g;
  return undefined;
}

async function findStream(group: string, name: string): Promise<logs.LogStream | undefined> {
  for await (const page of logs.paginateDescribeLogStreams(
    { client: cw },
    { logGroupName: group, logStreamNamePrefix: name },
  ))
    for (const s of page.logStreams!) if (s.logStreamName === name) return s;
  return undefined;
}

/** A key whose policy lets CloudWatch Logs use it, as AWS requires for an encrypted log group. */
async function logsKey(): Promise<string> {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
      {
        Effect: 'Allow',
        Principal: { Service: 'logs.us-east-1.amazonaws.com' },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
      },
    ],
  });
  return (await t.kms.send(new kms.CreateKeyCommand({ Policy: policy }))).KeyMetadata!.Arn!;
}

describe('aws_cloudwatch_log_group (Terraform provider calls)', () => {
  it('create → read → plan (no change) → update → destroy', async () => {
    const key = await logsKey();
    const name = '/tf/flink/orders';
    await cw.send(
      new logs.CreateLogGroupCommand({
        logGroupName: name,
        logGroupClass: 'STANDARD',
        kmsKeyId: key,
        tags: { team: 'streaming', env: 'dev' },
      }),
    );
    await cw.send(new logs.PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 14 }));
    const g = await findGroup(name);
    expect(g).toMatchObject({
      logGroupName: name,
      arn: `${ARN(name)}:*`,
      logGroupArn: ARN(name),
      retentionInDays: 14,
      kmsKeyId: key,
      logGroupClass: 'STANDARD',
      storedBytes: 0,
    });
    expect(typeof g!.creationTime).toBe('number');
    // Tags by the ARN without :* (what the provider keeps in state), and by name (older releases).
    expect((await cw.send(new logs.ListTagsForResourceCommand({ resourceArn: ARN(name) }))).tags).toEqual({
      team: 'streaming',
      env: 'dev',
    });
    expect((await cw.send(new logs.ListTagsLogGroupCommand({ logGroupName: name }))).tags).toEqual({
      team: 'streaming',
      env: 'dev',
    });
    // terraform plan reads again: the same.
    expect(await findGroup(name)).toEqual(g);

    // Update: retention, KMS key off, tags.
    await cw.send(new logs.PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 30 }));
    await cw.send(new logs.DisassociateKmsKeyCommand({ logGroupName: name }));
    await cw.send(new logs.UntagResourceCommand({ resourceArn: ARN(name), tagKeys: ['env'] }));
    await cw.send(new logs.TagResourceCommand({ resourceArn: ARN(name), tags: { team: 'platform', tier: '1' } }));
    const updated = await findGroup(name);
    expect(updated).toMatchObject({ retentionInDays: 30, creationTime: g!.creationTime });
    expect(updated!.kmsKeyId).toBeUndefined();
    // The ARN with :* is not a tagging ARN: the model refuses it, as AWS does.
    expect((await awsError(cw.send(new logs.ListTagsForResourceCommand({ resourceArn: `${ARN(name)}:*` })))).name).toBe(
      'InvalidParameterException',
    );
    expect((await cw.send(new logs.ListTagsForResourceCommand({ resourceArn: ARN(name) }))).tags).toEqual({
      team: 'platform',
      tier: '1',
    });
    await cw.send(new logs.DeleteRetentionPolicyCommand({ logGroupName: name }));
    await cw.send(new logs.AssociateKmsKeyCommand({ logGroupName: name, kmsKeyId: key }));
    expect(await findGroup(name)).toMatchObject({ kmsKeyId: key });
    expect((await findGroup(name))!.retentionInDays).toBeUndefined();
    // The deprecated API on the same tags.
    await cw.send(new logs.TagLogGroupCommand({ logGroupName: name, tags: { legacy: 'yes' } }));
    await cw.send(new logs.UntagLogGroupCommand({ logGroupName: name, tags: ['tier'] }));
    expect((await cw.send(new logs.ListTagsLogGroupCommand({ logGroupName: name }))).tags).toEqual({
      team: 'platform',
      legacy: 'yes',
    });

    // Destroy; a second destroy finds nothing (the provider treats ResourceNotFound as done).
    await cw.send(new logs.DeleteLogGroupCommand({ logGroupName: name }));
    expect(await findGroup(name)).toBeUndefined();
    expect((await awsError(cw.send(new logs.DeleteLogGroupCommand({ logGroupName: name })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect((await awsError(cw.send(new logs.ListTagsForResourceCommand({ resourceArn: ARN(name) })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('answers the documented errors', async () => {
    await cw.send(new logs.CreateLogGroupCommand({ logGroupName: '/tf/dup' }));
    expect((await awsError(cw.send(new logs.CreateLogGroupCommand({ logGroupName: '/tf/dup' })))).name).toBe(
      'ResourceAlreadyExistsException',
    );
    const retention = await awsError(
      cw.send(new logs.PutRetentionPolicyCommand({ logGroupName: '/tf/dup', retentionInDays: 2 })),
    );
    expect(retention.name).toBe('InvalidParameterException');
    expect(retention.message).toContain('retentionInDays');
    expect(
      (await awsError(cw.send(new logs.PutRetentionPolicyCommand({ logGroupName: '/tf/none', retentionInDays: 1 }))))
        .name,
    ).toBe('ResourceNotFoundException');
    expect(
      (await awsError(cw.send(new logs.TagResourceCommand({ resourceArn: ARN('/tf/dup'), tags: { 'aws:x': '1' } }))))
        .name,
    ).toBe('InvalidParameterException');
    expect((await awsError(cw.send(new logs.CreateLogGroupCommand({ logGroupName: 'bad name!' })))).name).toBe(
      'InvalidParameterException',
    );
    // A key whose policy does not let CloudWatch Logs use it is refused, as on AWS.
    const plain = (await t.kms.send(new kms.CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const refused = await awsError(
      cw.send(new logs.CreateLogGroupCommand({ logGroupName: '/tf/enc', kmsKeyId: plain })),
    );
    expect(refused.name).toBe('InvalidParameterException');
    expect(refused.message).toContain('is not allowed to be used with Arn');
    // The other log classes.
    await cw.send(new logs.CreateLogGroupCommand({ logGroupName: '/tf/ia', logGroupClass: 'INFREQUENT_ACCESS' }));
    expect((await findGroup('/tf/ia'))?.logGroupClass).toBe('INFREQUENT_ACCESS');
    const onlyIa = await cw.send(new logs.DescribeLogGroupsCommand({ logGroupClass: 'INFREQUENT_ACCESS' }));
    expect(onlyIa.logGroups!.map((g) => g.logGroupName)).toEqual(['/tf/ia']);
  });

  it('pages DescribeLogGroups', async () => {
    for (let i = 0; i < 7; i++) await cw.send(new logs.CreateLogGroupCommand({ logGroupName: `/tf/page/${i}` }));
    const first = await cw.send(new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: '/tf/page/', limit: 3 }));
    expect(first.logGroups!.map((g) => g.logGroupName)).toEqual(['/tf/page/0', '/tf/page/1', '/tf/page/2']);
    expect(first.nextToken).toBeDefined();
    const names: string[] = [];
    for await (const page of logs.paginateDescribeLogGroups(
      { client: cw, pageSize: 3 },
      { logGroupNamePrefix: '/tf/page/' },
    ))
      names.push(...page.logGroups!.map((g) => g.logGroupName!));
    expect(names).toHaveLength(7);
    const pattern = await cw.send(new logs.DescribeLogGroupsCommand({ logGroupNamePattern: 'page/4' }));
    expect(pattern.logGroups).toEqual([
      { logGroupName: '/tf/page/4', creationTime: expect.any(Number), arn: `${ARN('/tf/page/4')}:*` },
    ]);
  });
});

describe('aws_cloudwatch_log_stream (Terraform provider calls)', () => {
  it('create → read by prefix → destroy', async () => {
    await cw.send(new logs.CreateLogGroupCommand({ logGroupName: '/tf/streams' }));
    await cw.send(new logs.CreateLogStreamCommand({ logGroupName: '/tf/streams', logStreamName: 'app' }));
    await cw.send(new logs.CreateLogStreamCommand({ logGroupName: '/tf/streams', logStreamName: 'app-2' }));
    expect(await findStream('/tf/streams', 'app')).toMatchObject({
      logStreamName: 'app',
      arn: `${ARN('/tf/streams')}:log-stream:app`,
      storedBytes: 0,
    });
    expect(
      (await awsError(cw.send(new logs.CreateLogStreamCommand({ logGroupName: '/tf/streams', logStreamName: 'app' }))))
        .name,
    ).toBe('ResourceAlreadyExistsException');
    expect(
      (await awsError(cw.send(new logs.CreateLogStreamCommand({ logGroupName: '/tf/nogroup', logStreamName: 'x' }))))
        .name,
    ).toBe('ResourceNotFoundException');
    await cw.send(new logs.DeleteLogStreamCommand({ logGroupName: '/tf/streams', logStreamName: 'app' }));
    expect(await findStream('/tf/streams', 'app')).toBeUndefined();
    expect(await findStream('/tf/streams', 'app-2')).toBeDefined();
    expect(
      (await awsError(cw.send(new logs.DeleteLogStreamCommand({ logGroupName: '/tf/streams', logStreamName: 'app' }))))
        .name,
    ).toBe('ResourceNotFoundException');
  });
});

describe('an application logging to a created log group', () => {
  const group = '/tf/flink/sessionizer';
  const streamArn = `${ARN(group)}:log-stream:app`;

  async function running(name: string, logStream?: string) {
    await t.ka.send(
      new ka.CreateApplicationCommand({
        ApplicationName: name,
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: ROLE,
        ...(logStream ? { CloudWatchLoggingOptions: [{ LogStreamARN: logStream }] } : {}),
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: SESSIONIZER_CODE,
        },
      }),
    );
    await t.ka.send(new ka.StartApplicationCommand({ ApplicationName: name }));
    await eventually(async () => {
      const d = await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: name }));
      expect(d.ApplicationDetail?.ApplicationStatus).toBe('RUNNING');
    });
    await t.admin('/_emulator/clock', { advanceMs: 60_000 });
  }

  it('writes there, and every reader sees it; deleting the group drops the events as on AWS', async () => {
    await cw.send(new logs.CreateLogGroupCommand({ logGroupName: group, tags: { app: 'sessionizer' } }));
    await cw.send(new logs.CreateLogStreamCommand({ logGroupName: group, logStreamName: 'app' }));
    // An empty created group: Insights completes with nothing; the stream has no events yet.
    const empty = await cw.send(
      new logs.StartQueryCommand({
        logGroupName: group,
        startTime: Math.floor(Date.now() / 1000) - 3600,
        endTime: Math.floor(Date.now() / 1000) + 3600,
        queryString: 'fields @message | limit 5',
      }),
    );
    const emptyResult = await eventually(async () => {
      const r = await cw.send(new logs.GetQueryResultsCommand({ queryId: empty.queryId }));
      expect(r.status).toBe('Complete');
      return r;
    });
    expect(emptyResult.results).toEqual([]);

    await running('tf-logger', streamArn);
    // Listed once: the created group is the one the application writes to.
    const listed = await cw.send(new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: '/tf/flink/sessionizer' }));
    expect(listed.logGroups!.map((g) => g.logGroupName)).toEqual([group]);
    expect(listed.logGroups![0]!.logGroupArn).toBe(ARN(group));
    const streams = await cw.send(new logs.DescribeLogStreamsCommand({ logGroupName: group }));
    expect(streams.logStreams!.map((s) => s.logStreamName)).toEqual(['app']);
    expect(streams.logStreams![0]!.lastEventTimestamp).toBeGreaterThan(0);

    const filtered = await cw.send(new logs.FilterLogEventsCommand({ logGroupName: group, filterPattern: 'RUNNING' }));
    expect(filtered.events!.length).toBeGreaterThan(0);
    expect(filtered.events!.every((e) => e.logStreamName === 'app')).toBe(true);
    const got = await cw.send(
      new logs.GetLogEventsCommand({ logGroupIdentifier: ARN(group), logStreamName: 'app', startFromHead: true }),
    );
    expect(got.events!.length).toBeGreaterThan(0);
    expect(JSON.parse(got.events![0]!.message!).applicationARN).toContain('application/tf-logger');

    const nowSec = Math.floor(((await t.admin('/_emulator/clock')) as { now: number }).now / 1000) + 1;
    const q = await cw.send(
      new logs.StartQueryCommand({
        logGroupIdentifiers: [ARN(group)],
        startTime: nowSec - 3600,
        endTime: nowSec,
        queryString: 'stats count(*) as n',
      }),
    );
    const result = await eventually(async () => {
      const r = await cw.send(new logs.GetQueryResultsCommand({ queryId: q.queryId }));
      expect(r.status).toBe('Complete');
      return r;
    });
    expect(Number(result.results![0]!.find((f) => f.field === 'n')!.value)).toBe(
      (await cw.send(new logs.FilterLogEventsCommand({ logGroupName: group }))).events!.length,
    );

    // AWS lets a log group an application writes to be deleted: it is gone, and the events with it.
    await cw.send(new logs.DeleteLogGroupCommand({ logGroupName: group }));
    expect(await findGroup(group)).toBeUndefined();
    expect((await awsError(cw.send(new logs.FilterLogEventsCommand({ logGroupName: group })))).name).toBe(
      'ResourceNotFoundException',
    );
    const app = await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'tf-logger' }));
    expect(app.ApplicationDetail?.ApplicationStatus).toBe('RUNNING');
    // Created again, it shows what the application writes from then on.
    const recreatedAt = ((await t.admin('/_emulator/clock')) as { now: number }).now;
    await cw.send(new logs.CreateLogGroupCommand({ logGroupName: group }));
    await cw.send(new logs.CreateLogStreamCommand({ logGroupName: group, logStreamName: 'app' }));
    expect((await cw.send(new logs.FilterLogEventsCommand({ logGroupName: group }))).events).toEqual([]);
    expect((await cw.send(new logs.ListTagsForResourceCommand({ resourceArn: ARN(group) }))).tags).toEqual({});
    await t.ka.send(new ka.StopApplicationCommand({ ApplicationName: 'tf-logger' }));
    await eventually(async () => {
      const d = await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'tf-logger' }));
      expect(d.ApplicationDetail?.ApplicationStatus).toBe('READY');
    });
    const after = await cw.send(new logs.FilterLogEventsCommand({ logGroupName: group }));
    expect(after.events!.length).toBeGreaterThan(0);
    expect(after.events!.every((e) => e.timestamp! >= recreatedAt)).toBe(true);
  });

  it('lists the default group of an application without a logging option once, created or not', async () => {
    await running('tf-default-logger');
    const name = '/aws/kinesis-analytics/tf-default-logger';
    expect(await findGroup(name)).toMatchObject({ logGroupName: name, logGroupClass: 'STANDARD' });
    const before = (await cw.send(new logs.FilterLogEventsCommand({ logGroupName: name }))).events!.length;
    expect(before).toBeGreaterThan(0);
    // Tagging a derived group keeps its events (it becomes a stored group with its own creation time).
    await cw.send(new logs.TagResourceCommand({ resourceArn: ARN(name), tags: { owner: 'tf' } }));
    expect((await cw.send(new logs.FilterLogEventsCommand({ logGroupName: name }))).events!.length).toBe(before);
    const listed = await cw.send(new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    expect(listed.logGroups).toHaveLength(1);
    expect((await cw.send(new logs.ListTagsLogGroupCommand({ logGroupName: name }))).tags).toEqual({ owner: 'tf' });
  });
});

describe('unknown CloudWatch Logs operations', () => {
  it('name the service and the operation, and are logged', async () => {
    await cw.send(new logs.CreateLogGroupCommand({ logGroupName: '/tf/unknown' }));
    await cw.send(new logs.CreateLogStreamCommand({ logGroupName: '/tf/unknown', logStreamName: 's' }));
    const err = await awsError(
      cw.send(
        new logs.PutLogEventsCommand({
          logGroupName: '/tf/unknown',
          logStreamName: 's',
          logEvents: [{ timestamp: Date.now(), message: 'x' }],
        }),
      ),
    );
    expect(err.name).toBe('UnknownOperationException');
    expect(err.message).toContain('logs');
    expect(err.message).toContain('PutLogEvents');
    expect(lines.some((l) => l.includes('unknown operation') && l.includes('PutLogEvents'))).toBe(true);
  });
});

describe('log groups through the aws CLI', { timeout: 60_000 }, () => {
  it('create-log-group, put-retention-policy, describe-log-groups, list-tags-for-resource', async () => {
    await t.cli(['logs', 'create-log-group', '--log-group-name', '/tf/cli', '--tags', 'team=cli']);
    await t.cli(['logs', 'put-retention-policy', '--log-group-name', '/tf/cli', '--retention-in-days', '7']);
    const described = (await t.cli(['logs', 'describe-log-groups', '--log-group-name-prefix', '/tf/cli'])) as {
      logGroups: { logGroupName: string; retentionInDays: number }[];
    };
    expect(described.logGroups).toEqual([expect.objectContaining({ logGroupName: '/tf/cli', retentionInDays: 7 })]);
    expect(await t.cli(['logs', 'list-tags-for-resource', '--resource-arn', ARN('/tf/cli')])).toEqual({
      tags: { team: 'cli' },
    });
    expect(await t.cliError(['logs', 'create-log-group', '--log-group-name', '/tf/cli'])).toContain(
      'ResourceAlreadyExistsException',
    );
    await t.cli(['logs', 'delete-log-group', '--log-group-name', '/tf/cli']);
  });
});
