import { describe, expect, it } from 'vitest';
import { buildUpdate, formFromApp, parseProperties, splitCode } from '../src/dialogs/update';
import { appView } from './fixtures';

describe('parseProperties', () => {
  it('reads key=value lines and reports the rest', () => {
    expect(parseProperties('a=1\n b = two \n\n# comment\nc=x=y')).toEqual({
      properties: { a: '1', b: 'two', c: 'x=y' },
      errors: [],
    });
    expect(parseProperties('novalue\nk=').errors).toEqual(['Line 1: write key=value.', 'Line 2: k has no value.']);
  });
});

describe('buildUpdate', () => {
  const app = appView('orders-enricher', 'RUNNING', {
    properties: [{ groupId: 'app', properties: { region: 'us-east-1' } }],
  });

  it('sends nothing when nothing changed', () => {
    const r = buildUpdate(app, formFromApp(app));
    expect(r.request).toBeUndefined();
    expect(r.changes).toEqual([]);
  });

  it('sends only the changed parts, with the expected version', () => {
    const form = { ...formFromApp(app), parallelism: 4, code: 'mfc-demo-artifacts/sessionizer/sessionizer-1.1.0.jar' };
    const r = buildUpdate(app, form);
    expect(r.errors).toEqual([]);
    expect(r.request).toEqual({
      expectedVersionId: 2,
      code: { bucket: 'mfc-demo-artifacts', key: 'sessionizer/sessionizer-1.1.0.jar' },
      parallelism: { parallelism: 4, parallelismPerKpu: 1, autoScaling: false },
    });
  });

  it('sends custom checkpointing and the whole property set when they change', () => {
    const form = {
      ...formFromApp(app),
      checkpointType: 'CUSTOM' as const,
      intervalMs: 30_000,
      properties: [{ groupId: 'app', text: 'region=eu-west-1\nmode=fast' }],
    };
    const r = buildUpdate(app, form);
    expect(r.request?.checkpointing).toEqual({
      configurationType: 'CUSTOM',
      enabled: true,
      intervalMs: 30_000,
      minPauseMs: 5_000,
    });
    expect(r.request?.properties).toEqual([{ groupId: 'app', properties: { region: 'eu-west-1', mode: 'fast' } }]);
  });

  it('reports invalid input instead of sending it', () => {
    const r = buildUpdate(app, { ...formFromApp(app), parallelism: 0, parallelismPerKpu: 9 });
    expect(r.errors).toHaveLength(2);
  });

  it('splits a code location', () => {
    expect(splitCode('bucket/a/b.jar')).toEqual({ bucket: 'bucket', key: 'a/b.jar' });
    expect(splitCode('nobucket')).toBeUndefined();
  });
});
