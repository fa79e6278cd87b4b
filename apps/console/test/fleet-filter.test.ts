import { describe, expect, it } from 'vitest';
import { compareText, filterFleet, parseSort, summarize } from '../src/pages/fleet/filter';
import { attention, fleetApp } from './fixtures';

const apps = [
  fleetApp('clickstream-sessionizer'),
  fleetApp('orders-enricher', {
    jobHealth: { source: 'metrics', restartsLast5m: 24 },
    attention: attention(['restart-loop', 'The job restarted 24 times in the last 5 minutes.']),
  }),
  fleetApp('metrics-exporter', {
    jobHealth: { source: 'metrics', restartsLast5m: 0, failedCheckpointsLast5m: 1 },
    attention: attention(['checkpoints-failing', '1 checkpoint failed in the last 5 minutes.']),
  }),
  fleetApp('inventory-aggregator', { status: 'READY', jobHealth: { source: 'none' } }),
  fleetApp('returns-forecaster', { status: 'STARTING', jobHealth: { source: 'none' } }),
];
const names = (list: { name: string }[]) => list.map((a) => a.name);

describe('filterFleet', () => {
  it('puts applications that need attention first, the most restarts on top', () => {
    expect(names(filterFleet(apps, { q: '', status: '', sort: 'attention' }))).toEqual([
      'orders-enricher',
      'metrics-exporter',
      'clickstream-sessionizer',
      'inventory-aggregator',
      'returns-forecaster',
    ]);
  });
  it('sorts by name, status and restarts', () => {
    expect(names(filterFleet(apps, { q: '', status: '', sort: 'name' }))[0]).toBe('clickstream-sessionizer');
    expect(names(filterFleet(apps, { q: '', status: '', sort: 'status' }))[0]).toBe('inventory-aggregator');
    expect(names(filterFleet(apps, { q: '', status: '', sort: 'restarts' }))[0]).toBe('orders-enricher');
  });
  it('searches by name, case-insensitively, and filters by status or attention', () => {
    expect(names(filterFleet(apps, { q: 'ORDERS', status: '', sort: 'name' }))).toEqual(['orders-enricher']);
    expect(names(filterFleet(apps, { q: '', status: 'READY', sort: 'name' }))).toEqual(['inventory-aggregator']);
    expect(names(filterFleet(apps, { q: '', status: 'attention', sort: 'name' }))).toEqual([
      'metrics-exporter',
      'orders-enricher',
    ]);
  });
  it('compares names case-insensitively, without Intl', () => {
    expect(['b-app', 'App-2', 'app-10', 'a'].sort(compareText)).toEqual(['a', 'app-10', 'App-2', 'b-app']);
    expect(compareText('app', 'APP')).toBeGreaterThan(0);
    expect(compareText('x', 'x')).toBe(0);
  });
  it('does not reorder its input', () => {
    const before = names(apps);
    filterFleet(apps, { q: '', status: '', sort: 'name' });
    expect(names(apps)).toEqual(before);
  });
  it('handles 1,000 applications in a few milliseconds', () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      fleetApp(`app-${String(i).padStart(4, '0')}`, { jobHealth: { source: 'metrics', restartsLast5m: i % 7 } }),
    );
    const t0 = performance.now();
    const out = filterFleet(many, { q: 'app-0', status: '', sort: 'attention' });
    expect(out).toHaveLength(1000);
    expect(performance.now() - t0).toBeLessThan(100);
  });
});

describe('summary and sort parsing', () => {
  it('counts running, changing and flagged applications', () => {
    expect(summarize(apps)).toEqual({ total: 5, running: 3, attention: 2, transitioning: 1 });
  });
  it('falls back to attention-first for an unknown sort', () => {
    expect(parseSort('restarts')).toBe('restarts');
    expect(parseSort('bogus')).toBe('attention');
  });
});
