/** The advisor's rules and changes in words, as the Advice section and the fleet's badge show them. */
import type { AdviceSummary, AdvisorRule, ConfigChange, Finding } from '@mfc/contracts';

export const RULE_LABELS: Record<AdvisorRule, string> = {
  'buffer-debloating': 'Buffer debloating',
  'unaligned-checkpoints': 'Unaligned checkpoints',
  'backpressure-bottleneck': 'Backpressure bottleneck',
  'restart-loop-after-deploy': 'Restart loop after a deploy',
  'state-growth': 'State growth',
  'dropped-operator-uids': 'Dropped operator uids',
};

export const SEVERITY_LABELS: Record<Finding['severity'], string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Note',
};

/** A value of a configuration diff: strings as they are, anything else as JSON; absent is "not set". */
export function formatChangeValue(v: unknown): string {
  if (v === undefined || v === null) return 'not set';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** One line of a diff in words: "path: from → to". */
export function describeChange(c: ConfigChange): string {
  return `${c.path}: ${formatChangeValue(c.from)} → ${formatChangeValue(c.to)}`;
}

/** The fleet's badge: how many findings, and which rules raised them (its title). */
export function adviceBadge(s: AdviceSummary | undefined): { text: string; title: string } | undefined {
  if (!s || s.findings === 0) return undefined;
  const rules = [...new Set(s.rules)].map((r) => RULE_LABELS[r]);
  return {
    text: `${s.findings} advice`,
    title: `Advisor: ${rules.join(', ')}. Open the advice.`,
  };
}
