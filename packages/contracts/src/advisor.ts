/**
 * The advisor: what to change, read from the job's own numbers (Flink REST checkpoint and backpressure
 * statistics, CloudWatch metrics, the operation history). Each finding carries its evidence, the
 * recommended change in words and, where the service lets it be applied, the exact update — shown as a
 * diff and applied through the normal update flow with its pre-flight check.
 */
import { z } from 'zod';
import { EvidenceTab } from './common.js';
import { UpdateRequest } from './requests.js';

export const ADVISOR_RULES = [
  'buffer-debloating',
  'unaligned-checkpoints',
  'backpressure-bottleneck',
  'restart-loop-after-deploy',
  'state-growth',
  'dropped-operator-uids',
] as const;
export const AdvisorRule = z.enum(ADVISOR_RULES);
export type AdvisorRule = z.infer<typeof AdvisorRule>;

/** The runtime property group the AWS samples (and the simulated jobs) read Flink options from. */
export const FLINK_PROPERTY_GROUP = 'FlinkApplicationProperties';
export const BUFFER_DEBLOAT_KEY = 'taskmanager.network.memory.buffer-debloat.enabled';
export const UNALIGNED_KEY = 'execution.checkpointing.unaligned';

export const Evidence = z.object({ label: z.string(), value: z.string() });

export const ConfigChange = z.object({
  path: z.string(),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
});
export type ConfigChange = z.infer<typeof ConfigChange>;

export const FindingChange = z.discriminatedUnion('kind', [
  /** An UpdateApplication through the update flow (pre-flight first); the diff is what it changes. */
  z.object({ kind: z.literal('update'), update: UpdateRequest, diff: z.array(ConfigChange) }),
  /** RollbackApplication to the version before the deploy. */
  z.object({ kind: z.literal('rollback'), toVersionId: z.number().int() }),
  /** StartApplication again, restoring with AllowNonRestoredState. */
  z.object({ kind: z.literal('start-allow-non-restored'), snapshotName: z.string().optional() }),
]);
export type FindingChange = z.infer<typeof FindingChange>;

export const Finding = z.object({
  rule: AdvisorRule,
  severity: z.enum(['critical', 'warning', 'info']),
  title: z.string(),
  /** The numbers the rule read, in words, and the window they cover (epoch ms, service time). */
  evidence: z.array(Evidence),
  window: z.object({ from: z.number(), to: z.number() }).optional(),
  /** The tab of the application page that shows them. */
  tab: EvidenceTab,
  recommendation: z.string(),
  change: FindingChange.optional(),
});
export type Finding = z.infer<typeof Finding>;

export const AdviceResponse = z.object({
  application: z.string(),
  generatedAt: z.number(),
  findings: z.array(Finding),
  /** Rules that could be judged, and what could not be read (never a silent "healthy"). */
  evaluated: z.array(AdvisorRule),
  unread: z.array(
    z.object({
      facts: z.enum(['configuration', 'job', 'checkpoints', 'backpressure', 'metrics', 'operations']),
      reason: z.string(),
    }),
  ),
});
export type AdviceResponse = z.infer<typeof AdviceResponse>;

/** The fleet's view of the advice: how many findings, from which rules (absent: not judged yet). */
export const AdviceSummary = z.object({
  findings: z.number().int(),
  rules: z.array(AdvisorRule),
  generatedAt: z.number(),
});
export type AdviceSummary = z.infer<typeof AdviceSummary>;
