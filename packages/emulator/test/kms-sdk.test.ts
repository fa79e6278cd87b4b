import * as kms from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, type TestEmulator } from './harness.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());

describe('KMS through @aws-sdk/client-kms', () => {
  it('creates, describes, lists, aliases, disables, rotates and schedules deletion', async () => {
    const created = await t.kms.send(new kms.CreateKeyCommand({ Description: 'flink state' }));
    const key = created.KeyMetadata!;
    expect(key).toMatchObject({
      KeyState: 'Enabled',
      Enabled: true,
      KeySpec: 'SYMMETRIC_DEFAULT',
      Description: 'flink state',
    });
    expect(key.CreationDate).toBeInstanceOf(Date);
    await t.kms.send(new kms.CreateAliasCommand({ AliasName: 'alias/flink-state', TargetKeyId: key.KeyId }));
    const byAlias = await t.kms.send(new kms.DescribeKeyCommand({ KeyId: 'alias/flink-state' }));
    expect(byAlias.KeyMetadata?.Arn).toBe(key.Arn);
    const keys = await t.kms.send(new kms.ListKeysCommand({}));
    expect(keys.Keys?.map((k) => k.KeyId)).toContain(key.KeyId);
    const aliases = await t.kms.send(new kms.ListAliasesCommand({ KeyId: key.KeyId }));
    expect(aliases.Aliases?.map((a) => a.AliasName)).toEqual(['alias/flink-state']);

    const policy = await t.kms.send(new kms.GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default' }));
    expect(JSON.parse(policy.Policy!).Statement[0].Principal.AWS).toBe('arn:aws:iam::123456789012:root');
    await t.kms.send(new kms.PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: policy.Policy }));
    expect(
      (
        await awsError(
          t.kms.send(new kms.PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: '{' })),
        )
      ).name,
    ).toBe('MalformedPolicyDocumentException');

    await t.kms.send(new kms.DisableKeyCommand({ KeyId: key.KeyId }));
    expect((await t.kms.send(new kms.DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.KeyState).toBe('Disabled');
    expect((await awsError(t.kms.send(new kms.RotateKeyOnDemandCommand({ KeyId: key.KeyId })))).name).toBe(
      'DisabledException',
    );
    await t.kms.send(new kms.EnableKeyCommand({ KeyId: key.KeyId }));
    await t.kms.send(new kms.RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    const status = await t.kms.send(new kms.GetKeyRotationStatusCommand({ KeyId: key.KeyId }));
    expect(status.KeyRotationEnabled).toBe(false);
    expect(status.OnDemandRotationStartDate).toBeInstanceOf(Date);

    const del = await t.kms.send(new kms.ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    expect(del.KeyState).toBe('PendingDeletion');
    expect(del.DeletionDate).toBeInstanceOf(Date);
    expect((await awsError(t.kms.send(new kms.EnableKeyCommand({ KeyId: key.KeyId })))).name).toBe(
      'KMSInvalidStateException',
    );
    await t.kms.send(new kms.CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    expect((await t.kms.send(new kms.DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata?.KeyState).toBe('Disabled');
  });

  it('answers unknown keys, bad aliases and constraint violations with KMS errors', async () => {
    expect(
      (await awsError(t.kms.send(new kms.DescribeKeyCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })))).name,
    ).toBe('NotFoundException');
    expect(
      (await awsError(t.kms.send(new kms.CreateAliasCommand({ AliasName: 'no-prefix', TargetKeyId: 'x' })))).name,
    ).toBe('InvalidAliasNameException');
    expect((await awsError(t.kms.send(new kms.ListKeysCommand({ Limit: 0 })))).name).toBe('ValidationException');
  });
});
