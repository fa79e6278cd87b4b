/**
 * Code packages preloaded into s3://mfc-demo-artifacts: a four-operator clickstream sessionizer and the
 * faulty variants the demos and tests deploy.
 */
import type { Manifest, OperatorSpec } from '../flink/manifest.js';

export const DEMO_BUCKET = 'mfc-demo-artifacts';
export const DEMO_BUCKET_ARN = `arn:aws:s3:::${DEMO_BUCKET}`;

const source: OperatorSpec = { uid: 'source-clicks', name: 'Source: Kinesis clicks', recordsPerSecond: 4000 };
const enrich: OperatorSpec = {
  uid: 'enrich',
  name: 'Enrich with user profile',
  inputs: ['source-clicks'],
  chain: true,
  stateMbPerSubtask: 8,
};
const sessions: OperatorSpec = {
  uid: 'sessions',
  name: 'Session window 30 min',
  inputs: ['enrich'],
  partitioning: 'HASH',
  stateMbPerSubtask: 120,
  selectivity: 0.05,
};
const sink: OperatorSpec = { uid: 'sink-prometheus', name: 'Sink: Prometheus', inputs: ['sessions'] };

const base = (version: string, operators: OperatorSpec[], faults: Manifest['faults'] = []): Manifest => ({
  mfcManifest: 1,
  name: 'clickstream-sessionizer',
  version,
  mainClass: 'com.example.Sessionizer',
  operators,
  faults,
});

export const DEMO_ARTIFACTS: Record<string, Manifest> = {
  'sessionizer/sessionizer-1.0.0.jar': base('1.0.0', [source, enrich, sessions, sink]),
  'sessionizer/sessionizer-1.1.0.jar': base('1.1.0', [
    source,
    {
      uid: 'dedupe',
      name: 'Deduplicate clicks',
      inputs: ['source-clicks'],
      partitioning: 'HASH',
      stateMbPerSubtask: 40,
      selectivity: 0.97,
    },
    { ...enrich, inputs: ['dedupe'] },
    sessions,
    sink,
  ]),
  'sessionizer/sessionizer-1.2.0-bad-main.jar': base(
    '1.2.0',
    [source, enrich, sessions, sink],
    [
      {
        kind: 'main-throws',
        exception: "java.lang.IllegalArgumentException: Missing required runtime property 'session.gap.minutes'",
      },
    ],
  ),
  'sessionizer/sessionizer-1.3.0-poison-pill.jar': base(
    '1.3.0',
    [source, enrich, sessions, sink],
    [
      {
        kind: 'fail-after',
        operator: 'sessions',
        afterSeconds: 8,
        exception:
          'java.lang.NullPointerException: Cannot invoke "com.example.UserProfile.segment()" because "profile" is null',
      },
    ],
  ),
  'sessionizer/sessionizer-1.4.0-slow-sink.jar': base(
    '1.4.0',
    [source, enrich, sessions, sink],
    // The sink's capacity is per subtask: 35% of the input at parallelism 2, all of it from 6.
    [
      {
        kind: 'slow-sink',
        operator: 'sink-prometheus',
        capacityFactor: 0.35,
        scalesWithParallelism: true,
        referenceParallelism: 2,
      },
    ],
  ),
  'sessionizer/sessionizer-1.5.0-missing-main.jar': base(
    '1.5.0',
    [source, enrich, sessions, sink],
    [{ kind: 'missing-main-class' }],
  ),
  'sessionizer/sessionizer-1.6.0-fail-on-init.jar': base(
    '1.6.0',
    [source, enrich, sessions, sink],
    [
      {
        kind: 'fail-on-init',
        operator: 'enrich',
        exception: 'java.io.IOException: Could not connect to profile store at profiles.internal:6379',
      },
    ],
  ),
  'sessionizer/sessionizer-1.7.0-fail-on-restore.jar': base(
    '1.7.0',
    [source, enrich, sessions, sink],
    [
      {
        kind: 'fail-on-restore',
        operator: 'sessions',
        exception:
          'org.apache.flink.util.StateMigrationException: The new state serializer for operator state must not be incompatible with the old state serializer.',
      },
    ],
  ),
  // The session window's state is never cleared (a missing trigger): it grows for as long as the job runs.
  'sessionizer/sessionizer-1.8.0-state-leak.jar': base(
    '1.8.0',
    [source, enrich, sessions, sink],
    [{ kind: 'state-leak', operator: 'sessions', mbPerHour: 200 }],
  ),
  'sessionizer/sessionizer-2.0.0-drops-enrich.jar': base('2.0.0', [
    source,
    { ...sessions, inputs: ['source-clicks'] },
    sink,
  ]),
};
