/**
 * Customer managed key rules: supported from FLINK-1_20, the key resolved from any KeyId form, the
 * caller allowed on every key an operation involves (both keys when switching), the service principals
 * allowed by the key policy, and the key usable when state is restored or written.
 */
import type { ApplicationEncryptionConfiguration, RuntimeEnvironment } from '@aws-sdk/client-kinesis-analytics-v2';
import type { KmsKeyRecord } from '../kms/records.js';
import { accessDenied, invalidArgument } from '../util/errors.js';
import type { ServiceCore } from './core.js';
import type { CallContext, KeyRef } from './records.js';

export const MSF_SERVICE_PRINCIPALS = [
  'kinesisanalytics.amazonaws.com',
  'infrastructure.kinesisanalytics.amazonaws.com',
] as const;

export const AWS_OWNED: KeyRef = { keyType: 'AWS_OWNED_KEY' };

const RUNTIME_ORDER: RuntimeEnvironment[] = [
  'FLINK-1_6',
  'FLINK-1_8',
  'FLINK-1_11',
  'FLINK-1_13',
  'FLINK-1_15',
  'FLINK-1_18',
  'FLINK-1_19',
  'FLINK-1_20',
  'FLINK-2_2',
];

export function flinkRuntimeRank(runtime: RuntimeEnvironment): number {
  return RUNTIME_ORDER.indexOf(runtime);
}

export function supportsCustomerManagedKeys(runtime: RuntimeEnvironment): boolean {
  return flinkRuntimeRank(runtime) >= flinkRuntimeRank('FLINK-1_20');
}

/** Validates an encryption configuration and resolves its key, as Create/UpdateApplication do. */
export function resolveEncryption(
  core: ServiceCore,
  ctx: CallContext,
  runtime: RuntimeEnvironment,
  enc: ApplicationEncryptionConfiguration,
): KeyRef {
  if (enc.KeyType === 'AWS_OWNED_KEY') {
    if (enc.KeyId !== undefined) throw invalidArgument('KeyId must not be specified when KeyType is AWS_OWNED_KEY.');
    return AWS_OWNED;
  }
  if (!supportsCustomerManagedKeys(runtime))
    throw invalidArgument(
      `Customer managed keys are supported only for Apache Flink 1.20 and later; the application uses ${runtime}.`,
    );
  if (!enc.KeyId) throw invalidArgument('KeyId is required when KeyType is CUSTOMER_MANAGED_KEY.');
  const key = core.kms.findKey(ctx, enc.KeyId);
  if (!key) throw invalidArgument(`KMS key ${enc.KeyId} does not exist or is not accessible.`);
  requireCallerAccess(core, ctx, key);
  if (key.state !== 'Enabled')
    throw invalidArgument(`KMS key ${key.arn} is ${key.state === 'Disabled' ? 'disabled' : 'pending deletion'}.`);
  const missing = MSF_SERVICE_PRINCIPALS.filter((p) => !core.kms.allows(key, p, 'kms:Decrypt'));
  if (missing.length > 0)
    throw invalidArgument(
      `The key policy of ${key.arn} must allow ${missing.join(' and ')} to use the key (kms:Decrypt, kms:GenerateDataKey, kms:DescribeKey, kms:CreateGrant).`,
    );
  return { keyType: 'CUSTOMER_MANAGED_KEY', keyArn: key.arn, keyId: enc.KeyId };
}

function requireCallerAccess(core: ServiceCore, ctx: CallContext, key: KmsKeyRecord): void {
  for (const action of ['kms:DescribeKey', 'kms:Decrypt'])
    if (!core.kms.allows(key, ctx.principal, action))
      throw accessDenied(
        `User: ${ctx.principal} is not authorized to perform: ${action} on resource: ${key.arn} because no resource-based policy allows the ${action} action`,
      );
}

/** The caller must be allowed on each customer managed key involved; AWS owned keys need nothing. */
export function requireKeyAccess(core: ServiceCore, ctx: CallContext, ...keys: (KeyRef | undefined)[]): void {
  for (const ref of keys) {
    if (!ref || ref.keyType !== 'CUSTOMER_MANAGED_KEY' || !ref.keyArn) continue;
    const key = core.kms.findKey(ctx, ref.keyArn);
    if (key) requireCallerAccess(core, ctx, key);
  }
}

/** Why state protected by this key cannot be read or written now, or undefined when it can. */
export function keyProblem(core: ServiceCore, keyArn: string | undefined): string | undefined {
  if (!keyArn) return undefined;
  const m = /^arn:aws[\w-]*:kms:([^:]+):(\d{12}):key\/(.+)$/.exec(keyArn);
  const key = m ? core.store.keys.get(`${m[2]}:${m[1]}:${m[3]}`) : undefined;
  if (!key) return `KMS key ${keyArn} does not exist (KMS.NotFoundException).`;
  if (key.state === 'Disabled') return `KMS key ${keyArn} is disabled (KMS.DisabledException).`;
  if (key.state === 'PendingDeletion') return `KMS key ${keyArn} is pending deletion (KMS.KMSInvalidStateException).`;
  return undefined;
}

export function sameKey(a: KeyRef | undefined, b: KeyRef | undefined): boolean {
  return (a?.keyType ?? 'AWS_OWNED_KEY') === (b?.keyType ?? 'AWS_OWNED_KEY') && a?.keyArn === b?.keyArn;
}
