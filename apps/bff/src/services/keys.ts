/** KMS keys as the console needs them: state, aliases, rotation, and what depends on each key. */
import {
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeysCommand,
  RotateKeyOnDemandCommand,
  type AliasListEntry,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import type { KeyRef, KeyView } from '@mfc/contracts';
import type { AwsClients } from '../aws/clients.js';

export class KeysService {
  constructor(private clients: AwsClients) {}

  async describe(keyId: string): Promise<KeyMetadata | undefined> {
    try {
      return (await this.clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    } catch (e) {
      if ((e as { name?: string }).name === 'NotFoundException') return undefined;
      throw e;
    }
  }

  async aliases(): Promise<AliasListEntry[]> {
    const out: AliasListEntry[] = [];
    let Marker: string | undefined;
    do {
      const r = await this.clients.kms.send(new ListAliasesCommand({ Marker, Limit: 100 }));
      out.push(...(r.Aliases ?? []));
      Marker = r.Truncated ? r.NextMarker : undefined;
    } while (Marker);
    return out;
  }

  /**
   * A key reference with its ARN and current state resolved. An AWS owned key needs nothing; a customer
   * managed key that no longer exists or cannot be described says so in keyState.
   */
  async resolve(
    ref: { KeyType?: string; KeyId?: string } | undefined,
    memo = new Map<string, KeyMetadata | undefined>(),
  ): Promise<KeyRef> {
    if (!ref || ref.KeyType !== 'CUSTOMER_MANAGED_KEY' || !ref.KeyId) return { keyType: 'AWS_OWNED_KEY' };
    let meta = memo.get(ref.KeyId);
    let state: string | undefined;
    if (!memo.has(ref.KeyId)) {
      try {
        meta = await this.describe(ref.KeyId);
      } catch (e) {
        state = (e as { name?: string }).name === 'AccessDeniedException' ? 'AccessDenied' : 'Unknown';
      }
      memo.set(ref.KeyId, meta);
    }
    return {
      keyType: 'CUSTOMER_MANAGED_KEY',
      keyId: ref.KeyId,
      ...(meta?.Arn ? { keyArn: meta.Arn } : {}),
      keyState: state ?? meta?.KeyState ?? 'NotFound',
    };
  }

  async list(): Promise<Omit<KeyView, 'dependents'>[]> {
    const keys: { KeyId?: string }[] = [];
    let Marker: string | undefined;
    do {
      const r = await this.clients.kms.send(new ListKeysCommand({ Marker, Limit: 100 }));
      keys.push(...(r.Keys ?? []));
      Marker = r.Truncated ? r.NextMarker : undefined;
    } while (Marker);
    const aliases = await this.aliases();
    const out = await Promise.all(keys.map((k) => this.view(k.KeyId!, aliases)));
    return out.filter((k): k is Omit<KeyView, 'dependents'> => k !== undefined);
  }

  async view(keyId: string, aliases?: AliasListEntry[]): Promise<Omit<KeyView, 'dependents'> | undefined> {
    const meta = await this.describe(keyId);
    if (!meta) return undefined;
    const all = aliases ?? (await this.aliases());
    let rotation: KeyView['rotation'] = { enabled: false };
    try {
      const r = await this.clients.kms.send(new GetKeyRotationStatusCommand({ KeyId: meta.KeyId }));
      rotation = {
        enabled: r.KeyRotationEnabled ?? false,
        ...(r.RotationPeriodInDays ? { periodDays: r.RotationPeriodInDays } : {}),
        ...(r.NextRotationDate ? { nextRotationAt: r.NextRotationDate.getTime() } : {}),
        ...(r.OnDemandRotationStartDate ? { lastOnDemandRotationAt: r.OnDemandRotationStartDate.getTime() } : {}),
      };
    } catch {
      // Rotation status needs its own permission; the rest of the view is still useful.
    }
    return {
      keyId: meta.KeyId!,
      arn: meta.Arn!,
      description: meta.Description ?? '',
      state: meta.KeyState ?? 'Unknown',
      aliases: all.filter((a) => a.TargetKeyId === meta.KeyId).map((a) => a.AliasName!),
      createdAt: meta.CreationDate?.getTime() ?? 0,
      ...(meta.DeletionDate ? { deletionDate: meta.DeletionDate.getTime() } : {}),
      rotation,
    };
  }

  async act(keyId: string, action: 'enable' | 'disable' | 'rotate'): Promise<void> {
    const command =
      action === 'enable'
        ? new EnableKeyCommand({ KeyId: keyId })
        : action === 'disable'
          ? new DisableKeyCommand({ KeyId: keyId })
          : new RotateKeyOnDemandCommand({ KeyId: keyId });
    await this.clients.kms.send(command as never);
  }
}
