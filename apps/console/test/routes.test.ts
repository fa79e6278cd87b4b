import { describe, expect, it } from 'vitest';
import { appPath, matchRoute } from '../src/routes';

describe('routes', () => {
  it('matches every screen', () => {
    expect(matchRoute('/')).toEqual({ page: 'fleet' });
    expect(matchRoute('/keys')).toEqual({ page: 'keys' });
    expect(matchRoute('/audit/')).toEqual({ page: 'audit' });
    expect(matchRoute('/applications/orders-enricher')).toEqual({
      page: 'application',
      name: 'orders-enricher',
      tab: 'overview',
    });
    expect(matchRoute('/applications/orders-enricher/job')).toEqual({
      page: 'application',
      name: 'orders-enricher',
      tab: 'job',
    });
  });
  it('rejects unknown tabs and paths', () => {
    expect(matchRoute('/applications/a/nope').page).toBe('not-found');
    expect(matchRoute('/applications/%E0%A4%A').page).toBe('not-found');
    expect(matchRoute('/elsewhere').page).toBe('not-found');
  });
  it('builds paths that match back', () => {
    expect(appPath('my.app_1')).toBe('/applications/my.app_1');
    expect(appPath('my.app_1', 'snapshots')).toBe('/applications/my.app_1/snapshots');
    const r = matchRoute(appPath('a b', 'metrics'));
    expect(r).toEqual({ page: 'application', name: 'a b', tab: 'metrics' });
  });
});
