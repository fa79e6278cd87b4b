/**
 * The code package manifest: the "JAR" of the simulation (see DESIGN.md). Any object whose body parses
 * as this is a code package; any other body runs as the default three-operator job.
 */
import { z } from 'zod';
import { fromUtf8 } from '../util/bytes.js';

export const FAULT_KINDS = [
  'missing-main-class',
  'main-throws',
  'fail-on-init',
  'fail-after',
  'slow-sink',
  'backpressure',
  'fail-on-restore',
  'state-leak',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const SHIP_STRATEGIES = ['FORWARD', 'HASH', 'REBALANCE'] as const;
export type ShipStrategy = (typeof SHIP_STRATEGIES)[number];

const operatorSchema = z.object({
  uid: z.string().min(1).max(128),
  name: z.string().min(1).max(256),
  inputs: z.array(z.string()).optional(),
  chain: z.boolean().optional(),
  partitioning: z.enum(SHIP_STRATEGIES).optional(),
  /** Fixed operator parallelism (e.g. 1 for a non-parallel source); defaults to the job's. */
  parallelism: z.number().int().min(1).max(4096).optional(),
  /** Source rate, records per second for the whole operator. */
  recordsPerSecond: z.number().min(0).optional(),
  /** Capacity, records per second for the whole operator; input above it causes backpressure. */
  maxRecordsPerSecond: z.number().min(0).optional(),
  /** Output records per input record (a window emits fewer than it reads). */
  selectivity: z.number().min(0).max(1000).optional(),
  stateMbPerSubtask: z.number().min(0).max(1_000_000).optional(),
});

const faultSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  operator: z.string().optional(),
  afterSeconds: z.number().min(0).optional(),
  exception: z.string().max(4000).optional(),
  /** For slow-sink/backpressure: fraction of the demand the operator can keep up with (0..1). */
  capacityFactor: z.number().min(0.01).max(1).optional(),
  /**
   * For slow-sink/backpressure: the capacity is per subtask. `capacityFactor` holds at
   * `referenceParallelism` (default 1) and the capacity scales with the operator's parallelism, so more
   * parallelism relieves the bottleneck. Without it the capacity is the same at any parallelism.
   */
  scalesWithParallelism: z.boolean().optional(),
  referenceParallelism: z.number().int().min(1).max(4096).optional(),
  /** For state-leak: MB of state each subtask of the operator adds every hour and never clears. */
  mbPerHour: z.number().min(0).max(1_000_000).optional(),
});

/** Fault kinds that slow an operator down (and take the capacity fields). */
export const SLOW_FAULT_KINDS: readonly FaultKind[] = ['slow-sink', 'backpressure'];

export const manifestSchema = z
  .object({
    mfcManifest: z.literal(1),
    name: z.string().min(1).max(256),
    version: z.string().max(64).default('0.0.0'),
    mainClass: z.string().min(1).max(512),
    operators: z.array(operatorSchema).min(1).max(512),
    faults: z.array(faultSchema).max(32).default([]),
  })
  .superRefine((m, ctx) => {
    const uids = new Set<string>();
    for (const op of m.operators) {
      if (uids.has(op.uid)) ctx.addIssue({ code: 'custom', message: `duplicate operator uid ${op.uid}` });
      uids.add(op.uid);
    }
    for (const op of m.operators)
      for (const input of op.inputs ?? [])
        if (!uids.has(input)) ctx.addIssue({ code: 'custom', message: `operator ${op.uid} reads unknown ${input}` });
    for (const f of m.faults) {
      if (f.operator && !uids.has(f.operator))
        ctx.addIssue({ code: 'custom', message: `fault ${f.kind} names unknown operator ${f.operator}` });
      if (
        (f.scalesWithParallelism !== undefined || f.referenceParallelism !== undefined) &&
        !SLOW_FAULT_KINDS.includes(f.kind)
      )
        ctx.addIssue({
          code: 'custom',
          message: `fault ${f.kind}: scalesWithParallelism and referenceParallelism apply to slow-sink and backpressure only`,
        });
      if (f.kind === 'state-leak' && (!f.operator || f.mbPerHour === undefined))
        ctx.addIssue({ code: 'custom', message: 'fault state-leak needs operator and mbPerHour' });
      if (f.mbPerHour !== undefined && f.kind !== 'state-leak')
        ctx.addIssue({ code: 'custom', message: `fault ${f.kind}: mbPerHour applies to state-leak only` });
      if (f.referenceParallelism !== undefined && f.scalesWithParallelism !== true)
        ctx.addIssue({
          code: 'custom',
          message: `fault ${f.kind}: referenceParallelism needs scalesWithParallelism: true`,
        });
    }
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type OperatorSpec = Manifest['operators'][number];
export type FaultSpec = Manifest['faults'][number];

/** What an application runs when its code is not a manifest: a plain three-operator job. */
export const DEFAULT_JOB: Manifest = {
  mfcManifest: 1,
  name: 'Flink Streaming Job',
  version: '0.0.0',
  mainClass: 'com.amazonaws.services.msf.StreamingJob',
  operators: [
    { uid: 'source', name: 'Source: Kinesis source', recordsPerSecond: 1000 },
    { uid: 'map', name: 'Map', inputs: ['source'], chain: true },
    { uid: 'sink', name: 'Sink: Kinesis sink', inputs: ['map'], partitioning: 'REBALANCE' },
  ],
  faults: [],
};

export interface ParsedPackage {
  manifest: Manifest;
  /** False when the body was not a manifest and the default job runs. */
  isManifest: boolean;
  /** Why a body that looked like a manifest was rejected. */
  problem?: string;
}

export function parseCodePackage(body: Uint8Array | undefined): ParsedPackage {
  if (!body || body.length === 0) return { manifest: DEFAULT_JOB, isManifest: false };
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(body));
  } catch {
    return { manifest: DEFAULT_JOB, isManifest: false };
  }
  if (typeof json !== 'object' || json === null || !('mfcManifest' in json))
    return { manifest: DEFAULT_JOB, isManifest: false };
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    return {
      manifest: DEFAULT_JOB,
      isManifest: false,
      problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    };
  return { manifest: parsed.data, isManifest: true };
}

export function faultOf(manifest: Manifest, kind: FaultKind): FaultSpec | undefined {
  return manifest.faults.find((f) => f.kind === kind);
}
