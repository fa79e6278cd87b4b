/** Inputs of the BFF's actions, validated on both sides. Destructive actions carry the typed confirmation. */
import { z } from 'zod';
import { ApplicationName, KeyType, RestoreType, SnapshotName } from './common.js';

export const StartRequest = z
  .object({
    restoreType: RestoreType.default('RESTORE_FROM_LATEST_SNAPSHOT'),
    snapshotName: SnapshotName.optional(),
    allowNonRestoredState: z.boolean().default(false),
    /** The application name, typed by the operator: required when skipping the restore. */
    confirm: z.string().optional(),
  })
  .refine((r) => r.restoreType !== 'RESTORE_FROM_CUSTOM_SNAPSHOT' || r.snapshotName !== undefined, {
    message: 'snapshotName is required with RESTORE_FROM_CUSTOM_SNAPSHOT',
    path: ['snapshotName'],
  });
export type StartRequest = z.input<typeof StartRequest>;

export const StopRequest = z.object({
  force: z.boolean().default(false),
  /** The application name, typed by the operator: required for a force stop. */
  confirm: z.string().optional(),
});
export type StopRequest = z.input<typeof StopRequest>;

export const RollbackRequest = z.object({ expectedVersionId: z.number().int().min(1), confirm: z.string() });
export type RollbackRequest = z.input<typeof RollbackRequest>;

export const DeleteRequest = z.object({ confirm: z.string() });
export type DeleteRequest = z.input<typeof DeleteRequest>;

export const CodeLocation = z.object({
  bucket: z.string().min(3).max(63),
  key: z.string().min(1).max(1024),
  objectVersion: z.string().max(1024).optional(),
});

export const UpdateRequest = z
  .object({
    expectedVersionId: z.number().int().min(1),
    code: CodeLocation.optional(),
    parallelism: z
      .object({
        parallelism: z.number().int().min(1).max(4096),
        parallelismPerKpu: z.number().int().min(1).max(8),
        autoScaling: z.boolean(),
      })
      .optional(),
    checkpointing: z
      .union([
        z.object({ configurationType: z.literal('DEFAULT') }),
        z.object({
          configurationType: z.literal('CUSTOM'),
          enabled: z.boolean(),
          intervalMs: z.number().int().min(1),
          minPauseMs: z.number().int().min(0),
        }),
      ])
      .optional(),
    properties: z
      .array(
        z.object({
          groupId: z.string().regex(/^[a-zA-Z0-9_.-]{1,50}$/),
          properties: z.record(z.string().min(1).max(2048), z.string().min(1).max(2048)),
        }),
      )
      .max(50)
      .optional(),
    snapshotsEnabled: z.boolean().optional(),
    systemRollbackEnabled: z.boolean().optional(),
    /** Restore even if the new code drops operators that hold state. */
    allowNonRestoredState: z.boolean().optional(),
  })
  .refine(
    (u) =>
      u.code !== undefined ||
      u.parallelism !== undefined ||
      u.checkpointing !== undefined ||
      u.properties !== undefined ||
      u.snapshotsEnabled !== undefined ||
      u.systemRollbackEnabled !== undefined ||
      u.allowNonRestoredState !== undefined,
    { message: 'an update must change something' },
  );
export type UpdateRequest = z.input<typeof UpdateRequest>;

export const EncryptionRequest = z
  .object({
    expectedVersionId: z.number().int().min(1),
    keyType: KeyType,
    keyId: z.string().min(1).max(2048).optional(),
  })
  .refine((r) => r.keyType === 'AWS_OWNED_KEY' || r.keyId !== undefined, {
    message: 'keyId is required for CUSTOMER_MANAGED_KEY',
    path: ['keyId'],
  });
export type EncryptionRequest = z.input<typeof EncryptionRequest>;

export const CreateSnapshotRequest = z.object({ name: SnapshotName });
export type CreateSnapshotRequest = z.input<typeof CreateSnapshotRequest>;

export const DeleteSnapshotRequest = z.object({ confirm: z.string() });
export type DeleteSnapshotRequest = z.input<typeof DeleteSnapshotRequest>;

export const PreflightRequest = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('start'),
    restoreType: RestoreType.default('RESTORE_FROM_LATEST_SNAPSHOT'),
    snapshotName: SnapshotName.optional(),
    allowNonRestoredState: z.boolean().default(false),
  }),
  z.object({ action: z.literal('update'), update: UpdateRequest }),
]);
export type PreflightRequest = z.input<typeof PreflightRequest>;

export const PreflightItem = z.object({
  severity: z.enum(['info', 'warning', 'blocking']),
  code: z.string(),
  message: z.string(),
});
export type PreflightItem = z.infer<typeof PreflightItem>;

export const PreflightResponse = z.object({
  /** No blocking item: the action can be expected to succeed. */
  ok: z.boolean(),
  items: z.array(PreflightItem),
  restore: z
    .object({
      snapshotName: z.string().optional(),
      keyArn: z.string().optional(),
      keyState: z.string().optional(),
    })
    .optional(),
  /** Operator uids that hold state in the snapshot to restore and that the new code no longer has; null when unknown. */
  droppedUids: z.array(z.string()).nullable(),
  kpus: z.object({ current: z.number(), next: z.number(), limit: z.number() }).optional(),
  snapshotQuota: z.object({ used: z.number(), limit: z.number() }),
});
export type PreflightResponse = z.infer<typeof PreflightResponse>;

export const ActionResponse = z.object({
  operationId: z.string().optional(),
  application: z.string(),
  message: z.string(),
});
export type ActionResponse = z.infer<typeof ActionResponse>;

export const KeyActionRequest = z.object({
  action: z.enum(['enable', 'disable', 'rotate']),
  confirm: z.string().optional(),
});
export type KeyActionRequest = z.input<typeof KeyActionRequest>;

export const LoginRequest = z.object({ username: z.string().min(1).max(128), password: z.string().min(1).max(1024) });
export type LoginRequest = z.input<typeof LoginRequest>;

export const ApplicationNameParam = z.object({ name: ApplicationName });
