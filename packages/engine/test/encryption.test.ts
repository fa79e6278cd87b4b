import { describe, expect, it } from 'vitest';
import { MSF_SERVICE_PRINCIPALS } from '../src/index.js';
import type { Engine } from '../src/index.js';
import { createApp, ctx, describe_, errorOf, newEngine, ROLE, runningApp, statusPath } from './helpers.js';

/** A key whose policy lets the account and the service principals use it, as the AWS guide describes. */
function usableKey(e: Engine, extraPrincipal?: string) {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: extraPrincipal ?? 'arn:aws:iam::123456789012:root' },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Principal: { Service: [...MSF_SERVICE_PRINCIPALS] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'],
        Resource: '*',
      },
    ],
  };
  return e.kms.createKey(ctx, { Policy: JSON.stringify(policy), Description: 'flink state' }).KeyMetadata!;
}

const useKey = (e: Engine, name: string, version: number, keyId: string) =>
  e.kinesisAnalytics.updateApplication(ctx, {
    ApplicationName: name,
    CurrentApplicationVersionId: version,
    ApplicationConfigurationUpdate: {
      ApplicationEncryptionConfigurationUpdate: { KeyTypeUpdate: 'CUSTOMER_MANAGED_KEY', KeyIdUpdate: keyId },
    },
  });

describe('customer managed keys', () => {
  it('are supported only from FLINK-1_20', () => {
    const e = newEngine();
    const key = usableKey(e);
    const create = (runtime: 'FLINK-1_19' | 'FLINK-1_20') =>
      e.kinesisAnalytics.createApplication(ctx, {
        ApplicationName: `app-${runtime}`,
        RuntimeEnvironment: runtime,
        ServiceExecutionRole: ROLE,
        ApplicationConfiguration: {
          ApplicationEncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: key.KeyId },
        },
      });
    expect(errorOf(() => create('FLINK-1_19'))).toBe('InvalidArgumentException');
    expect(
      create('FLINK-1_20').ApplicationDetail?.ApplicationConfigurationDescription
        ?.ApplicationEncryptionConfigurationDescription,
    ).toEqual({
      KeyType: 'CUSTOMER_MANAGED_KEY',
      KeyId: key.KeyId,
    });
  });

  it('accepts every KeyId form and needs the service principals in the key policy', () => {
    const e = newEngine();
    const key = usableKey(e);
    e.kms.createAlias(ctx, { AliasName: 'alias/flink', TargetKeyId: key.KeyId });
    createApp(e, 'app');
    let v = 1;
    for (const id of [key.KeyId!, key.Arn!, 'alias/flink', 'arn:aws:kms:us-east-1:123456789012:alias/flink']) {
      useKey(e, 'app', v++, id);
      statusPath(e, 'app');
    }
    expect(
      describe_(e, 'app').ApplicationConfigurationDescription?.ApplicationEncryptionConfigurationDescription?.KeyId,
    ).toBe('arn:aws:kms:us-east-1:123456789012:alias/flink');
    const plain = e.kms.createKey(ctx, {}).KeyMetadata!;
    expect(errorOf(() => useKey(e, 'app', v, plain.KeyId!))).toBe('InvalidArgumentException');
    expect(errorOf(() => useKey(e, 'app', v, 'alias/missing'))).toBe('InvalidArgumentException');
  });

  it('takes effect only at the next (re)start; new snapshots use the key in effect', () => {
    const e = newEngine();
    const key = usableKey(e);
    runningApp(e, 'app');
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    useKey(e, 'app', 1, key.Arn!);
    statusPath(e, 'app');
    const app = e.core.findApp(ctx, 'app')!;
    expect(app.configuredKey.keyArn).toBe(key.Arn);
    expect(app.effectiveKey?.keyType).toBe('AWS_OWNED_KEY');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    expect(e.core.findApp(ctx, 'app')!.effectiveKey?.keyArn).toBe(key.Arn);
    e.advanceBy(60_000);
    e.kinesisAnalytics.createApplicationSnapshot(ctx, { ApplicationName: 'app', SnapshotName: 'with-cmk' });
    e.advanceBy(30_000);
    const snaps = e.kinesisAnalytics.listApplicationSnapshots(ctx, { ApplicationName: 'app' }).SnapshotSummaries!;
    expect(snaps.map((s) => s.ApplicationEncryptionConfigurationDescription)).toEqual([
      { KeyType: 'AWS_OWNED_KEY' },
      { KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: key.Arn },
    ]);
  });

  it('a disabled key fails the restore (start FAILED, READY); re-enabling it lets the same start succeed', () => {
    const e = newEngine();
    const key = usableKey(e);
    createApp(e, 'app', '1.0.0', {
      ApplicationConfiguration: {
        ApplicationEncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: key.KeyId },
      },
    });
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    e.advanceBy(2 * 60_000);
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    e.kms.disableKey(ctx, { KeyId: key.KeyId });
    const failed = e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    expect(statusPath(e, 'app')).toEqual(['STARTING', 'READY']);
    const d = e.kinesisAnalytics.describeApplicationOperation(ctx, {
      ApplicationName: 'app',
      OperationId: failed.OperationId,
    }).ApplicationOperationInfoDetails!;
    expect(d.OperationStatus).toBe('FAILED');
    expect(d.OperationFailureDetails?.ErrorInfo?.ErrorString).toMatch(/disabled/);
    e.kms.enableKey(ctx, { KeyId: key.KeyId });
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    expect(statusPath(e, 'app')).toEqual(['STARTING', 'RUNNING']);
  });

  it('checkpoints fail while the key in effect is disabled', () => {
    const e = newEngine();
    const key = usableKey(e);
    runningApp(e, 'app', '1.0.0', {
      ApplicationConfiguration: {
        ApplicationEncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: key.KeyId },
      },
    });
    e.advanceBy(3 * 60_000);
    const job = () => e.flink.cluster(e.core.appKey(ctx, 'app'))!.job!;
    expect(job().checkpoints.counts.failed).toBe(0);
    e.kms.disableKey(ctx, { KeyId: key.KeyId });
    e.advanceBy(3 * 60_000);
    expect(job().checkpoints.counts.failed).toBeGreaterThanOrEqual(2);
    expect(job().checkpoints.latestFailed?.failureMessage).toMatch(/disabled/);
  });

  it('the caller must be allowed on every key involved: AccessDeniedException names the key', () => {
    const e = newEngine();
    const operator = 'arn:aws:iam::123456789012:role/operator';
    const opCtx = { ...ctx, principal: operator };
    // Key A allows everyone in the account; key B allows only a different role.
    const a = usableKey(e);
    const b = usableKey(e, 'arn:aws:iam::123456789012:role/security-team');
    createApp(e, 'app', '1.0.0', {
      ApplicationConfiguration: {
        ApplicationEncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: a.KeyId },
      },
    });
    const err = (() => {
      try {
        e.kinesisAnalytics.updateApplication(opCtx, {
          ApplicationName: 'app',
          CurrentApplicationVersionId: 1,
          ApplicationConfigurationUpdate: {
            ApplicationEncryptionConfigurationUpdate: { KeyTypeUpdate: 'CUSTOMER_MANAGED_KEY', KeyIdUpdate: b.KeyId },
          },
        });
      } catch (x) {
        return x as Error;
      }
    })();
    expect(err?.name).toBe('AccessDeniedException');
    expect(err?.message).toContain(b.Arn);
    expect(e.core.findApp(ctx, 'app')!.versionId).toBe(1);
  });
});

describe('KMS', () => {
  it('keys change state, rotate on demand and resolve through aliases', () => {
    const e = newEngine();
    const k = e.kms.createKey(ctx, { Description: 'd' }).KeyMetadata!;
    expect(k).toMatchObject({
      KeyState: 'Enabled',
      Enabled: true,
      KeyManager: 'CUSTOMER',
      AWSAccountId: '123456789012',
    });
    expect(k.Arn).toBe(`arn:aws:kms:us-east-1:123456789012:key/${k.KeyId}`);
    e.kms.createAlias(ctx, { AliasName: 'alias/a', TargetKeyId: k.KeyId });
    expect(errorOf(() => e.kms.createAlias(ctx, { AliasName: 'alias/a', TargetKeyId: k.KeyId }))).toBe(
      'AlreadyExistsException',
    );
    expect(e.kms.describeKey(ctx, { KeyId: 'alias/a' }).KeyMetadata?.KeyId).toBe(k.KeyId);
    e.kms.disableKey(ctx, { KeyId: k.KeyId });
    expect(errorOf(() => e.kms.rotateKeyOnDemand(ctx, { KeyId: k.KeyId }))).toBe('DisabledException');
    e.kms.enableKey(ctx, { KeyId: k.KeyId });
    e.kms.rotateKeyOnDemand(ctx, { KeyId: k.KeyId });
    expect(e.kms.getKeyRotationStatus(ctx, { KeyId: k.KeyId }).OnDemandRotationStartDate).toBeInstanceOf(Date);
    const del = e.kms.scheduleKeyDeletion(ctx, { KeyId: k.KeyId, PendingWindowInDays: 7 });
    expect(del.KeyState).toBe('PendingDeletion');
    expect(errorOf(() => e.kms.enableKey(ctx, { KeyId: k.KeyId }))).toBe('KMSInvalidStateException');
    e.kms.cancelKeyDeletion(ctx, { KeyId: k.KeyId });
    expect(e.kms.describeKey(ctx, { KeyId: k.KeyId }).KeyMetadata?.KeyState).toBe('Disabled');
    e.kms.scheduleKeyDeletion(ctx, { KeyId: k.KeyId, PendingWindowInDays: 7 });
    e.advanceBy(8 * 86_400_000);
    expect(errorOf(() => e.kms.describeKey(ctx, { KeyId: k.KeyId }))).toBe('NotFoundException');
    expect(e.kms.listAliases(ctx, {}).Aliases).toEqual([]);
  });

  it('key policies decide who may use a key', () => {
    const e = newEngine();
    const policy = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/admin' }, Action: 'kms:*', Resource: '*' },
      ],
    });
    const adminCtx = { ...ctx, principal: 'arn:aws:iam::123456789012:role/admin' };
    const k = e.kms.createKey(adminCtx, { Policy: policy }).KeyMetadata!;
    expect(
      errorOf(() =>
        e.kms.disableKey({ ...ctx, principal: 'arn:aws:iam::123456789012:role/other' }, { KeyId: k.KeyId }),
      ),
    ).toBe('AccessDeniedException');
    e.kms.disableKey(
      { ...ctx, principal: 'arn:aws:sts::123456789012:assumed-role/admin/session-1' },
      { KeyId: k.KeyId },
    );
    expect(errorOf(() => e.kms.putKeyPolicy(adminCtx, { KeyId: k.KeyId, Policy: 'not json' }))).toBe(
      'MalformedPolicyDocumentException',
    );
  });
});
