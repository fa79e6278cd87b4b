/** The combiner: the dashboard's, the watcher's and the metrics' facts into one set the rules judge. */
import { describe, expect, it } from 'vitest';
import { gatherFacts, jobHealthOf, PENDING_REASON, type Sources } from '../src/health/facts.js';
import { findings } from '../src/health/rules.js';
import { HEALTH_WINDOW_MS } from '../src/services/metrics.js';
import { recorded, recordedMetrics, recordedProbe, STALE_MS } from './fixtures/health.js';

const r = recorded('restarting');
const APP = 'orders-enricher';
const sources = async (over: Partial<Sources> = {}): Promise<Sources> => ({
  status: 'RUNNING',
  now: r.now,
  windowMs: HEALTH_WINDOW_MS,
  checkpointStaleMs: STALE_MS,
  metrics: (await recordedMetrics(r)).get(APP),
  probe: await recordedProbe(r, APP),
  ...over,
});
const signalsOf = async (over: Partial<Sources>) => findings(gatherFacts(await sources(over))).map((s) => s.signal);

describe('gathering the facts', () => {
  it('reads restarts from the metrics and the rest from the dashboard', async () => {
    const f = gatherFacts(await sources());
    expect(f.metrics?.restartsInWindow).toBeGreaterThan(0);
    expect(f.metrics?.restartsSince).toBeLessThan(r.now);
    expect(f.job?.state).toBe('RESTARTING');
    expect(f.unread).toEqual([]);
  });

  it('says the metrics are missing when CloudWatch has no datapoints, or failed, and judges the job anyway', async () => {
    const empty = (await recordedMetrics(r, { empty: true })).get(APP);
    expect(empty).toMatchObject({ datapoints: 0, restartsLast5m: 0 });
    for (const metrics of [empty, new Error('Rate exceeded'), undefined]) {
      const f = gatherFacts(await sources({ metrics }));
      expect(f.metrics).toBeUndefined();
      expect(f.unread.map((u) => u.facts)).toEqual(['metrics']);
      expect(findings(f).map((s) => s.signal)).toEqual(['job-state', 'subtasks-failed', 'new-exceptions']);
    }
    const failed = gatherFacts(await sources({ metrics: new Error('Rate exceeded') }));
    expect(failed.unread[0]!.reason).toBe('CloudWatch metrics could not be read: Rate exceeded');
  });

  it('prefers the live watcher’s job state and subtasks, keeping the dashboard’s job start', async () => {
    const watched = {
      jobState: 'RUNNING',
      subtasksRunning: 6,
      subtasksTotal: 6,
      subtasksFailed: 0,
      subtasksCanceled: 0,
    };
    const f = gatherFacts(await sources({ watched }));
    expect(f.job).toMatchObject({ state: 'RUNNING', subtasks: { running: 6, failed: 0 } });
    expect(f.job?.startTime).toBe((await recordedProbe(r, APP)).job?.startTime);
    expect(await signalsOf({ watched })).toEqual(['restart-loop', 'new-exceptions']);
  });

  it('with the job read pending, says so and raises only what the metrics show', async () => {
    const f = gatherFacts(await sources({ probe: 'pending' }));
    expect(f.unread).toEqual([{ facts: 'job', reason: PENDING_REASON, pending: true }]);
    expect(findings(f).map((s) => s.signal)).toEqual(['restart-loop']);
    expect(jobHealthOf(f)).toMatchObject({ source: 'metrics', unread: [{ facts: 'job', pending: true }] });
    // A watcher's job then counts, but its exceptions and checkpoints are still unread.
    const watched = { jobState: 'FAILING', subtasksRunning: 0, subtasksTotal: 6 };
    expect(gatherFacts(await sources({ probe: 'pending', watched })).unread.map((u) => u.facts)).toEqual([
      'exceptions',
      'checkpoints',
    ]);
  });

  it('keeps no job facts for an application that is not RUNNING', async () => {
    const f = gatherFacts(await sources({ status: 'UPDATING' }));
    expect(f.job).toBeUndefined();
    expect(f.unread).toEqual([]);
    expect(jobHealthOf(f)).toEqual({ source: 'none' });
    expect(findings(f)).toEqual([]);
  });
});
