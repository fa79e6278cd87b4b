/**
 * The hooks an archive outside the engine uses: every sample and log change is reported, and what is
 * exported and restored reads back exactly as it was (so an emulator restarted on its archive serves the
 * same history).
 */
import { describe, expect, it } from 'vitest';
import { APP_METRICS, EventLogStore, MAX_LOG_ENTRIES, MetricsStore, METRIC_WIDTH, MINUTE } from '../src/index.js';
import { ctx, createApp, newEngine, statusPath } from './helpers.js';

function loopingEngine() {
  const e = newEngine();
  createApp(e, 'loop', '1.3.0-poison-pill');
  e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'loop' });
  statusPath(e, 'loop');
  return { e, key: e.core.appKey(ctx, 'loop') };
}

describe('metric samples', () => {
  it('are reported as stored and restore to the same points', () => {
    const { e, key } = loopingEngine();
    const samples: { key: string; minute: number; stored: number[] }[] = [];
    let deleted: string | undefined;
    e.telemetry.metrics.listener = {
      sample: (k, minute, stored) => samples.push({ key: k, minute, stored: [...stored] }),
      deleted: (k) => (deleted = k),
    };
    e.advanceBy(30 * MINUTE);
    expect(samples.length).toBeGreaterThanOrEqual(29);
    expect(samples.every((s) => s.key === key && s.stored.length === METRIC_WIDTH)).toBe(true);
    const copy = new MetricsStore();
    for (const s of samples) copy.restore(key, s.minute, s.stored);
    for (const m of APP_METRICS)
      expect(copy.query(key, m, 0, e.now()), m).toEqual(e.telemetry.metrics.query(key, m, 0, e.now()));
    // The watermark is stored relative to its minute, and read back absolute.
    const wm = copy.query(key, 'currentInputWatermark', 0, e.now()).at(-1)!;
    expect(Math.abs(wm.value - wm.timestamp)).toBeLessThan(10 * MINUTE);
    e.telemetry.metrics.delete(key);
    expect(deleted).toBe(key);
  });
});

describe('event logs', () => {
  it('report changes, and export → restore renders the same lines and continues the numbering', () => {
    const { e, key } = loopingEngine();
    const changed = new Set<string>();
    e.telemetry.logs.listener = { changed: (k) => changed.add(k), deleted: () => {} };
    e.advanceBy(5 * MINUTE);
    expect(changed.has(key)).toBe(true);
    const exported = e.telemetry.logs.export(key)!;
    expect(exported.rows.length).toBeGreaterThan(100);
    const copy = new EventLogStore();
    copy.restore(key, exported);
    expect(copy.lines(key)).toEqual(e.telemetry.logs.lines(key));
    expect(copy.get(key)!.total).toBe(e.telemetry.logs.get(key)!.total);
    // From a sequence number on: only the newer rows.
    const tail = e.telemetry.logs.export(key, exported.total - 10)!;
    expect(tail.rows.map((r) => r.n)).toEqual(exported.rows.slice(-10).map((r) => r.n));
    // A restored log goes on numbering after the last restored line.
    copy.append(key, { t: e.now(), k: 'info', text: 'after the restart' });
    const last = copy.lines(key).at(-1)!;
    expect(last.seq).toBe(exported.total);
    expect(last.message).toBe('after the restart');
  });

  it('keeps every line the log keeps between its batched trims', () => {
    const log = new EventLogStore();
    for (let i = 0; i < MAX_LOG_ENTRIES + 500; i++) log.append('k', { t: i, k: 'info', text: `line ${i}` });
    const exported = log.export('k')!;
    expect(exported.rows.length).toBe(MAX_LOG_ENTRIES + 500);
    const copy = new EventLogStore();
    copy.restore('k', exported);
    expect(copy.lines('k')).toEqual(log.lines('k'));
  });
});
