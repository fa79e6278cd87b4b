/**
 * aws_kms_key and aws_kms_alias as the Terraform AWS provider (5.x) drives them, call for call: create
 * (CreateKey with tags and policy, EnableKeyRotation), read (DescribeKey, GetKeyPolicy, GetKeyRotationStatus,
 * ListResourceTags: every plan and refresh), update (UpdateKeyDescription, PutKeyPolicy, rotation period,
 * TagResource / UntagResource, Disable/EnableKey), destroy (ScheduleKeyDeletion, then DescribeKey until
 * PendingDeletion); aliases by ListAliases. Through @aws-sdk/client-kms and the `aws` CLI.
 */
import * as kms from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, startTestEmulator, type TestEmulator } from './harness.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Id: 'flink-state',
  Statement: [
    {
      Sid: 'Root',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'Logs',
      Effect: 'Allow',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
    },
  ],
});

/** What resourceKeyRead reads, as the provider flattens it into state. */
async function readKey(keyId: string) {
  const meta = (await t.kms.send(new kms.DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
  const policy = await t.kms.send(new kms.GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
  const rotation = await t.kms.send(new kms.GetKeyRotationStatusCommand({ KeyId: keyId }));
  const tags: kms.Tag[] = [];
  for await (const page of kms.paginateListResourceTags({ client: t.kms }, { KeyId: keyId })) tags.push(...page.Tags!);
  return {
    arn: meta.Arn,
    customer_master_key_spec: meta.KeySpec,
    description: meta.Description,
    enable_key_rotation: rotation.KeyRotationEnabled,
    is_enabled: meta.Enabled,
    key_id: meta.KeyId,
    key_usage: meta.KeyUsage,
    multi_region: meta.MultiRegion,
    policy: policy.Policy,
    rotation_period_in_days: rotation.RotationPeriodInDays,
    origin: meta.Origin,
    key_manager: meta.KeyManager,
    key_state: meta.KeyState,
    tags: Object.fromEntries(tags.map((x) => [x.TagKey, x.TagValue])),
  };
}

describe('aws_kms_key (Terraform provider calls)', () => {
  it('create → read → plan (no change) → update → destroy', async () => {
    // resourceKeyCreate
    const created = await t.kms.send(
      new kms.CreateKeyCommand({
        Description: 'Managed Flink state',
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Policy: POLICY,
        BypassPolicyLockoutSafetyCheck: false,
        Tags: [
          { TagKey: 'team', TagValue: 'streaming' },
          { TagKey: 'env', TagValue: 'dev' },
        ],
      }),
    );
    const id = created.KeyMetadata!.KeyId!;
    await t.kms.send(new kms.EnableKeyRotationCommand({ KeyId: id, RotationPeriodInDays: 180 }));
    const state = await readKey(id);
    expect(state).toEqual({
      arn: `arn:aws:kms:us-east-1:123456789012:key/${id}`,
      customer_master_key_spec: 'SYMMETRIC_DEFAULT',
      description: 'Managed Flink state',
      enable_key_rotation: true,
      is_enabled: true,
      key_id: id,
      key_usage: 'ENCRYPT_DECRYPT',
      multi_region: false,
      // Stored and returned exactly as given.
      policy: POLICY,
      rotation_period_in_days: 180,
      origin: 'AWS_KMS',
      key_manager: 'CUSTOMER',
      key_state: 'Enabled',
      tags: { team: 'streaming', env: 'dev' },
    });
    // terraform plan: the same read gives the same state.
    expect(await readKey(id)).toEqual(state);

    // resourceKeyUpdate: description, policy, rotation period, tags (untag removed, tag updated/added).
    await t.kms.send(new kms.UpdateKeyDescriptionCommand({ KeyId: id, Description: 'Managed Flink state (prod)' }));
    const policy2 = POLICY.replace('flink-state', 'flink-state-2');
    await t.kms.send(new kms.PutKeyPolicyCommand({ KeyId: id, PolicyName: 'default', Policy: policy2 }));
    await t.kms.send(new kms.EnableKeyRotationCommand({ KeyId: id, RotationPeriodInDays: 365 }));
    await t.kms.send(new kms.UntagResourceCommand({ KeyId: id, TagKeys: ['env'] }));
    await t.kms.send(
      new kms.TagResourceCommand({
        KeyId: id,
        Tags: [
          { TagKey: 'team', TagValue: 'platform' },
          { TagKey: 'cost-center', TagValue: '' },
        ],
      }),
    );
    await t.kms.send(new kms.DisableKeyCommand({ KeyId: id }));
    expect(await readKey(id)).toMatchObject({
      description: 'Managed Flink state (prod)',
      policy: policy2,
      rotation_period_in_days: 365,
      is_enabled: false,
      key_state: 'Disabled',
      tags: { team: 'platform', 'cost-center': '' },
    });
    // Rotation cannot change while the key is disabled (the provider retries on DisabledException).
    expect((await awsError(t.kms.send(new kms.DisableKeyRotationCommand({ KeyId: id })))).name).toBe(
      'DisabledException',
    );
    await t.kms.send(new kms.EnableKeyCommand({ KeyId: id }));
    await t.kms.send(new kms.DisableKeyRotationCommand({ KeyId: id }));
    expect(await readKey(id)).toMatchObject({ enable_key_rotation: false, rotation_period_in_days: undefined });

    // resourceKeyDelete: ScheduleKeyDeletion, then DescribeKey until the key is PendingDeletion.
    const del = await t.kms.send(new kms.ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 7 }));
    expect(del.KeyState).toBe('PendingDeletion');
    const pending = await t.kms.send(new kms.DescribeKeyCommand({ KeyId: id }));
    expect(pending.KeyMetadata).toMatchObject({
      KeyState: 'PendingDeletion',
      Enabled: false,
      PendingDeletionWindowInDays: 7,
    });
    expect(pending.KeyMetadata!.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6 * 86_400_000);
    // Tags stay readable; changing them is refused while the key waits for deletion.
    expect((await t.kms.send(new kms.ListResourceTagsCommand({ KeyId: id }))).Tags).toHaveLength(2);
    expect(
      (await awsError(t.kms.send(new kms.TagResourceCommand({ KeyId: id, Tags: [{ TagKey: 'a', TagValue: 'b' }] }))))
        .name,
    ).toBe('KMSInvalidStateException');
    expect(
      (await awsError(t.kms.send(new kms.UpdateKeyDescriptionCommand({ KeyId: id, Description: 'x' })))).name,
    ).toBe('KMSInvalidStateException');
    // A second destroy: the provider treats "is pending deletion" as done.
    const again = await awsError(t.kms.send(new kms.ScheduleKeyDeletionCommand({ KeyId: id })));
    expect(again.name).toBe('KMSInvalidStateException');
    expect(again.message).toContain('is pending deletion');
  });

  it('gives a new key the default key policy, and a multi-Region key its primary configuration', async () => {
    const { KeyMetadata } = await t.kms.send(new kms.CreateKeyCommand({}));
    const policy = JSON.parse(
      (await t.kms.send(new kms.GetKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId!, PolicyName: 'default' }))).Policy!,
    );
    expect(policy).toEqual({
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });
    expect((await t.kms.send(new kms.ListResourceTagsCommand({ KeyId: KeyMetadata!.Arn }))).Tags).toEqual([]);

    const mrk = (await t.kms.send(new kms.CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    expect(mrk.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(mrk.MultiRegion).toBe(true);
    expect(mrk.MultiRegionConfiguration).toMatchObject({
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: mrk.Arn, Region: 'us-east-1' },
    });
  });

  it('checks tags as KMS does, and pages ListResourceTags', async () => {
    const id = (await t.kms.send(new kms.CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const tagErr = await awsError(
      t.kms.send(new kms.TagResourceCommand({ KeyId: id, Tags: [{ TagKey: 'aws:owner', TagValue: 'x' }] })),
    );
    expect(tagErr.name).toBe('TagException');
    const dup = await awsError(
      t.kms.send(
        new kms.TagResourceCommand({
          KeyId: id,
          Tags: [
            { TagKey: 'a', TagValue: '1' },
            { TagKey: 'a', TagValue: '2' },
          ],
        }),
      ),
    );
    expect(dup.name).toBe('TagException');
    const fifty = Array.from({ length: 50 }, (_, i) => ({
      TagKey: `k${String(i).padStart(2, '0')}`,
      TagValue: `${i}`,
    }));
    await t.kms.send(new kms.TagResourceCommand({ KeyId: id, Tags: fifty }));
    expect(
      (
        await awsError(
          t.kms.send(new kms.TagResourceCommand({ KeyId: id, Tags: [{ TagKey: 'one-more', TagValue: '' }] })),
        )
      ).name,
    ).toBe('LimitExceededException');
    const first = await t.kms.send(new kms.ListResourceTagsCommand({ KeyId: id, Limit: 20 }));
    expect(first.Tags).toHaveLength(20);
    expect(first.Truncated).toBe(true);
    const all: kms.Tag[] = [];
    for await (const page of kms.paginateListResourceTags({ client: t.kms, pageSize: 20 }, { KeyId: id }))
      all.push(...page.Tags!);
    expect(all.map((x) => x.TagKey)).toEqual(fifty.map((x) => x.TagKey));
    expect(
      (await awsError(t.kms.send(new kms.ListResourceTagsCommand({ KeyId: '00000000-0000-4000-8000-000000000000' }))))
        .name,
    ).toBe('NotFoundException');
    expect((await awsError(t.kms.send(new kms.ListResourceTagsCommand({ KeyId: id, Marker: 'nope' })))).name).toBe(
      'InvalidMarkerException',
    );
  });
});

describe('aws_kms_alias (Terraform provider calls)', () => {
  it('create → read by ListAliases → retarget → delete', async () => {
    const a = (await t.kms.send(new kms.CreateKeyCommand({}))).KeyMetadata!;
    const b = (await t.kms.send(new kms.CreateKeyCommand({}))).KeyMetadata!;
    await t.kms.send(new kms.CreateAliasCommand({ AliasName: 'alias/flink-state', TargetKeyId: a.KeyId }));
    const find = async () => {
      for await (const page of kms.paginateListAliases({ client: t.kms }, {}))
        for (const alias of page.Aliases!) if (alias.AliasName === 'alias/flink-state') return alias;
      return undefined;
    };
    expect(await find()).toMatchObject({
      AliasArn: 'arn:aws:kms:us-east-1:123456789012:alias/flink-state',
      TargetKeyId: a.KeyId,
    });
    await t.kms.send(new kms.UpdateAliasCommand({ AliasName: 'alias/flink-state', TargetKeyId: b.Arn }));
    expect((await find())?.TargetKeyId).toBe(b.KeyId);
    expect((await t.kms.send(new kms.DescribeKeyCommand({ KeyId: 'alias/flink-state' }))).KeyMetadata?.KeyId).toBe(
      b.KeyId,
    );
    await t.kms.send(new kms.DeleteAliasCommand({ AliasName: 'alias/flink-state' }));
    expect(await find()).toBeUndefined();
    expect((await awsError(t.kms.send(new kms.DeleteAliasCommand({ AliasName: 'alias/flink-state' })))).name).toBe(
      'NotFoundException',
    );
  });
});

describe('KMS tags through the aws CLI', { timeout: 60_000 }, () => {
  it('tag-resource, list-resource-tags, untag-resource, update-key-description', async () => {
    const { KeyMetadata } = (await t.cli([
      'kms',
      'create-key',
      '--description',
      'cli key',
      '--tags',
      'TagKey=a,TagValue=1',
    ])) as {
      KeyMetadata: { KeyId: string };
    };
    const id = KeyMetadata.KeyId;
    await t.cli(['kms', 'tag-resource', '--key-id', id, '--tags', 'TagKey=b,TagValue=2']);
    await t.cli(['kms', 'untag-resource', '--key-id', id, '--tag-keys', 'a']);
    await t.cli(['kms', 'update-key-description', '--key-id', id, '--description', 'renamed']);
    // The CLI pages for itself and prints the tags alone.
    expect(await t.cli(['kms', 'list-resource-tags', '--key-id', id])).toEqual({
      Tags: [{ TagKey: 'b', TagValue: '2' }],
    });
    expect(
      ((await t.cli(['kms', 'describe-key', '--key-id', id])) as { KeyMetadata: { Description: string } }).KeyMetadata
        .Description,
    ).toBe('renamed');
  });
});
