/**
 * The advisor: reads an application's facts and judges them with the rules table. A rule whose facts could
 * not be read is not judged, and the answer says what was not read (never a silent "healthy"). Answers are
 * kept a little while, so the fleet can show each RUNNING application's count of findings without
 * reading every dashboard on every request; they are read again in the background, a few at a time.
 */
import type { AdviceResponse, AdviceSummary, Finding } from '@mfc/contracts';
import pLimit from 'p-limit';
import type { ServiceClock } from '../services/clock.js';
import { readAdvisorFacts, type AdvisorFacts, type AdvisorSources } from './facts.js';
import { RULES } from './rules.js';

/** An answer this young is served as it is. */
export const ADVICE_TTL_MS = 30_000;
/** Applications advised at once in the background (each costs a dozen dashboard reads). */
const BACKGROUND = 4;

const FACTS_OF = {
  config: 'configuration',
  job: 'job',
  checkpoints: 'checkpoints',
  metrics: 'metrics',
  operations: 'operations',
} as const;

/** The findings of the rules whose facts were read. */
export function judge(f: AdvisorFacts): Omit<AdviceResponse, 'application' | 'generatedAt'> {
  const unreadKinds = new Set(f.unread.map((u) => u.facts));
  const missing = (need: keyof typeof FACTS_OF): boolean => {
    if (unreadKinds.has(FACTS_OF[need])) return true;
    // Job facts exist only while RUNNING: a stopped job has no backpressure or checkpoints to judge.
    switch (need) {
      case 'config':
        return f.config === undefined;
      case 'job':
        return f.job === undefined;
      case 'checkpoints':
        return f.checkpoints === undefined;
      case 'metrics':
        return f.metrics === undefined;
      case 'operations':
        return f.operations === undefined;
    }
  };
  const findings: Finding[] = [];
  const evaluated: AdviceResponse['evaluated'] = [];
  for (const r of RULES) {
    if (r.needs.some(missing)) continue;
    evaluated.push(r.rule);
    const found = r.evaluate(f);
    if (found) findings.push({ rule: r.rule, tab: r.tab, ...found });
  }
  const order = { critical: 0, warning: 1, info: 2 };
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
  return { findings, evaluated, unread: f.unread };
}

export class AdvisorService {
  private cache = new Map<string, { at: number; advice: AdviceResponse }>();
  private limit = pLimit(BACKGROUND);
  private reading = new Map<string, Promise<AdviceResponse>>();
  /** Told which applications' advice changed after a background read (the fleet refetches). */
  onAdvised?: (names: string[]) => void;

  constructor(
    private sources: AdvisorSources,
    private clock: ServiceClock,
    private wallNow: () => number = Date.now,
  ) {}

  /** One application's advice, read now unless a fresh answer is kept. */
  async forApplication(app: string, fresh = false): Promise<AdviceResponse> {
    const kept = this.cache.get(app);
    if (!fresh && kept && this.wallNow() - kept.at < ADVICE_TTL_MS) return kept.advice;
    let p = this.reading.get(app);
    if (!p) {
      p = this.read(app).finally(() => this.reading.delete(app));
      this.reading.set(app, p);
    }
    return p;
  }

  /** The fleet's counts for RUNNING applications from kept answers; stale or missing ones read in the background. */
  summaries(running: string[]): Map<string, AdviceSummary> {
    const out = new Map<string, AdviceSummary>();
    const due: string[] = [];
    for (const app of running) {
      const kept = this.cache.get(app);
      if (kept)
        out.set(app, {
          findings: kept.advice.findings.length,
          rules: kept.advice.findings.map((x) => x.rule),
          generatedAt: kept.advice.generatedAt,
        });
      if (!kept || this.wallNow() - kept.at >= ADVICE_TTL_MS) due.push(app);
    }
    if (due.length > 0) this.refreshInBackground(due);
    return out;
  }

  forget(app: string): void {
    this.cache.delete(app);
  }

  private refreshInBackground(apps: string[]): void {
    const todo = apps.filter((a) => !this.reading.has(a));
    if (todo.length === 0) return;
    const changed: string[] = [];
    void Promise.all(
      todo.map((app) =>
        this.limit(async () => {
          const before = signature(this.cache.get(app)?.advice);
          const after = await this.forApplication(app, true).catch(() => undefined);
          if (after && signature(after) !== before) changed.push(app);
        }),
      ),
    ).then(() => {
      if (changed.length > 0) this.onAdvised?.(changed);
    });
  }

  private async read(app: string): Promise<AdviceResponse> {
    const now = this.clock.now();
    const facts = await readAdvisorFacts(this.sources, app, now);
    const advice: AdviceResponse = { application: app, generatedAt: now, ...judge(facts) };
    this.cache.set(app, { at: this.wallNow(), advice });
    return advice;
  }
}

const signature = (a: AdviceResponse | undefined) => (a ? a.findings.map((f) => f.rule).join(',') : '');
