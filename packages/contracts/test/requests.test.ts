import { describe, expect, it } from 'vitest';
import { allowedActions, EncryptionRequest, PreflightRequest, StartRequest, UpdateRequest } from '../src/index.js';

describe('request schemas', () => {
  it('a custom restore needs a snapshot name', () => {
    expect(StartRequest.safeParse({ restoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT' }).success).toBe(false);
    expect(StartRequest.parse({})).toEqual({
      restoreType: 'RESTORE_FROM_LATEST_SNAPSHOT',
      allowNonRestoredState: false,
    });
  });
  it('an update must change something, within the service limits', () => {
    expect(UpdateRequest.safeParse({ expectedVersionId: 1 }).success).toBe(false);
    expect(
      UpdateRequest.safeParse({
        expectedVersionId: 1,
        parallelism: { parallelism: 4, parallelismPerKpu: 9, autoScaling: true },
      }).success,
    ).toBe(false);
    expect(
      UpdateRequest.safeParse({ expectedVersionId: 1, code: { bucket: 'mfc-demo-artifacts', key: 'a.jar' } }).success,
    ).toBe(true);
  });
  it('a customer managed key needs its id', () => {
    expect(EncryptionRequest.safeParse({ expectedVersionId: 1, keyType: 'CUSTOMER_MANAGED_KEY' }).success).toBe(false);
    expect(EncryptionRequest.safeParse({ expectedVersionId: 1, keyType: 'AWS_OWNED_KEY' }).success).toBe(true);
  });
  it('pre-flight takes a start or an update', () => {
    expect(PreflightRequest.safeParse({ action: 'stop' }).success).toBe(false);
    expect(PreflightRequest.parse({ action: 'start' })).toMatchObject({
      action: 'start',
      restoreType: 'RESTORE_FROM_LATEST_SNAPSHOT',
    });
  });
});

describe('allowedActions', () => {
  it('explains why a button is disabled', () => {
    const a = allowedActions('UPDATING');
    expect(a.forceStop).toEqual({ allowed: true });
    expect(a.rollback).toEqual({ allowed: true });
    expect(a.start).toEqual({ allowed: false, reason: 'Allowed only when the application is READY; it is UPDATING.' });
    expect(a.createSnapshot.reason).toBe('Allowed only when the application is RUNNING; it is UPDATING.');
  });
});
