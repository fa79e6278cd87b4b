/**
 * The advisor's rules against recorded answers of the emulator (fixtures/capture-advice.ts): each rule
 * fires where the job's numbers call for it, with its evidence and the exact change, and stays quiet for a
 * healthy job; following the advice in order clears it (debloating, then unaligned checkpoints, then
 * scaling out); what cannot be read is said, never taken for "healthy".
 */
import type { AdviceResponse } from '@mfc/contracts';
import { describe, expect, it } from 'vitest';
import { judge } from '../src/advisor/advisor.js';
import { RULES } from '../src/advisor/rules.js';
import { recordedAdvice, recordedFacts, type AdviceMoment } from './fixtures/advice.js';

const advise = async (moment: AdviceMoment) => judge(await recordedFacts(recordedAdvice(moment)));
const rules = (a: Omit<AdviceResponse, 'application' | 'generatedAt'>) => a.findings.map((f) => f.rule).sort();

describe('the rules table', () => {
  it('names each rule once, with what it reads, its threshold and its tab', () => {
    expect(new Set(RULES.map((r) => r.rule)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.reads.length).toBeGreaterThan(10);
      expect(r.threshold.length).toBeGreaterThan(10);
    }
  });
});

describe('recorded moments', () => {
  it('a backpressured job with expiring checkpoints: buffer debloating first, and the bottleneck', async () => {
    const a = await advise('backpressure');
    expect(rules(a)).toEqual(['backpressure-bottleneck', 'buffer-debloating']);
    const debloat = a.findings.find((f) => f.rule === 'buffer-debloating')!;
    expect(debloat.tab).toBe('checkpoints');
    expect(debloat.evidence.find((e) => e.label.startsWith('Expired'))!.value).toMatch(/^[1-9]/);
    expect(debloat.change).toMatchObject({
      kind: 'update',
      diff: [
        { path: 'properties.FlinkApplicationProperties.taskmanager.network.memory.buffer-debloat.enabled', to: 'true' },
      ],
    });
    const scale = a.findings.find((f) => f.rule === 'backpressure-bottleneck')!;
    expect(scale.title).toMatch(/^Sink: Prometheus is the bottleneck/);
    expect(scale.change).toMatchObject({ kind: 'update', diff: [{ path: 'parallelism.parallelism', from: 2, to: 6 }] });
  });

  it('with buffer debloating on and checkpoints still long: unaligned checkpoints next', async () => {
    const a = await advise('debloated');
    expect(rules(a)).toEqual(['backpressure-bottleneck', 'unaligned-checkpoints']);
    const unaligned = a.findings.find((f) => f.rule === 'unaligned-checkpoints')!;
    // The update keeps the debloating property and adds the new one.
    expect(unaligned.change).toMatchObject({
      kind: 'update',
      update: {
        properties: [
          {
            groupId: 'FlinkApplicationProperties',
            properties: {
              'taskmanager.network.memory.buffer-debloat.enabled': 'true',
              'execution.checkpointing.unaligned': 'true',
            },
          },
        ],
      },
    });
  });

  it('with unaligned checkpoints the checkpoint findings clear; scaled out, the bottleneck clears too', async () => {
    expect(rules(await advise('unaligned'))).toEqual(['backpressure-bottleneck']);
    const scaled = await advise('scaled-out');
    expect(rules(scaled)).toEqual([]);
    expect(scaled.evaluated.length).toBe(RULES.length);
  });

  it('a healthy job with an hour of metrics gets no finding, every rule judged', async () => {
    const a = await advise('healthy');
    expect(a.findings).toEqual([]);
    expect(a.unread).toEqual([]);
    expect(a.evaluated.length).toBe(RULES.length);
  });

  it('state that only grows: state TTL and windows, with no configuration change to offer', async () => {
    const a = await advise('state-growth');
    expect(rules(a)).toEqual(['state-growth']);
    const f = a.findings[0]!;
    expect(f.change).toBeUndefined();
    expect(f.tab).toBe('metrics');
    expect(f.evidence.map((e) => e.label)).toEqual([
      'Checkpoint size, first ten minutes of the hour (median)',
      'Half an hour later',
      'Last ten minutes',
      'Growth over the hour / over its second half',
    ]);
  });

  it('a restart loop right after a deploy: roll back to the version before it', async () => {
    const a = await advise('loop-after-deploy');
    expect(rules(a)).toEqual(['restart-loop-after-deploy']);
    const f = a.findings[0]!;
    expect(f.severity).toBe('critical');
    expect(f.change).toEqual({ kind: 'rollback', toVersionId: 1 });
    expect(f.window).toBeDefined();
  });

  it('a restore that dropped operator uids: start again with AllowNonRestoredState', async () => {
    const a = await advise('dropped-uids');
    expect(rules(a)).toEqual(['dropped-operator-uids']);
    expect(a.findings[0]!.change).toEqual({ kind: 'start-allow-non-restored' });
    // A READY application has no job: the job's rules are not judged, which the answer shows.
    expect(a.evaluated).not.toContain('backpressure-bottleneck');
  });
});

describe('what cannot be read', () => {
  it('says so and judges nothing that needs it: never a false "healthy"', async () => {
    const r = recordedAdvice('backpressure');
    // The dashboard unreachable: nothing recorded for it.
    const noDashboard = judge(await recordedFacts({ ...r, dashboard: {} }));
    expect(noDashboard.unread.map((u) => u.facts)).toContain('job');
    expect(noDashboard.evaluated).not.toContain('buffer-debloating');
    expect(noDashboard.evaluated).not.toContain('backpressure-bottleneck');
    // CloudWatch failing: no GetMetricData answer.
    const sdk = Object.fromEntries(Object.entries(r.sdk).filter(([k]) => !k.startsWith('GetMetricDataCommand')));
    const noMetrics = judge(await recordedFacts({ ...r, sdk }));
    expect(noMetrics.unread).toEqual([
      expect.objectContaining({ facts: 'metrics', reason: expect.stringMatching(/could not be read/) }),
    ]);
    expect(noMetrics.evaluated).not.toContain('restart-loop-after-deploy');
    expect(noMetrics.evaluated).toContain('buffer-debloating');
  });

  it('a job without checkpointing: the checkpoint rules are judged and find nothing', async () => {
    const r = recordedAdvice('backpressure');
    const dashboard = Object.fromEntries(
      Object.entries(r.dashboard).filter(([path]) => !path.includes('/checkpoints')),
    );
    const a = judge(await recordedFacts({ ...r, dashboard }));
    expect(a.evaluated).toContain('buffer-debloating');
    expect(rules(a)).toEqual(['backpressure-bottleneck']);
  });
});
