/** Shapes shared across the API: statuses, errors, encryption, operations. */
import { z } from 'zod';

export const APPLICATION_STATUSES = [
  'DELETING',
  'STARTING',
  'STOPPING',
  'READY',
  'RUNNING',
  'UPDATING',
  'AUTOSCALING',
  'FORCE_STOPPING',
  'ROLLING_BACK',
  'MAINTENANCE',
  'ROLLED_BACK',
] as const;
export const ApplicationStatus = z.enum(APPLICATION_STATUSES);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

export const RESTORE_TYPES = [
  'RESTORE_FROM_LATEST_SNAPSHOT',
  'RESTORE_FROM_CUSTOM_SNAPSHOT',
  'SKIP_RESTORE_FROM_SNAPSHOT',
] as const;
export const RestoreType = z.enum(RESTORE_TYPES);
export type RestoreType = z.infer<typeof RestoreType>;

/** Application names as the service allows them. */
export const ApplicationName = z
  .string()
  .regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'an application name is 1–128 characters of a-z, A-Z, 0-9, _ . -');
export const SnapshotName = z
  .string()
  .regex(/^[a-zA-Z0-9_.-]{1,256}$/, 'a snapshot name is 1–256 characters of a-z, A-Z, 0-9, _ . -');

/** Every error the BFF answers with: the AWS error name and message kept when AWS said no. */
export const ErrorBody = z.object({
  error: z.object({
    name: z.string(),
    message: z.string(),
    status: z.number().int(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const KeyType = z.enum(['AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KEY']);
export type KeyType = z.infer<typeof KeyType>;

export const KeyState = z.enum([
  'Enabled',
  'Disabled',
  'PendingDeletion',
  'PendingImport',
  'Unavailable',
  'Creating',
  'Updating',
  'PendingReplicaDeletion',
]);

export const KeyRef = z.object({
  keyType: KeyType,
  /** As configured (ARN, key id, alias name or alias ARN). */
  keyId: z.string().optional(),
  /** Resolved key ARN, when the key could be described. */
  keyArn: z.string().optional(),
  /** State of the key now: a snapshot on a disabled key cannot be restored. */
  keyState: z.string().optional(),
  aliases: z.array(z.string()).optional(),
});
export type KeyRef = z.infer<typeof KeyRef>;

export const OPERATION_PHASES = [
  'provisioning',
  'snapshot',
  'stopping',
  'restoring',
  'initializing',
  'running',
] as const;
export const OperationPhase = z.enum(OPERATION_PHASES);
export type OperationPhase = z.infer<typeof OperationPhase>;

export const OperationView = z.object({
  id: z.string(),
  operation: z.string(),
  status: z.enum(['IN_PROGRESS', 'CANCELLED', 'SUCCESSFUL', 'FAILED']),
  startTime: z.number(),
  endTime: z.number().optional(),
  versionFrom: z.number().optional(),
  versionTo: z.number().optional(),
  errorString: z.string().optional(),
  rollbackOperationId: z.string().optional(),
  /** Phases inferred from what the service shows (status, snapshots, job state); the current one last. */
  phases: z.array(z.object({ name: OperationPhase, state: z.enum(['done', 'active', 'pending']) })).optional(),
  /** 0..1 through the phases. */
  progress: z.number().min(0).max(1).optional(),
  /** When processing stopped and resumed inside the operation (updates). */
  downtime: z.object({ start: z.number(), end: z.number().optional() }).optional(),
});
export type OperationView = z.infer<typeof OperationView>;

/** The signals that can flag an application as needing attention (the BFF's rules table, apps/bff/src/health). */
export const HEALTH_SIGNALS = [
  'restart-loop',
  'job-state',
  'subtasks-failed',
  'new-exceptions',
  'checkpoints-failing',
  'checkpoints-stale',
  'operation-failed',
  'job-unreadable',
] as const;
export const HealthSignal = z.enum(HEALTH_SIGNALS);
export type HealthSignal = z.infer<typeof HealthSignal>;

/** The tabs of the application page that show a signal's evidence (a subset of the console's tabs). */
export const EVIDENCE_TABS = ['job', 'checkpoints', 'metrics', 'operations', 'logs'] as const;
export const EvidenceTab = z.enum(EVIDENCE_TABS);
export type EvidenceTab = z.infer<typeof EvidenceTab>;

export const AttentionSignal = z.object({
  signal: HealthSignal,
  /** One sentence for the operator. */
  message: z.string(),
  /** Where the evidence is. */
  tab: EvidenceTab.optional(),
  /** Since when the signal holds (epoch ms, service time), when known. */
  since: z.number().optional(),
});
export type AttentionSignal = z.infer<typeof AttentionSignal>;

export const Attention = z.object({
  flag: z.boolean(),
  /** The signals' messages, in the same order (kept for clients that predate `signals`). */
  reasons: z.array(z.string()),
  signals: z.array(AttentionSignal),
});
export type Attention = z.infer<typeof Attention>;
