/** Snapshots, keys, metrics, logs, audit, session, health: the rest of what the console reads. */
import { z } from 'zod';
import { Role } from './actions.js';
import { KeyRef } from './common.js';

export const SnapshotView = z.object({
  name: z.string(),
  status: z.enum(['CREATING', 'READY', 'DELETING', 'FAILED']),
  versionId: z.number().int(),
  createdAt: z.number(),
  runtime: z.string().optional(),
  encryption: KeyRef,
  /** Things an operator should know before restoring it: 'key-disabled', 'key-missing', 'older-key'. */
  flags: z.array(z.string()),
});
export type SnapshotView = z.infer<typeof SnapshotView>;

export const SnapshotsResponse = z.object({
  snapshots: z.array(SnapshotView),
  quota: z.object({ used: z.number(), limit: z.number() }),
});
export type SnapshotsResponse = z.infer<typeof SnapshotsResponse>;

export const KeyView = z.object({
  keyId: z.string(),
  arn: z.string(),
  description: z.string(),
  state: z.string(),
  aliases: z.array(z.string()),
  createdAt: z.number(),
  deletionDate: z.number().optional(),
  rotation: z.object({
    enabled: z.boolean(),
    periodDays: z.number().optional(),
    nextRotationAt: z.number().optional(),
    lastOnDemandRotationAt: z.number().optional(),
  }),
  dependents: z.object({
    applications: z.array(
      z.object({ name: z.string(), use: z.enum(['configured', 'in-effect', 'configured-and-in-effect']) }),
    ),
    snapshots: z.array(z.object({ application: z.string(), name: z.string() })),
  }),
});
export type KeyView = z.infer<typeof KeyView>;
export const KeysResponse = z.object({ keys: z.array(KeyView) });
export type KeysResponse = z.infer<typeof KeysResponse>;

export const METRIC_NAMES = [
  'fullRestarts',
  'uptime',
  'downtime',
  'lastCheckpointDuration',
  'lastCheckpointSize',
  'numberOfFailedCheckpoints',
  'numRecordsInPerSecond',
  'numRecordsOutPerSecond',
  'backPressuredTimeMsPerSecond',
  'busyTimeMsPerSecond',
  'KPUs',
  'millisBehindLatest',
] as const;
export const MetricName = z.enum(METRIC_NAMES);
export const METRIC_RANGES = ['15m', '1h', '3h', '12h', '24h'] as const;
export const MetricRange = z.enum(METRIC_RANGES);

export const MetricsResponse = z.object({
  from: z.number(),
  to: z.number(),
  periodSeconds: z.number(),
  series: z.array(z.object({ metric: MetricName, points: z.array(z.object({ t: z.number(), v: z.number() })) })),
  /** fullRestarts rising across the last 5 minutes: the job is in a fail-and-restart loop. */
  restartLoop: z.object({ active: z.boolean(), since: z.number().optional() }),
});
export type MetricsResponse = z.infer<typeof MetricsResponse>;

export const LogLine = z.object({ timestamp: z.number(), level: z.string(), message: z.string() });
export const LogsResponse = z.object({ lines: z.array(LogLine), nextToken: z.string().optional() });
export type LogsResponse = z.infer<typeof LogsResponse>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.number(),
  user: z.string(),
  role: z.string(),
  action: z.string(),
  target: z.string(),
  params: z.record(z.string(), z.unknown()),
  outcome: z.enum(['success', 'failure', 'denied']),
  operationId: z.string().optional(),
  error: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditResponse = z.object({ entries: z.array(AuditEntry), nextBefore: z.number().optional() });
export type AuditResponse = z.infer<typeof AuditResponse>;

export const SessionInfo = z.object({
  user: z.object({ name: z.string(), role: Role }),
  csrfToken: z.string(),
  mode: z.enum(['demo', 'production']),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/**
 * GET /api/session without a session in production mode: a 200 answer, not a 401, because asking
 * "am I signed in?" is not an error (a 401 here would be logged by every browser as a failed load).
 */
export const SignedOut = z.object({
  signedIn: z.literal(false),
  mode: z.enum(['demo', 'production']),
  /** Why there is no session: never signed in, signed out, expired, idle, server restarted. */
  message: z.string(),
  /**
   * The ways to sign in: 'password' (POST /api/session/login, a users file) and 'sso' (single sign-on,
   * see `sso`). Absent (an older BFF): the password form.
   */
  methods: z.array(z.enum(['password', 'sso'])).optional(),
  /** Single sign-on: the browser navigates to `loginUrl` (add ?returnTo=/path to come back there). */
  sso: z.object({ loginUrl: z.string(), label: z.string().optional() }).optional(),
});
export type SignedOut = z.infer<typeof SignedOut>;

/**
 * POST /api/session/logout after a single sign-on session, when the provider supports RP-initiated logout
 * (200; otherwise 204 without a body): the browser navigates to `endSessionUrl` to end the provider's
 * session too, or the next sign-in would go straight through as the same user.
 */
export const LogoutResponse = z.object({ endSessionUrl: z.string() });
export type LogoutResponse = z.infer<typeof LogoutResponse>;
export const SessionStatus = z.union([SessionInfo, SignedOut]);
export type SessionStatus = z.infer<typeof SessionStatus>;

export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  target: z.enum(['embedded', 'aws']),
  region: z.string(),
  endpoint: z.string().optional(),
  /** Present when the target is an emulator: the demo panel's controls. */
  emulator: z.object({ timeProfile: z.string(), speed: z.number(), now: z.number() }).optional(),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), message: z.string().optional() })),
  /** This replica: its name, its store, and the polling duties it leads (fleet, alarms, app:<name>). */
  replica: z.object({ id: z.string(), store: z.enum(['sqlite', 'postgres']), leading: z.array(z.string()) }).optional(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

export const ArtifactsResponse = z.object({
  artifacts: z.array(z.object({ bucket: z.string(), key: z.string(), size: z.number(), lastModified: z.number() })),
});
export type ArtifactsResponse = z.infer<typeof ArtifactsResponse>;

export const DemoClockRequest = z.object({
  speed: z.number().min(0).max(1000).optional(),
  advanceMs: z.number().int().min(0).max(86_400_000).optional(),
});
export const DemoScenarioRequest = z.object({ application: z.string().optional() });
export const DemoScenariosResponse = z.object({
  scenarios: z.array(z.object({ name: z.string(), description: z.string(), params: z.array(z.string()) })),
});
export type DemoScenariosResponse = z.infer<typeof DemoScenariosResponse>;
export type DemoClockRequest = z.input<typeof DemoClockRequest>;
