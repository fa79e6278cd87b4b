/** Test data shaped by the contracts: one looping application, one ready, one healthy. */
import {
  allowedActions,
  type ApplicationStatus,
  type ApplicationView,
  type Attention,
  type AttentionSignal,
  type FleetApplication,
  type HealthSignal,
  type JobView,
} from '@mfc/contracts';

/** An attention raised by the signals given, as the BFF answers it (reasons = the messages). */
export function attention(
  ...pairs: [HealthSignal, string, Partial<Omit<AttentionSignal, 'signal' | 'message'>>?][]
): Attention {
  const signals = pairs.map(([signal, message, more]) => ({ signal, message, ...more }));
  return { flag: signals.length > 0, reasons: signals.map((s) => s.message), signals };
}

export function fleetApp(name: string, over: Partial<FleetApplication> = {}): FleetApplication {
  return {
    name,
    arn: `arn:aws:kinesisanalytics:us-east-1:123456789012:application/${name}`,
    status: 'RUNNING',
    versionId: 1,
    runtime: 'FLINK-1_20',
    mode: 'STREAMING',
    kpus: 2,
    parallelism: 2,
    encryption: { keyType: 'AWS_OWNED_KEY' },
    jobHealth: { source: 'metrics', restartsLast5m: 0, failedCheckpointsLast5m: 0, totalRestarts: 0 },
    attention: { flag: false, reasons: [], signals: [] },
    ...over,
  };
}

export function appView(
  name: string,
  status: ApplicationStatus = 'RUNNING',
  over: Partial<ApplicationView> = {},
): ApplicationView {
  return {
    name,
    arn: `arn:aws:kinesisanalytics:us-east-1:123456789012:application/${name}`,
    status,
    versionId: 2,
    runtime: 'FLINK-1_20',
    mode: 'STREAMING',
    createTimestamp: 1_795_241_127_000,
    parallelism: {
      configurationType: 'CUSTOM',
      parallelism: 2,
      parallelismPerKpu: 1,
      currentParallelism: 2,
      autoScaling: false,
      kpus: 2,
    },
    checkpointing: { configurationType: 'DEFAULT', enabled: true, intervalMs: 60_000, minPauseMs: 5_000 },
    snapshotsEnabled: true,
    systemRollbackEnabled: false,
    code: { bucketArn: 'arn:aws:s3:::mfc-demo-artifacts', fileKey: 'sessionizer/sessionizer-1.0.0.jar' },
    properties: [],
    logging: [],
    encryption: {
      configured: { keyType: 'AWS_OWNED_KEY' },
      inEffect: { keyType: 'AWS_OWNED_KEY' },
      pendingRestart: false,
    },
    versionUpdatedFrom: 1,
    allowedActions: allowedActions(status),
    attention: { flag: false, reasons: [], signals: [] },
    ...over,
  };
}

export const VA = 'a'.repeat(32);
export const VB = 'b'.repeat(32);

export function jobView(states: { a: string[]; b: string[] }): JobView {
  return {
    available: true,
    jid: 'f'.repeat(32),
    name: 'orders',
    state: 'RUNNING',
    startTime: 0,
    durationMs: 1000,
    restarts: 3,
    fetchedAt: 1000,
    edges: [{ source: VA, target: VB, shipStrategy: 'HASH' }],
    vertices: [
      {
        id: VA,
        name: 'Source: orders',
        parallelism: states.a.length,
        status: 'RUNNING',
        subtaskStates: states.a as never,
        backpressure: 'ok',
        backpressureRatio: 0,
        busyRatio: 0.2,
        recordsInPerSecond: 0,
        recordsOutPerSecond: 100,
      },
      {
        id: VB,
        name: 'Enrich',
        parallelism: states.b.length,
        status: 'RUNNING',
        subtaskStates: states.b as never,
        backpressure: 'low',
        backpressureRatio: 0.2,
        busyRatio: 0.5,
        recordsInPerSecond: 100,
        recordsOutPerSecond: 100,
      },
    ],
  };
}
