/**
 * The Terraform CLI with the hashicorp/aws provider (5.x) against the emulator, as a team rehearses a change
 * to its Managed Flink code: apply a Flink application with its execution role, customer managed key, log
 * group and code bucket; plan with no drift (also after the emulator restarts on its data directory); update
 * in place (parallelism and code key: one new application version); start and stop through
 * `start_application`; take a snapshot; import an application created with the aws CLI; destroy and find
 * nothing left. Every call the provider made must have been emulated: the emulator's log names any it did not.
 *
 * Needs `terraform` (or MFC_TERRAFORM) and a provider mirror folder holding registry.terraform.io/hashicorp/aws
 * 5.x (MFC_TF_PROVIDER_MIRROR, default /opt/tf-plugins); without them the suite is skipped and says why.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import * as iam from '@aws-sdk/client-iam';
import * as kms from '@aws-sdk/client-kms';
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import * as s3 from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, eventually, startTestEmulator, tempDir, type TestEmulator } from './harness.js';
import { cliConfig, missing, runTerraform, terraformEnv } from './terraform.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/terraform/', import.meta.url));
const skipped = missing;
if (skipped) console.warn(`terraform-cli.test.ts skipped: ${skipped}`);

interface Run {
  code: number;
  out: string;
}

const APP_ARN = 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/orders';
const LEGACY_ARN = 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/legacy';

describe.skipIf(skipped)(`terraform apply / plan / import / destroy${skipped ? ` (skipped: ${skipped})` : ''}`, () => {
  let data: ReturnType<typeof tempDir>;
  let work: ReturnType<typeof tempDir>;
  const logLines: string[] = [];
  let t: TestEmulator;
  const start = async () => {
    t = await startTestEmulator({ inMemory: false, dataDir: data.dir, log: (l) => logLines.push(l) });
  };
  const clients = () => {
    const config = { endpoint: t.emu.url, region: 'us-east-1', credentials, maxAttempts: 1 };
    return {
      iam: new iam.IAMClient(config),
      logs: new logs.CloudWatchLogsClient(config),
      s3: new s3.S3Client({ ...config, forcePathStyle: true }),
    };
  };

  /** One terraform command in a fixture's copy; never throws on a non-zero exit (plan's 2 means changes). */
  const tf = (root: string, args: string[], vars: Record<string, string> = {}): Promise<Run> => {
    const env: NodeJS.ProcessEnv = {
      ...terraformEnv(join(work.dir, 'cli.tfrc')),
      TF_VAR_endpoint: t.emu.url,
      // For the local-exec that attaches the key with the aws CLI.
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    };
    for (const [k, v] of Object.entries(vars)) env[`TF_VAR_${k}`] = v;
    return runTerraform(join(work.dir, root), args, env);
  };
  const ok = async (root: string, args: string[], vars?: Record<string, string>) => {
    const r = await tf(root, args, vars);
    if (r.code !== 0) throw new Error(`terraform ${args.join(' ')} exited ${r.code}:\n${r.out}`);
    return r.out;
  };
  /** `plan -detailed-exitcode`: 0 is no changes, 2 is a diff (printed, so a failure shows the drift). */
  const planCode = async (root: string, vars?: Record<string, string>) => {
    const r = await tf(root, ['plan', '-detailed-exitcode', '-input=false'], vars);
    if (r.code !== 0) console.error(r.out);
    return r.code;
  };
  const describeApp = async (name: string) =>
    (await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!;
  const updated = { parallelism: '4', code_key: 'jobs/orders-1.1.0.jar' };

  beforeAll(async () => {
    data = tempDir();
    work = tempDir();
    cpSync(FIXTURES, work.dir, { recursive: true });
    writeFileSync(join(work.dir, 'cli.tfrc'), cliConfig);
    await start();
    await ok('flink', ['init', '-input=false']);
    await ok('import', ['init', '-input=false']);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    data?.remove();
    work?.remove();
  });

  it(
    'applies the application with its role, key, log group and code, as the provider configured it',
    { timeout: 600_000 },
    async () => {
      const out = await ok('flink', ['apply', '-auto-approve', '-input=false']);
      expect(out).toMatch(/Apply complete! Resources: 13 added, 0 changed, 0 destroyed/);
      expect(out).toMatch(/account = "123456789012"/);

      const app = await describeApp('orders');
      expect(app.ApplicationARN).toBe(APP_ARN);
      expect(app.ApplicationStatus).toBe('READY');
      expect(app.RuntimeEnvironment).toBe('FLINK-1_20');
      expect(app.ServiceExecutionRole).toBe('arn:aws:iam::123456789012:role/orders-flink');
      // Created at version 1; the key attached by the CLI is version 2.
      expect(app.ApplicationVersionId).toBe(2);
      const cfg = app.ApplicationConfigurationDescription!;
      const key = await t.kms.send(new kms.DescribeKeyCommand({ KeyId: 'alias/orders-state' }));
      expect(cfg.ApplicationEncryptionConfigurationDescription).toEqual({
        KeyType: 'CUSTOMER_MANAGED_KEY',
        KeyId: key.KeyMetadata!.Arn,
      });
      expect(cfg.FlinkApplicationConfigurationDescription!.ParallelismConfigurationDescription).toMatchObject({
        ConfigurationType: 'CUSTOM',
        Parallelism: 2,
        ParallelismPerKPU: 1,
        AutoScalingEnabled: false,
      });
      expect(cfg.FlinkApplicationConfigurationDescription!.CheckpointConfigurationDescription).toMatchObject({
        ConfigurationType: 'CUSTOM',
        CheckpointInterval: 30000,
        MinPauseBetweenCheckpoints: 5000,
      });
      expect(cfg.FlinkApplicationConfigurationDescription!.MonitoringConfigurationDescription).toMatchObject({
        ConfigurationType: 'CUSTOM',
        LogLevel: 'INFO',
        MetricsLevel: 'TASK',
      });
      expect(cfg.EnvironmentPropertyDescriptions!.PropertyGroupDescriptions).toEqual([
        {
          PropertyGroupId: 'ConsumerConfigProperties',
          PropertyMap: { 'flink.stream.initpos': 'LATEST', 'aws.region': 'us-east-1' },
        },
      ]);
      // subnet_ids and security_group_ids are sets: the provider sends them in its own order.
      const vpc = cfg.VpcConfigurationDescriptions![0]!;
      expect([vpc.SecurityGroupIds, [...vpc.SubnetIds!].sort()]).toEqual([
        ['sg-0123456789abcdef0'],
        ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
      ]);
      expect(app.CloudWatchLoggingOptionDescriptions![0]!.LogStreamARN).toBe(
        'arn:aws:logs:us-east-1:123456789012:log-group:/aws/kinesis-analytics/orders:log-stream:kinesis-analytics-log-stream',
      );
      const tags = await t.ka.send(new ka.ListTagsForResourceCommand({ ResourceARN: APP_ARN }));
      expect(tags.Tags).toEqual([{ Key: 'team', Value: 'data' }]);

      expect(
        (await t.kms.send(new kms.GetKeyRotationStatusCommand({ KeyId: key.KeyMetadata!.KeyId }))).KeyRotationEnabled,
      ).toBe(true);
      const c = clients();
      const role = await c.iam.send(new iam.GetRoleCommand({ RoleName: 'orders-flink' }));
      expect(JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!))).toMatchObject({
        Statement: [{ Principal: { Service: 'kinesisanalytics.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
      const inline = await c.iam.send(new iam.ListRolePoliciesCommand({ RoleName: 'orders-flink' }));
      expect(inline.PolicyNames).toEqual(['code-logs-key']);
      const attached = await c.iam.send(new iam.ListAttachedRolePoliciesCommand({ RoleName: 'orders-flink' }));
      expect(attached.AttachedPolicies!.map((p) => p.PolicyArn).sort()).toEqual([
        'arn:aws:iam::123456789012:policy/mfc/orders-flink-metrics',
        'arn:aws:iam::aws:policy/AmazonVPCReadOnlyAccess',
      ]);
      const groups = await c.logs.send(
        new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/kinesis-analytics/orders' }),
      );
      expect(groups.logGroups!.map((g) => [g.logGroupName, g.retentionInDays])).toEqual([
        ['/aws/kinesis-analytics/orders', 14],
      ]);
      const jar = await c.s3.send(
        new s3.HeadObjectCommand({ Bucket: 'orders-flink-code', Key: 'jobs/orders-1.0.0.jar' }),
      );
      expect(jar.ContentLength).toBeGreaterThan(0);
    },
  );

  it('plans no change right after the apply', { timeout: 300_000 }, async () => {
    expect(await planCode('flink')).toBe(0);
  });

  it(
    'updates parallelism and the code key in place: one UpdateApplication, one new version',
    { timeout: 600_000 },
    async () => {
      const before = (await describeApp('orders')).ApplicationVersionId!;
      const out = await ok('flink', ['apply', '-auto-approve', '-input=false'], updated);
      expect(out).toMatch(/aws_kinesisanalyticsv2_application\.orders: Modifications complete/);
      const app = await describeApp('orders');
      expect(app.ApplicationVersionId).toBe(before + 1);
      const cfg = app.ApplicationConfigurationDescription!;
      expect(cfg.FlinkApplicationConfigurationDescription!.ParallelismConfigurationDescription!.Parallelism).toBe(4);
      expect(
        cfg.ApplicationCodeConfigurationDescription!.CodeContentDescription!.S3ApplicationCodeLocationDescription!
          .FileKey,
      ).toBe('jobs/orders-1.1.0.jar');
      // The key attached out of band stays attached through Terraform's update.
      expect(cfg.ApplicationEncryptionConfigurationDescription!.KeyType).toBe('CUSTOMER_MANAGED_KEY');
      expect(await planCode('flink', updated)).toBe(0);
    },
  );

  it('plans no change after the emulator restarts on the same data directory', { timeout: 300_000 }, async () => {
    await t.close();
    await start();
    expect(await planCode('flink', updated)).toBe(0);
  });

  it(
    'starts with start_application = true, snapshots, rehearses a disabled key, and stops with false',
    { timeout: 600_000 },
    async () => {
      await ok('flink', ['apply', '-auto-approve', '-input=false'], { ...updated, start: 'true' });
      expect((await describeApp('orders')).ApplicationStatus).toBe('RUNNING');
      expect(await planCode('flink', { ...updated, start: 'true' })).toBe(0);

      await ok('flink', ['apply', '-auto-approve', '-input=false'], { ...updated, start: 'true', snapshot: 'true' });
      const snaps = await t.ka.send(new ka.ListApplicationSnapshotsCommand({ ApplicationName: 'orders' }));
      expect(snaps.SnapshotSummaries!.map((s) => [s.SnapshotName, s.SnapshotStatus])).toContainEqual([
        'before-upgrade',
        'READY',
      ]);
      expect(await planCode('flink', { ...updated, start: 'true', snapshot: 'true' })).toBe(0);

      // Rehearse a disabled key: is_enabled = false makes the running job's state unwritable, as on AWS.
      await ok('flink', ['apply', '-auto-approve', '-input=false'], {
        ...updated,
        start: 'true',
        snapshot: 'true',
        key_enabled: 'false',
      });
      expect(
        (await t.kms.send(new kms.DescribeKeyCommand({ KeyId: 'alias/orders-state' }))).KeyMetadata!.KeyState,
      ).toBe('Disabled');
      await t.ka.send(
        new ka.CreateApplicationSnapshotCommand({ ApplicationName: 'orders', SnapshotName: 'key-disabled' }),
      );
      const failed = await eventually(async () => {
        const d = await t.ka.send(
          new ka.DescribeApplicationSnapshotCommand({ ApplicationName: 'orders', SnapshotName: 'key-disabled' }),
        );
        if (d.SnapshotDetails!.SnapshotStatus === 'CREATING') throw new Error('still creating');
        return d.SnapshotDetails!;
      }, 30_000);
      expect(failed.SnapshotStatus).toBe('FAILED');
      await ok('flink', ['apply', '-auto-approve', '-input=false'], { ...updated, start: 'true', snapshot: 'true' });
      expect(
        (await t.kms.send(new kms.DescribeKeyCommand({ KeyId: 'alias/orders-state' }))).KeyMetadata!.KeyState,
      ).toBe('Enabled');

      await ok('flink', ['apply', '-auto-approve', '-input=false'], { ...updated, start: 'false', snapshot: 'true' });
      expect((await describeApp('orders')).ApplicationStatus).toBe('READY');
      expect(await planCode('flink', { ...updated, start: 'false', snapshot: 'true' })).toBe(0);
    },
  );

  it('imports an application created with the aws CLI, then plans no change', { timeout: 300_000 }, async () => {
    await t.cli([
      'kinesisanalyticsv2',
      'create-application',
      '--application-name',
      'legacy',
      '--runtime-environment',
      'FLINK-1_18',
      '--service-execution-role',
      'arn:aws:iam::123456789012:role/orders-flink',
      '--application-configuration',
      JSON.stringify({
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: {
            S3ContentLocation: { BucketARN: 'arn:aws:s3:::orders-flink-code', FileKey: 'jobs/orders-1.1.0.jar' },
          },
        },
        FlinkApplicationConfiguration: {
          ParallelismConfiguration: {
            ConfigurationType: 'CUSTOM',
            Parallelism: 3,
            ParallelismPerKPU: 1,
            AutoScalingEnabled: false,
          },
        },
      }),
    ]);
    const out = await ok('import', ['import', '-input=false', 'aws_kinesisanalyticsv2_application.legacy', LEGACY_ARN]);
    expect(out).toMatch(/Import successful/);
    expect(await planCode('import')).toBe(0);
  });

  it('destroys everything it created, leaving nothing behind', { timeout: 600_000 }, async () => {
    await ok('import', ['destroy', '-auto-approve', '-input=false']);
    const out = await ok('flink', ['destroy', '-auto-approve', '-input=false'], { ...updated, snapshot: 'true' });
    expect(out).toMatch(/Destroy complete! Resources: 14 destroyed/);

    expect((await t.ka.send(new ka.ListApplicationsCommand({}))).ApplicationSummaries).toEqual([]);
    const c = clients();
    expect((await c.iam.send(new iam.ListRolesCommand({}))).Roles).toEqual([]);
    expect((await c.iam.send(new iam.ListPoliciesCommand({ Scope: 'Local' }))).Policies).toEqual([]);
    expect((await c.logs.send(new logs.DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    const buckets = await c.s3.send(new s3.ListBucketsCommand({}));
    expect(buckets.Buckets!.map((b) => b.Name)).not.toContain('orders-flink-code');
    const aliases = await t.kms.send(new kms.ListAliasesCommand({}));
    expect(aliases.Aliases!.map((a) => a.AliasName)).not.toContain('alias/orders-state');
    // A KMS key is never deleted at once: the provider schedules it (deletion_window_in_days = 7).
    const keys = await t.kms.send(new kms.ListKeysCommand({}));
    const states = await Promise.all(
      keys.Keys!.map(async (k) => (await t.kms.send(new kms.DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata!),
    );
    const ours = states.filter((k) => k.Description === 'Managed Flink application state');
    expect(ours.map((k) => k.KeyState)).toEqual(['PendingDeletion']);
  });

  it('met no call the emulator does not implement', () => {
    expect(logLines.filter((l) => l.includes('unknown operation'))).toEqual([]);
  });
});
