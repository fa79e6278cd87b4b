/**
 * The advisor's rules, as data: what each reads, its thresholds, and a pure function from the facts to a
 * finding (evidence, the recommendation in words, and the change where the service lets it be applied).
 * They follow Flink's documentation on checkpointing under backpressure — buffer debloating first, then
 * unaligned checkpoints (savepoints stay aligned) — and the AWS guidance on restart loops after a deploy,
 * unbounded state and restores that drop operator uids.
 */
import {
  BUFFER_DEBLOAT_KEY,
  FLINK_PROPERTY_GROUP,
  UNALIGNED_KEY,
  type AdvisorRule,
  type ConfigChange,
  type EvidenceTab,
  type Finding,
} from '@mfc/contracts';
import type { AdvisorFacts, Point } from './facts.js';

export interface AdvisorRuleSpec {
  rule: AdvisorRule;
  /** What the rule reads, for people. */
  reads: string;
  /** The facts it needs; while any is unread the rule is not judged (and the answer says so). */
  needs: readonly ('config' | 'job' | 'checkpoints' | 'metrics' | 'operations')[];
  /** Its thresholds, for people. */
  threshold: string;
  tab: EvidenceTab;
  evaluate(f: AdvisorFacts): Omit<Finding, 'rule' | 'tab'> | undefined;
}

export const THRESHOLDS = {
  /** The barriers' wait "takes" a checkpoint when it is over this share of its duration... */
  phaseShare: 0.5,
  /** ...and the checkpoint is long: at least this, and this share of the checkpoint interval. */
  slowMs: 10_000,
  intervalShare: 0.25,
  /** A vertex is the bottleneck when at least this busy, with an upstream vertex this backpressured. */
  busy: 0.9,
  backpressured: 0.5,
  /** A restart loop counts as the deploy's when it began within this long after the update ended. */
  deployToLoopMs: 30 * 60_000,
  /** Minutes of rising fullRestarts that make a loop. */
  loopMinutes: 5,
  /** Checkpoint size (medians of ten minutes): grown this much over the hour, and this much over its second half. */
  stateGrowth: 1.5,
  lateGrowth: 1.2,
  minPoints: 60,
};

const pct = (x: number) => `${Math.round(x * 100)}%`;
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
/** "17:13 UTC, 8 min before the read". */
function when(t: number, now: number): string {
  const hhmm = new Date(t).toISOString().slice(11, 16);
  const min = Math.round((now - t) / 60_000);
  return `${hhmm} UTC, ${min <= 0 ? 'now' : `${min} min before the read`}`;
}

/** A property of the group the job reads its Flink options from (as the AWS samples do). */
function flinkProperty(f: AdvisorFacts, key: string): string | undefined {
  return f.config?.properties.find((g) => g.groupId === FLINK_PROPERTY_GROUP)?.properties[key];
}

/** An update setting one Flink option, every other property group kept as it is. */
function propertyChange(f: AdvisorFacts, key: string, value: string): Finding['change'] {
  const groups = (f.config?.properties ?? []).map((g) => ({ groupId: g.groupId, properties: { ...g.properties } }));
  let group = groups.find((g) => g.groupId === FLINK_PROPERTY_GROUP);
  if (!group) groups.push((group = { groupId: FLINK_PROPERTY_GROUP, properties: {} }));
  const from = group.properties[key];
  group.properties[key] = value;
  const diff: ConfigChange[] = [
    { path: `properties.${FLINK_PROPERTY_GROUP}.${key}`, ...(from !== undefined ? { from } : {}), to: value },
  ];
  return { kind: 'update', update: { expectedVersionId: f.versionId, properties: groups }, diff };
}

/** The checkpoints that show barriers waiting: expired ones, or the newest one's phases. */
function slowCheckpoints(f: AdvisorFacts): { evidence: Finding['evidence']; slow: boolean } | undefined {
  const cp = f.checkpoints;
  if (!cp) return undefined;
  const expired = cp.history.filter((c) => c.status === 'FAILED' && /expired/i.test(c.failure ?? ''));
  const l = cp.latest;
  const waiting = l ? l.startDelayMs + l.alignmentMs : 0;
  const waitingShare = l && l.durationMs > 0 ? waiting / l.durationMs : 0;
  const asyncShare = l && l.durationMs > 0 ? l.asyncMs / l.durationMs : 0;
  // Short checkpoints are fine whatever their phases (a healthy one is mostly its async upload): the
  // barriers' wait matters when it makes checkpoints long, or makes them expire.
  const long =
    l !== undefined && l.durationMs >= Math.max(THRESHOLDS.slowMs, THRESHOLDS.intervalShare * (cp.intervalMs ?? 0));
  const slow = expired.length > 0 || (long && waitingShare > THRESHOLDS.phaseShare);
  const evidence: Finding['evidence'] = [
    { label: 'Expired checkpoints in the history', value: `${expired.length} of ${cp.history.length}` },
  ];
  if (l)
    evidence.push(
      { label: `Checkpoint ${l.id} (${l.status.toLowerCase()})`, value: ms(l.durationMs) },
      { label: 'Barrier start delay + alignment (slowest vertex)', value: `${ms(waiting)} (${pct(waitingShare)})` },
      { label: 'Async phase (slowest vertex)', value: `${ms(l.asyncMs)} (${pct(asyncShare)})` },
    );
  if (cp.timeoutMs) evidence.push({ label: 'Checkpoint timeout', value: ms(cp.timeoutMs) });
  return { evidence, slow };
}

const maxBackpressure = (f: AdvisorFacts) => Math.max(0, ...(f.job?.vertices ?? []).map((v) => v.backpressured));

function risingSince(points: Point[], minutes: number): number | undefined {
  const recent = points.slice(-(minutes + 1));
  if (recent.length < minutes + 1) return undefined;
  for (let i = 1; i < recent.length; i++) if (recent[i]!.v <= recent[i - 1]!.v) return undefined;
  let i = points.length - 1;
  while (i > 0 && points[i - 1]!.v < points[i]!.v) i--;
  return points[i]!.t;
}

export const RULES: readonly AdvisorRuleSpec[] = [
  {
    rule: 'buffer-debloating',
    reads: 'Flink checkpoint history and the newest checkpoint’s phases per vertex; the job’s runtime properties',
    needs: ['config', 'checkpoints'],
    threshold:
      'an expired checkpoint, or one of at least 10 s (and a quarter of the interval) spent mostly waiting for barriers; debloating off',
    tab: 'checkpoints',
    evaluate(f) {
      const s = slowCheckpoints(f);
      if (!s?.slow || flinkProperty(f, BUFFER_DEBLOAT_KEY) === 'true' || flinkProperty(f, UNALIGNED_KEY) === 'true')
        return undefined;
      return {
        severity: 'warning',
        title: 'Checkpoints wait behind backpressured buffers: enable buffer debloating',
        evidence: [...s.evidence, { label: 'Highest backpressure', value: pct(maxBackpressure(f)) }],
        recommendation:
          'Turn on buffer debloating, which keeps only about a second of data in flight, so checkpoint barriers reach the operators sooner and alignment shrinks without changing throughput. Flink recommends it before unaligned checkpoints. The job reads the option from the runtime property group ' +
          `${FLINK_PROPERTY_GROUP}; the update restarts it from a snapshot.`,
        change: propertyChange(f, BUFFER_DEBLOAT_KEY, 'true'),
      };
    },
  },
  {
    rule: 'unaligned-checkpoints',
    reads: 'Flink checkpoint history and phases, with buffer debloating already on',
    needs: ['config', 'checkpoints'],
    threshold: 'still an expired checkpoint, or a long one spent mostly waiting for barriers, with debloating on',
    tab: 'checkpoints',
    evaluate(f) {
      const s = slowCheckpoints(f);
      if (!s?.slow || flinkProperty(f, BUFFER_DEBLOAT_KEY) !== 'true' || flinkProperty(f, UNALIGNED_KEY) === 'true')
        return undefined;
      if (f.checkpoints?.unaligned) return undefined;
      return {
        severity: 'warning',
        title: 'Checkpoints are still slow with buffer debloating: use unaligned checkpoints',
        evidence: s.evidence,
        recommendation:
          'Enable unaligned checkpoints: barriers overtake the in-flight data, which is stored with the checkpoint instead, so checkpoint time no longer grows with backpressure (checkpoints get bigger; savepoints stay aligned). ' +
          'Keep looking at the bottleneck: this makes checkpoints complete, not the job faster.',
        change: propertyChange(f, UNALIGNED_KEY, 'true'),
      };
    },
  },
  {
    rule: 'backpressure-bottleneck',
    reads: 'Busy and backpressured time of every vertex (Flink’s backpressure endpoint)',
    needs: ['config', 'job'],
    threshold: `a vertex at least ${pct(0.9)} busy while another is at least ${pct(0.5)} backpressured`,
    tab: 'job',
    evaluate(f) {
      const vs = f.job?.vertices ?? [];
      const bottleneck = [...vs].sort((a, b) => b.busy - a.busy)[0];
      const pressed = maxBackpressure(f);
      if (!bottleneck || !f.config || bottleneck.busy < THRESHOLDS.busy || pressed < THRESHOLDS.backpressured)
        return undefined;
      // Upstream waits this share of its time: the bottleneck keeps up with about 1 − that of the input.
      const target = Math.min(4096, Math.ceil(f.config.parallelism / Math.max(0.05, 1 - pressed)));
      const update = {
        expectedVersionId: f.versionId,
        parallelism: {
          parallelism: target,
          parallelismPerKpu: f.config.parallelismPerKpu,
          autoScaling: f.config.autoScaling,
        },
      };
      return {
        severity: 'warning',
        title: `${bottleneck.name} is the bottleneck: scale the job out`,
        evidence: [
          { label: `${bottleneck.name}, busy`, value: pct(bottleneck.busy) },
          { label: 'Highest upstream backpressure', value: pct(pressed) },
          { label: 'Parallelism', value: String(f.config.parallelism) },
        ],
        recommendation: `Raise the parallelism from ${f.config.parallelism} to about ${target}, so the busiest operator keeps up with its input (the upstream operators wait ${pct(pressed)} of their time for it). If that operator is a sink limited by its destination, raise the destination’s capacity instead.`,
        change: {
          kind: 'update',
          update,
          diff: [{ path: 'parallelism.parallelism', from: f.config.parallelism, to: target }],
        },
      };
    },
  },
  {
    rule: 'restart-loop-after-deploy',
    reads: 'CloudWatch fullRestarts per minute over the last hour, and the newest UpdateApplication',
    needs: ['metrics', 'operations'],
    threshold: `fullRestarts rising ${THRESHOLDS.loopMinutes} minutes in a row, from within 30 minutes of an update`,
    tab: 'operations',
    evaluate(f) {
      if (f.status !== 'RUNNING' || !f.metrics) return undefined;
      const since = risingSince(f.metrics.restarts, THRESHOLDS.loopMinutes);
      if (since === undefined) return undefined;
      const update = [...(f.operations ?? [])]
        .reverse()
        .find((o) => o.operation === 'UpdateApplication' && o.status === 'SUCCESSFUL' && o.endTime !== undefined);
      if (!update || update.versionFrom === undefined) return undefined;
      const gap = since - update.endTime!;
      if (gap < -60_000 || gap > THRESHOLDS.deployToLoopMs) return undefined;
      const last = f.metrics.restarts.at(-1)!;
      return {
        severity: 'critical',
        title: `The job restarts in a loop since the update to version ${update.versionTo ?? f.versionId}: roll back`,
        evidence: [
          { label: 'fullRestarts now', value: String(last.v) },
          { label: 'Rising since', value: when(since, f.now) },
          { label: 'Update ended', value: when(update.endTime!, f.now) },
          { label: 'Versions', value: `${update.versionFrom} → ${update.versionTo ?? f.versionId}` },
        ],
        window: f.metrics.window,
        recommendation: `Roll back to version ${update.versionFrom}: the loop began right after this deploy, and a rollback restores that version’s code and configuration with the snapshot taken before it. Then find the cause in the job’s exceptions.`,
        change: { kind: 'rollback', toVersionId: update.versionFrom },
      };
    },
  },
  {
    rule: 'state-growth',
    reads: 'CloudWatch lastCheckpointSize per minute over the last hour',
    needs: ['metrics'],
    threshold: `an hour of points; ten-minute medians grown ${THRESHOLDS.stateGrowth}× over the hour and ${THRESHOLDS.lateGrowth}× over its second half`,
    tab: 'metrics',
    evaluate(f) {
      const pts = f.metrics?.checkpointSize ?? [];
      // A full hour of points: a job's state fills up after a start and then levels off, which is not this.
      if (pts.length < THRESHOLDS.minPoints) return undefined;
      // Incremental checkpoints upload a varying share of the state: medians of ten minutes, not single points.
      const median = (from: number) => {
        const xs = pts
          .slice(from, from + 10)
          .map((p) => p.v)
          .sort((a, b) => a - b);
        return xs[Math.floor(xs.length / 2)]!;
      };
      const start = median(0);
      const middle = median(Math.floor(pts.length / 2) - 5);
      const end = median(pts.length - 10);
      if (start <= 0 || middle <= 0 || end / start < THRESHOLDS.stateGrowth || end / middle < THRESHOLDS.lateGrowth)
        return undefined;
      return {
        severity: 'warning',
        title: 'State keeps growing: check state TTL and windows',
        evidence: [
          { label: 'Checkpoint size, first ten minutes of the hour (median)', value: mib(start) },
          { label: 'Half an hour later', value: mib(middle) },
          { label: 'Last ten minutes', value: mib(end) },
          {
            label: 'Growth over the hour / over its second half',
            value: `${(end / start).toFixed(1)}× / ${(end / middle).toFixed(1)}×`,
          },
        ],
        window: f.metrics!.window,
        recommendation:
          'State that only grows runs out of memory or disk in the end. Give keyed state a TTL (StateTtlConfig) where old keys are never read again, and check windows and joins whose state is never cleared (a missing trigger, an unbounded key space). No configuration change fixes this.',
      };
    },
  },
  {
    rule: 'dropped-operator-uids',
    reads: 'The newest start or update operation and its error',
    needs: ['operations'],
    threshold: 'a failed start or update whose error names state that cannot be mapped to the new job',
    tab: 'operations',
    evaluate(f) {
      const failed = [...(f.operations ?? [])]
        .reverse()
        .find((o) => o.operation === 'StartApplication' || o.operation === 'UpdateApplication');
      if (!failed || failed.status !== 'FAILED') return undefined;
      if (!/non-?restored state|allowNonRestoredState|cannot be mapped|uid/i.test(failed.errorString ?? ''))
        return undefined;
      const evidence = [
        { label: `${failed.operation} ${failed.id}`, value: 'FAILED' },
        { label: 'Error', value: failed.errorString ?? '' },
      ];
      const recommendation =
        'The snapshot holds state of operators (by uid) that the new code no longer has. If dropping that state is intended, restore with AllowNonRestoredState; if not, give the operators back their uids and deploy again.';
      if (f.status === 'READY')
        return {
          severity: 'critical',
          title: 'The restore failed: the new code dropped operators that hold state',
          evidence,
          recommendation,
          change: { kind: 'start-allow-non-restored' },
        };
      return {
        severity: 'critical',
        title: 'The update failed: the new code dropped operators that hold state',
        evidence,
        recommendation,
        change: {
          kind: 'update',
          update: { expectedVersionId: f.versionId, allowNonRestoredState: true },
          diff: [{ path: 'runConfiguration.allowNonRestoredState', from: false, to: true }],
        },
      };
    },
  },
];
