/** KMS (TrentService) on the wire: the subset of operations the engine's KmsService implements. */
import type { Engine, KmsService } from '@mfc/engine';
import { loadModel } from '../protocol/model.js';
import type { Handler, JsonService } from '../protocol/json-rpc.js';

export const KMS_OPERATIONS = [
  'CreateKey',
  'DescribeKey',
  'ListKeys',
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
  'ListAliases',
  'GetKeyPolicy',
  'PutKeyPolicy',
  'RotateKeyOnDemand',
  'GetKeyRotationStatus',
  'EnableKeyRotation',
  'DisableKeyRotation',
  'ListKeyRotations',
  'UpdateKeyDescription',
  'ListResourceTags',
  'TagResource',
  'UntagResource',
] as const;

export function kmsService(engine: () => Engine): JsonService {
  const model = loadModel('kms');
  const handlers: Record<string, Handler> = {};
  for (const op of KMS_OPERATIONS) {
    const method = (op.charAt(0).toLowerCase() + op.slice(1)) as keyof KmsService;
    handlers[op] = (ctx, input) => {
      const kms = engine().kms;
      return (kms[method] as unknown as (c: typeof ctx, i: unknown) => unknown).call(kms, ctx, input);
    };
  }
  return {
    name: 'kms',
    model,
    contentType: 'application/x-amz-json-1.1',
    handlers,
    // KMS answers constraint violations with the common ValidationException.
    validationErrorFor: () => 'ValidationException',
  };
}
