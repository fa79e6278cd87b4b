/**
 * The fixes Flink's documentation gives for checkpoints that are slow or expire under backpressure, and
 * for the bottleneck behind it, change the simulated numbers the way the documentation says: buffer
 * debloating shrinks start delay and alignment, unaligned checkpoints remove the alignment and persist the
 * in-flight data instead, and more parallelism for a sink whose capacity is per subtask removes the
 * backpressure. The demo's slow-sink package (sessionizer 1.4.0) at parallelism 2 is metrics-exporter.
 */
import type { CreateApplicationRequest, PropertyGroup } from '@aws-sdk/client-kinesis-analytics-v2';
import { describe, expect, it } from 'vitest';
import {
  backpressureLevel,
  BUFFER_DEBLOAT_KEY,
  computeFlow,
  DEBLOAT_FACTOR,
  DEMO_BUCKET,
  FLINK_PROPERTY_GROUP,
  isSavepointType,
  jobOptionsFromProperties,
  parseCodePackage,
  UNALIGNED_CHECKPOINTS_ENABLED_KEY,
  UNALIGNED_CHECKPOINTS_KEY,
  utf8,
  type CheckpointRecord,
  type Engine,
  type JobState,
} from '../src/index.js';
import { ctx, newEngine, runningApp, statusPath, untilProcessing } from './helpers.js';

const SLOW = '1.4.0-slow-sink';
const HOUR = 60 * 60_000;

const flinkProperties = (map: Record<string, string>): PropertyGroup[] => [
  { PropertyGroupId: FLINK_PROPERTY_GROUP, PropertyMap: map },
];
const DEBLOAT = { [BUFFER_DEBLOAT_KEY]: 'true' };
const UNALIGNED = { [UNALIGNED_CHECKPOINTS_KEY]: 'true' };

function config(parallelism: number, properties?: Record<string, string>): Partial<CreateApplicationRequest> {
  return {
    ApplicationConfiguration: {
      FlinkApplicationConfiguration: {
        ParallelismConfiguration: {
          ConfigurationType: 'CUSTOM',
          Parallelism: parallelism,
          ParallelismPerKPU: 1,
          AutoScalingEnabled: false,
        },
      },
      ...(properties ? { EnvironmentProperties: { PropertyGroups: flinkProperties(properties) } } : {}),
    },
  };
}

function job(e: Engine, name: string): JobState {
  const key = e.core.appKey(ctx, name);
  e.flink.settle(key);
  return e.flink.cluster(key)!.job!;
}

/**
 * Advances `ms` a minute at a time and returns a copy of every checkpoint (not savepoint) that ended, by
 * id: the history keeps only the last ten, and its records are reused.
 */
function collect(e: Engine, name: string, ms: number): Map<number, CheckpointRecord> {
  const seen = new Map<number, CheckpointRecord>();
  for (let t = 0; t < ms; t += 60_000) {
    e.advanceBy(60_000);
    for (const c of job(e, name).checkpoints.history)
      if (c.status !== 'IN_PROGRESS' && !isSavepointType(c.type)) seen.set(c.id, structuredClone(c));
  }
  return seen;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** Runs the slow-sink job for three hours with the given properties (same seed: the same random draws). */
function slowRun(properties?: Record<string, string>) {
  const e = newEngine();
  runningApp(e, 'metrics-exporter', SLOW, config(2, properties));
  const records = collect(e, 'metrics-exporter', 3 * HOUR);
  return { e, records: [...records.values()], counts: job(e, 'metrics-exporter').checkpoints.counts };
}

function update(e: Engine, name: string, u: Parameters<Engine['kinesisAnalytics']['updateApplication']>[1]) {
  const app = e.core.requireApp(ctx, name);
  const r = e.kinesisAnalytics.updateApplication(ctx, { CurrentApplicationVersionId: app.versionId, ...u });
  statusPath(e, name);
  untilProcessing(e, name);
  return r;
}

describe('runtime properties → Flink options of the job', () => {
  it('reads FlinkApplicationProperties: "true" in any case, the 1.20 key over the older one', () => {
    expect(jobOptionsFromProperties(undefined)).toBeUndefined();
    expect(jobOptionsFromProperties(flinkProperties({ [BUFFER_DEBLOAT_KEY]: 'false' }))).toBeUndefined();
    expect(jobOptionsFromProperties([{ PropertyGroupId: 'Other', PropertyMap: DEBLOAT }])).toBeUndefined();
    expect(jobOptionsFromProperties(flinkProperties({ [BUFFER_DEBLOAT_KEY]: ' TRUE ' }))).toEqual({
      bufferDebloat: true,
    });
    expect(
      jobOptionsFromProperties(
        flinkProperties({ [UNALIGNED_CHECKPOINTS_KEY]: 'true', [UNALIGNED_CHECKPOINTS_ENABLED_KEY]: 'false' }),
      ),
    ).toBeUndefined();
    expect(jobOptionsFromProperties(flinkProperties({ ...UNALIGNED, ...DEBLOAT }))).toEqual({
      unalignedCheckpoints: true,
      bufferDebloat: true,
    });
  });

  it('reach the job at its next deploy: an UpdateApplication restarts it with the new version', () => {
    const e = newEngine();
    runningApp(e, 'app', SLOW, config(2));
    const before = job(e, 'app');
    expect(before.options).toBeUndefined();
    update(e, 'app', {
      ApplicationName: 'app',
      ApplicationConfigurationUpdate: { EnvironmentPropertyUpdates: { PropertyGroups: flinkProperties(DEBLOAT) } },
    });
    const after = job(e, 'app');
    expect(after.jid).not.toBe(before.jid);
    expect(after.options).toEqual({ bufferDebloat: true });
    // Removing the property takes it away at the next deploy too.
    update(e, 'app', {
      ApplicationName: 'app',
      ApplicationConfigurationUpdate: { EnvironmentPropertyUpdates: { PropertyGroups: [] } },
    });
    expect(job(e, 'app').options).toBeUndefined();
  });
});

describe('checkpoints of the slow-sink job (metrics-exporter, parallelism 2)', () => {
  const aligned = slowRun();
  const debloat = slowRun(DEBLOAT);
  const unaligned = slowRun(UNALIGNED);

  it('aligned: barriers queue behind backpressured buffers, checkpoints take minutes and some expire', () => {
    expect(computeFlow(job(aligned.e, 'metrics-exporter')).maxBackpressured).toBeGreaterThan(0.5);
    expect(aligned.counts.failed).toBeGreaterThan(0);
    const expired = aligned.records.filter((c) => c.status === 'FAILED');
    expect(expired.every((c) => c.failureMessage === 'Checkpoint expired before completing.')).toBe(true);
    expect(mean(aligned.records.map((c) => c.alignmentDurationMs))).toBeGreaterThan(300_000);
    expect(mean(aligned.records.map((c) => c.startDelayMs))).toBeGreaterThan(5_000);
    for (const c of aligned.records) {
      expect(c.type).toBe('CHECKPOINT');
      // Aligned checkpoints persist no in-flight data.
      expect(c.persistedData).toBe(0);
    }
  });

  it('buffer debloating: start delay and alignment drop to DEBLOAT_FACTOR of the aligned values, none expire', () => {
    expect(debloat.counts.failed).toBe(0);
    expect(debloat.counts.completed).toBeGreaterThan(aligned.counts.completed * 3);
    // The same seed draws the same numbers for the same checkpoint id; debloating scales them.
    const byId = new Map(aligned.records.map((c) => [c.id, c]));
    const pairs = debloat.records.filter((c) => byId.has(c.id)).map((c) => [byId.get(c.id)!, c] as const);
    expect(pairs.length).toBeGreaterThanOrEqual(10);
    for (const [a, d] of pairs) {
      expect(Math.abs(d.startDelayMs - a.startDelayMs * DEBLOAT_FACTOR)).toBeLessThanOrEqual(1);
      expect(Math.abs(d.alignmentDurationMs - a.alignmentDurationMs * DEBLOAT_FACTOR)).toBeLessThanOrEqual(1);
      expect(d.processedData).toBeLessThan(a.processedData);
    }
    const ratio =
      mean(debloat.records.map((c) => c.alignmentDurationMs)) / mean(aligned.records.map((c) => c.alignmentDurationMs));
    expect(ratio).toBeGreaterThan(0.08);
    expect(ratio).toBeLessThan(0.25);
    expect(Math.max(...debloat.records.map((c) => c.endToEndDuration))).toBeLessThan(
      job(debloat.e, 'metrics-exporter').checkpoints.timeout / 2,
    );
    for (const c of debloat.records) expect(c.persistedData).toBe(0);
    // Throughput is unchanged: the sink still keeps up with 35% of the input.
    expect(computeFlow(job(debloat.e, 'metrics-exporter')).throughputFactor).toBeCloseTo(0.35, 5);
  });

  it('unaligned: no alignment, a short start delay, the in-flight data persisted, none expire', () => {
    expect(unaligned.counts.failed).toBe(0);
    expect(unaligned.records.length).toBeGreaterThanOrEqual(10);
    for (const c of unaligned.records) {
      expect(c.type).toBe('UNALIGNED_CHECKPOINT');
      expect(c.status).toBe('COMPLETED');
      expect(c.alignmentDurationMs).toBeLessThanOrEqual(5);
      expect(c.startDelayMs).toBeLessThan(100);
      expect(c.endToEndDuration).toBeLessThan(5_000);
      expect(c.persistedData).toBeGreaterThan(500_000);
      // The in-flight data is uploaded with the state: it is part of the checkpointed size.
      const perVertex = Object.values(c.perVertex).reduce((n, v) => n + v.checkpointedSize, 0);
      expect(perVertex).toBe(c.checkpointedSize);
      expect(c.checkpointedSize).toBeGreaterThan(c.persistedData);
    }
  });

  it('unaligned with debloating persists less in-flight data', () => {
    const both = slowRun({ ...UNALIGNED, ...DEBLOAT });
    expect(both.counts.failed).toBe(0);
    const persisted = (r: typeof both) => mean(r.records.map((c) => c.persistedData));
    expect(persisted(both)).toBeGreaterThan(0);
    expect(persisted(both)).toBeLessThan(persisted(unaligned) * 0.3);
  });

  it('savepoints stay aligned', () => {
    const e = newEngine();
    runningApp(e, 'metrics-exporter', SLOW, config(2, UNALIGNED));
    e.advanceBy(10 * 60_000);
    e.kinesisAnalytics.createApplicationSnapshot(ctx, { ApplicationName: 'metrics-exporter', SnapshotName: 's1' });
    e.advanceBy(2 * 60_000);
    const cp = job(e, 'metrics-exporter').checkpoints;
    const savepoint = cp.latestSavepoint!;
    expect(isSavepointType(savepoint.type)).toBe(true);
    expect(savepoint.persistedData).toBe(0);
    expect(cp.latestCompleted!.type).toBe('UNALIGNED_CHECKPOINT');
    expect(isSavepointType('UNALIGNED_CHECKPOINT')).toBe(false);
  });

  it('CloudWatch lastCheckpointDuration and lastCheckpointSize follow the model', () => {
    const last = (r: typeof aligned, metric: 'lastCheckpointDuration' | 'lastCheckpointSize') =>
      r.e.telemetry.metrics.query(r.e.core.appKey(ctx, 'metrics-exporter'), metric, 0, r.e.now()).at(-1)!.value;
    expect(last(aligned, 'lastCheckpointDuration')).toBeGreaterThan(60_000);
    expect(last(debloat, 'lastCheckpointDuration')).toBeLessThan(last(aligned, 'lastCheckpointDuration'));
    expect(last(unaligned, 'lastCheckpointDuration')).toBeLessThan(5_000);
    const latest = job(unaligned.e, 'metrics-exporter').checkpoints.latestCompleted!;
    expect(last(unaligned, 'lastCheckpointSize')).toBe(latest.checkpointedSize);
  });
});

describe('parallelism and a sink whose capacity is per subtask', () => {
  it('2 → 6 through UpdateApplication removes the backpressure and shortens the checkpoints', () => {
    const e = newEngine();
    runningApp(e, 'metrics-exporter', SLOW, config(2));
    const before = collect(e, 'metrics-exporter', HOUR);
    const flow2 = computeFlow(job(e, 'metrics-exporter'));
    expect(backpressureLevel(flow2.maxBackpressured)).toBe('high');
    expect(flow2.throughputFactor).toBeCloseTo(0.35, 5);
    update(e, 'metrics-exporter', {
      ApplicationName: 'metrics-exporter',
      ApplicationConfigurationUpdate: {
        FlinkApplicationConfigurationUpdate: {
          ParallelismConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', ParallelismUpdate: 6 },
        },
      },
    });
    const j = job(e, 'metrics-exporter');
    expect(j.vertices.map((v) => v.parallelism)).toEqual([6, 6, 6]);
    const flow6 = computeFlow(j);
    expect(flow6.throughputFactor).toBe(1);
    expect(flow6.maxBackpressured).toBeLessThan(0.1);
    expect(backpressureLevel(flow6.maxBackpressured)).toBe('ok');
    // The sink now runs near its capacity: busy, but keeping up.
    const sink = flow6.vertices.get(j.vertices.at(-1)!.id)!;
    expect(sink.busy).toBeGreaterThan(0.9);
    expect(sink.backpressured).toBe(0);
    const after = collect(e, 'metrics-exporter', HOUR);
    const fresh = [...after.values()].filter((c) => c.triggerTimestamp >= j.startTime);
    expect(fresh.length).toBeGreaterThan(10);
    expect(fresh.every((c) => c.status === 'COMPLETED')).toBe(true);
    expect(mean(fresh.map((c) => c.endToEndDuration))).toBeLessThan(
      mean([...before.values()].map((c) => c.endToEndDuration)) / 10,
    );
    const metrics = e.telemetry.metrics.query(
      e.core.appKey(ctx, 'metrics-exporter'),
      'backPressuredTimeMsPerSecond',
      0,
      e.now(),
    );
    expect(metrics.at(-1)!.value).toBe(0);
  });

  it('capacity grows in proportion: parallelism 4 keeps up with 70% of the input', () => {
    const e = newEngine();
    runningApp(e, 'app', SLOW, config(4));
    const flow = computeFlow(job(e, 'app'));
    expect(flow.throughputFactor).toBeCloseTo(0.7, 5);
    expect(backpressureLevel(flow.maxBackpressured)).toBe('low');
  });

  it('an older manifest without scalesWithParallelism keeps the same capacity at any parallelism', () => {
    const fixed = {
      mfcManifest: 1,
      name: 'fixed-slow',
      mainClass: 'com.example.Sessionizer',
      operators: [
        { uid: 'source-clicks', name: 'Source: Kinesis clicks', recordsPerSecond: 4000 },
        { uid: 'sessions', name: 'Sessions', inputs: ['source-clicks'], partitioning: 'HASH', selectivity: 0.05 },
        { uid: 'sink-prometheus', name: 'Sink: Prometheus', inputs: ['sessions'] },
      ],
      faults: [{ kind: 'slow-sink', operator: 'sink-prometheus', capacityFactor: 0.35 }],
    };
    const factors = [2, 6].map((p) => {
      const e = newEngine();
      e.artifacts.put(DEMO_BUCKET, 'sessionizer/sessionizer-9.0.0-fixed-slow.jar', utf8(JSON.stringify(fixed)));
      runningApp(e, 'app', '9.0.0-fixed-slow', config(p));
      return computeFlow(job(e, 'app')).throughputFactor;
    });
    expect(factors[0]).toBeCloseTo(0.35, 5);
    expect(factors[1]).toBeCloseTo(0.35, 5);
  });
});

describe('the manifest fields', () => {
  const manifest = (fault: Record<string, unknown>) =>
    utf8(
      JSON.stringify({
        mfcManifest: 1,
        name: 'm',
        mainClass: 'M',
        operators: [
          { uid: 'a', name: 'A' },
          { uid: 'b', name: 'B', inputs: ['a'] },
        ],
        faults: [fault],
      }),
    );

  it('accepts scalesWithParallelism with a referenceParallelism on slow faults', () => {
    const p = parseCodePackage(
      manifest({
        kind: 'slow-sink',
        operator: 'b',
        capacityFactor: 0.5,
        scalesWithParallelism: true,
        referenceParallelism: 3,
      }),
    );
    expect(p.isManifest).toBe(true);
    expect(p.manifest.faults[0]).toMatchObject({ scalesWithParallelism: true, referenceParallelism: 3 });
    expect(parseCodePackage(manifest({ kind: 'backpressure', scalesWithParallelism: true })).isManifest).toBe(true);
  });

  it('rejects them elsewhere, and a referenceParallelism without scaling', () => {
    const other = parseCodePackage(manifest({ kind: 'fail-after', scalesWithParallelism: true }));
    expect(other.isManifest).toBe(false);
    expect(other.problem).toMatch(/slow-sink and backpressure only/);
    const ref = parseCodePackage(manifest({ kind: 'slow-sink', referenceParallelism: 2 }));
    expect(ref.problem).toMatch(/referenceParallelism needs scalesWithParallelism/);
    expect(
      parseCodePackage(manifest({ kind: 'slow-sink', scalesWithParallelism: true, referenceParallelism: 0 }))
        .isManifest,
    ).toBe(false);
  });

  it('leave older manifests as they were', () => {
    const p = parseCodePackage(manifest({ kind: 'slow-sink', capacityFactor: 0.35 }));
    expect(p.manifest.faults[0]).toEqual({ kind: 'slow-sink', capacityFactor: 0.35 });
  });
});

describe('a healthy job (negative case)', () => {
  function healthy(properties?: Record<string, string>) {
    const e = newEngine();
    runningApp(e, 'app', '1.0.0', config(2, properties));
    return { e, records: collect(e, 'app', HOUR) };
  }

  it('is unchanged by the options: barriers do not queue without backpressure', () => {
    const plain = healthy();
    const debloated = healthy(DEBLOAT);
    const both = healthy({ ...DEBLOAT, ...UNALIGNED });
    expect(computeFlow(job(plain.e, 'app')).maxBackpressured).toBe(0);
    // Debloating alone changes nothing at all: the same history, number for number.
    expect(JSON.stringify([...debloated.records.values()])).toBe(JSON.stringify([...plain.records.values()]));
    expect(both.records.size).toBe(plain.records.size);
    for (const [id, c] of both.records) {
      const p = plain.records.get(id)!;
      expect(c.status).toBe('COMPLETED');
      expect(c.type).toBe('UNALIGNED_CHECKPOINT');
      expect(c.startDelayMs).toBe(p.startDelayMs);
      expect(c.alignmentDurationMs).toBe(p.alignmentDurationMs);
      expect(c.syncDurationMs).toBe(p.syncDurationMs);
      // Nearly empty buffers: a little in-flight data, a few ms more upload at most.
      expect(c.persistedData).toBeLessThan(100_000);
      expect(Math.abs(c.endToEndDuration - p.endToEndDuration)).toBeLessThan(p.endToEndDuration * 0.35 + 5);
    }
  });
});

describe('determinism with the options', () => {
  function script(seed: string) {
    const e = newEngine({ seed });
    runningApp(e, 'metrics-exporter', SLOW, config(2, UNALIGNED));
    e.advanceBy(30 * 60_000);
    update(e, 'metrics-exporter', {
      ApplicationName: 'metrics-exporter',
      ApplicationConfigurationUpdate: {
        EnvironmentPropertyUpdates: { PropertyGroups: flinkProperties(DEBLOAT) },
        FlinkApplicationConfigurationUpdate: {
          ParallelismConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', ParallelismUpdate: 4 },
        },
      },
    });
    e.advanceBy(30 * 60_000);
    return e;
  }

  it('the same seed gives the same history', () => {
    expect(JSON.stringify(script('s-1').dump())).toBe(JSON.stringify(script('s-1').dump()));
    expect(JSON.stringify(script('s-1').dump())).not.toBe(JSON.stringify(script('s-2').dump()));
  });
});
