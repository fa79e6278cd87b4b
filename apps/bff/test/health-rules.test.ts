/**
 * The health rules against recorded answers of the demo fleet (fixtures/health-*.json, captured from the
 * emulator by fixtures/capture-health.ts and replayed through the real prober and metrics reader), and
 * each rule's threshold against facts made to sit on either side of it.
 */
import { EVIDENCE_TABS, HEALTH_SIGNALS, type HealthSignal } from '@mfc/contracts';
import { describe, expect, it } from 'vitest';
import type { HealthFacts } from '../src/health/facts.js';
import { jobHealthOf } from '../src/health/facts.js';
import { attentionOf, duration, findings, RULES } from '../src/health/rules.js';
import { HEALTH_WINDOW_MS } from '../src/services/metrics.js';
import { recorded, recordedFacts, STALE_MS } from './fixtures/health.js';

const signals = (f: HealthFacts) => findings(f).map((s) => s.signal);
const finding = (f: HealthFacts, signal: HealthSignal) => findings(f).find((s) => s.signal === signal);

describe('the rules table', () => {
  it('has one rule per signal, each naming what it reads, its threshold and the tab with the evidence', () => {
    expect(RULES.map((r) => r.signal)).toEqual([...HEALTH_SIGNALS]);
    for (const r of RULES) {
      expect(r.reads.length).toBeGreaterThan(10);
      expect(r.threshold.length).toBeGreaterThan(10);
      expect(EVIDENCE_TABS).toContain(r.tab);
    }
  });

  it('never fires a rule from facts it does not say it reads', async () => {
    const loop = await recordedFacts('restarting', 'orders-enricher');
    const stale = await recordedFacts('restarting', 'metrics-exporter');
    for (const rule of RULES.filter((r) => r.facts.length > 0)) {
      for (const facts of [loop, stale]) {
        const without: HealthFacts = { ...facts };
        for (const name of rule.facts) delete without[name];
        expect(rule.evaluate(without), rule.signal).toBeUndefined();
      }
    }
    // The facts do fire those rules: the check above is not vacuous.
    expect(signals(loop)).toEqual(
      expect.arrayContaining(['restart-loop', 'job-state', 'subtasks-failed', 'new-exceptions']),
    );
    expect(signals(stale)).toContain('checkpoints-stale');
  });
});

describe('the demo fleet, as recorded', () => {
  it('flags orders-enricher while it restarts: restarts, job state, failed subtasks, new exceptions', async () => {
    const f = await recordedFacts('restarting', 'orders-enricher');
    const a = attentionOf(f);
    expect(a.flag).toBe(true);
    expect(a.signals.map((s) => [s.signal, s.tab])).toEqual([
      ['restart-loop', 'metrics'],
      ['job-state', 'job'],
      ['subtasks-failed', 'job'],
      ['new-exceptions', 'job'],
    ]);
    expect(a.reasons).toEqual(a.signals.map((s) => s.message));
    expect(a.reasons[0]).toMatch(/^The job restarted \d+ times in the last 5 minutes\.$/);
    expect(finding(f, 'job-state')?.message).toBe('The job is RESTARTING while the application is RUNNING.');
    expect(finding(f, 'subtasks-failed')?.message).toBe('1 subtask FAILED and 5 CANCELED of 6.');
    // 20 entries (Flink's default cut), all inside the window: there may be more.
    expect(finding(f, 'new-exceptions')?.message).toMatch(
      /^The job threw 20 or more exceptions in the last 5 minutes; the latest: java\.lang\.NullPointerException/,
    );
    expect(finding(f, 'new-exceptions')?.since).toBeLessThan(f.now);
    expect(jobHealthOf(f)).toMatchObject({
      source: 'dashboard',
      jobStatus: 'RESTARTING',
      subtasksRunning: 0,
      subtasksTotal: 6,
      subtasksFailed: 1,
      subtasksCanceled: 5,
      exceptionsInWindow: 20,
      checkpointingEnabled: true,
    });
    expect(jobHealthOf(f).restartsLast5m).toBeGreaterThan(0);
    expect(jobHealthOf(f).unread).toBeUndefined();
  });

  it('flags orders-enricher from its job alone when the metric history is empty', async () => {
    const f = await recordedFacts('restarting', 'orders-enricher', { noMetrics: true });
    expect(signals(f)).toEqual(['job-state', 'subtasks-failed', 'new-exceptions']);
    expect(jobHealthOf(f).unread).toEqual([
      { facts: 'metrics', reason: 'CloudWatch has no fullRestarts datapoints in the window.' },
    ]);
    expect(jobHealthOf(f).restartsLast5m).toBeUndefined();
  });

  it('still flags orders-enricher between two failures, when its job and subtasks look RUNNING', async () => {
    const f = await recordedFacts('between-restarts', 'orders-enricher', { noMetrics: true });
    expect(f.job?.state).toBe('RUNNING');
    expect(signals(f)).toEqual(['new-exceptions']);
  });

  it('flags metrics-exporter: no checkpoint completed since its job started, past the stale period', async () => {
    const f = await recordedFacts('restarting', 'metrics-exporter');
    const stale = finding(f, 'checkpoints-stale');
    expect(stale?.tab).toBe('checkpoints');
    expect(stale?.message).toMatch(
      /^No checkpoint has completed since the job started 1\d minutes ago \(checkpointing every 1 minute\)\.$/,
    );
    expect(stale?.since).toBe(f.job?.startTime);
    expect(signals(f)).not.toContain('job-state');
    expect(signals(f)).not.toContain('new-exceptions');
    // Its first checkpoint expired (10-minute timeout) a little under 5 minutes before the recording.
    expect(finding(f, 'checkpoints-failing')?.message).toBe(
      '1 checkpoint failed in the last 5 minutes: Checkpoint expired before completing.',
    );
    // With a longer stale period than the job has run, only the failure is left.
    const patient = await recordedFacts('restarting', 'metrics-exporter', { checkpointStaleMs: 60 * 60_000 });
    expect(signals(patient)).toEqual(['checkpoints-failing']);
  });

  it('does not flag clickstream-sessionizer, a healthy job, and says every fact was read', async () => {
    for (const moment of ['restarting', 'between-restarts'] as const) {
      const f = await recordedFacts(moment, 'clickstream-sessionizer');
      expect(attentionOf(f)).toEqual({ flag: false, reasons: [], signals: [] });
      const h = jobHealthOf(f);
      expect(h).toMatchObject({
        source: 'dashboard',
        jobStatus: 'RUNNING',
        subtasksRunning: 12,
        subtasksTotal: 12,
        subtasksFailed: 0,
        exceptionsInWindow: 0,
        restartsLast5m: 0,
        failedCheckpointsLast5m: 0,
      });
      expect(h.lastCheckpointAgeMs).toBeLessThan(2 * 60_000);
      expect(h.unread).toBeUndefined();
    }
  });

  it('recorded the moments it says it did', () => {
    expect(recorded('restarting').note).toMatch(/RESTARTING/);
    expect(recorded('between-restarts').now).toBeGreaterThan(recorded('restarting').now);
  });
});

/** A RUNNING application whose job is fine in every respect: each case below breaks one fact. */
function healthy(over: Partial<HealthFacts> = {}): HealthFacts {
  const now = 1_800_000_000_000;
  return {
    now,
    windowMs: HEALTH_WINDOW_MS,
    checkpointStaleMs: STALE_MS,
    status: 'RUNNING',
    metrics: { restartsInWindow: 0, failedCheckpointsInWindow: 0, totalRestarts: 0 },
    job: {
      jid: 'a'.repeat(32),
      state: 'RUNNING',
      startTime: now - 60 * 60_000,
      subtasks: { total: 4, running: 4, failed: 0, canceled: 0 },
    },
    exceptions: { entries: [], truncated: false },
    checkpoints: { latestCompletedAt: now - 30_000, failures: [], intervalMs: 60_000 },
    readAt: now,
    unread: [],
    ...over,
  };
}
const job = (over: Partial<NonNullable<HealthFacts['job']>>) => ({ ...healthy().job!, ...over });
const NOW = healthy().now;

describe('each rule, on either side of its threshold', () => {
  it('a healthy job raises nothing', () => {
    expect(findings(healthy())).toEqual([]);
  });

  it('restart-loop: a restart in the window, while RUNNING only', () => {
    const restarted = healthy({ metrics: { restartsInWindow: 1, failedCheckpointsInWindow: 0, totalRestarts: 1 } });
    expect(finding(restarted, 'restart-loop')?.message).toBe('The job restarted 1 time in the last 5 minutes.');
    expect(signals({ ...restarted, status: 'UPDATING' })).toEqual([]);
  });

  it('job-state: RESTARTING, FAILING, FAILED, SUSPENDED … or no job; not a job on its way up', () => {
    for (const state of ['RESTARTING', 'FAILING', 'FAILED', 'SUSPENDED', 'CANCELED', 'FINISHED'])
      expect(signals(healthy({ job: job({ state }) })), state).toContain('job-state');
    for (const state of ['RUNNING', 'CREATED', 'INITIALIZING', 'RECONCILING'])
      expect(signals(healthy({ job: job({ state }) })), state).not.toContain('job-state');
    expect(finding(healthy({ job: null }), 'job-state')?.message).toBe(
      'The application is RUNNING but its Flink cluster has no job.',
    );
    expect(signals(healthy({ status: 'STOPPING', job: job({ state: 'FAILED' }) }))).toEqual([]);
  });

  it('subtasks-failed: any FAILED or CANCELED subtask, unless the job is being cancelled', () => {
    const one = healthy({ job: job({ subtasks: { total: 4, running: 3, failed: 1, canceled: 0 } }) });
    expect(finding(one, 'subtasks-failed')?.message).toBe('1 subtask FAILED of 4.');
    const canceled = job({ subtasks: { total: 4, running: 2, failed: 0, canceled: 2 } });
    expect(finding(healthy({ job: canceled }), 'subtasks-failed')?.message).toBe('2 subtasks CANCELED of 4.');
    expect(signals(healthy({ job: { ...canceled, state: 'CANCELLING' } }))).not.toContain('subtasks-failed');
    expect(signals(healthy({ status: 'STOPPING', job: canceled }))).toEqual([]);
  });

  it('new-exceptions: an entry inside the window; older ones do not count', () => {
    const entry = (ago: number) => ({
      timestamp: NOW - ago,
      name: 'java.io.IOException',
      message: 'java.io.IOException: x',
    });
    const old = healthy({ exceptions: { entries: [entry(HEALTH_WINDOW_MS + 1)], truncated: false } });
    expect(signals(old)).toEqual([]);
    const recent = healthy({ exceptions: { entries: [entry(1000), entry(HEALTH_WINDOW_MS + 1)], truncated: true } });
    expect(finding(recent, 'new-exceptions')).toMatchObject({
      message: 'The job threw 1 exception in the last 5 minutes; the latest: java.io.IOException: x',
      since: NOW - 1000,
      tab: 'job',
    });
  });

  it('checkpoints-failing: a failure the dashboard lists in the window, or the metric’s count', () => {
    const failure = (ago: number) => ({ id: 7, at: NOW - ago, message: 'Checkpoint expired before completing.' });
    const listed = healthy({ checkpoints: { ...healthy().checkpoints!, failures: [failure(60_000)] } });
    expect(finding(listed, 'checkpoints-failing')).toMatchObject({
      message: '1 checkpoint failed in the last 5 minutes: Checkpoint expired before completing.',
      since: NOW - 60_000,
      tab: 'checkpoints',
    });
    const outside = healthy({ checkpoints: { ...healthy().checkpoints!, failures: [failure(HEALTH_WINDOW_MS + 1)] } });
    expect(signals(outside)).toEqual([]);
    const counted = healthy({ metrics: { restartsInWindow: 0, failedCheckpointsInWindow: 3, totalRestarts: 0 } });
    expect(finding(counted, 'checkpoints-failing')?.message).toBe('3 checkpoints failed in the last 5 minutes.');
  });

  it('checkpoints-stale: none completed for the period, counted from the job’s start at the earliest', () => {
    const cp = healthy().checkpoints!;
    const lastAt = (ago: number) => healthy({ checkpoints: { ...cp, latestCompletedAt: NOW - ago } });
    expect(signals(lastAt(STALE_MS))).toEqual([]);
    expect(finding(lastAt(STALE_MS + 60_000), 'checkpoints-stale')?.message).toBe(
      'The last checkpoint completed 11 minutes ago (checkpointing every 1 minute).',
    );
    // A job that started less than the period ago has not had the time to checkpoint.
    const young = { checkpoints: { failures: [], intervalMs: 60_000 } };
    expect(signals(healthy({ ...young, job: job({ startTime: NOW - STALE_MS + 1 }) }))).toEqual([]);
    expect(
      finding(healthy({ ...young, job: job({ startTime: NOW - STALE_MS - 60_000 }) }), 'checkpoints-stale'),
    ).toEqual({
      signal: 'checkpoints-stale',
      tab: 'checkpoints',
      message: 'No checkpoint has completed since the job started 11 minutes ago (checkpointing every 1 minute).',
      since: NOW - STALE_MS - 60_000,
    });
    // The period is configurable, and at least two intervals of a job that checkpoints rarely.
    expect(signals({ ...lastAt(STALE_MS + 60_000), checkpointStaleMs: 20 * 60_000 })).toEqual([]);
    const rare = healthy({ checkpoints: { ...cp, latestCompletedAt: NOW - 30 * 60_000, intervalMs: 20 * 60_000 } });
    expect(signals(rare)).toEqual([]);
    // Checkpointing off: nothing to be stale.
    expect(signals(healthy({ checkpoints: null, job: job({ startTime: NOW - 24 * 3_600_000 }) }))).toEqual([]);
  });

  it('operation-failed: the newest operation FAILED, whatever the status', () => {
    const f = healthy({
      status: 'READY',
      lastOperation: {
        id: 'op-1',
        operation: 'StartApplication',
        status: 'FAILED',
        startTime: NOW - 60_000,
        endTime: NOW - 30_000,
        errorString: 'Failed to restore from snapshot s1: unable to decrypt the snapshot.',
      },
    });
    expect(findings(f)).toEqual([
      {
        signal: 'operation-failed',
        tab: 'operations',
        message: 'StartApplication failed: Failed to restore from snapshot s1: unable to decrypt the snapshot.',
        since: NOW - 30_000,
      },
    ]);
  });

  it('job-unreadable: a dashboard read that failed says so; one not made yet does not flag', () => {
    const reason = 'The Flink dashboard could not be reached (fetch failed).';
    const failed = healthy({
      job: undefined,
      exceptions: undefined,
      checkpoints: undefined,
      unread: [{ facts: 'job', reason }],
    });
    expect(findings(failed)).toEqual([
      { signal: 'job-unreadable', tab: 'job', message: `Could not read the job: ${reason}` },
    ]);
    const pending = { ...failed, unread: [{ facts: 'job' as const, reason: 'Not read yet', pending: true }] };
    expect(findings(pending)).toEqual([]);
    expect(jobHealthOf(pending)).toMatchObject({ source: 'metrics', unread: [{ facts: 'job', pending: true }] });
    const metricsOnly = healthy({ metrics: undefined, unread: [{ facts: 'metrics', reason: 'no datapoints' }] });
    expect(findings(metricsOnly)).toEqual([]);
  });

  it('writes durations as people do', () => {
    expect([duration(300_000), duration(60_000), duration(90_000), duration(45_000), duration(3_600_000)]).toEqual([
      '5 minutes',
      '1 minute',
      '2 minutes',
      '45 seconds',
      '1 hour',
    ]);
  });
});
