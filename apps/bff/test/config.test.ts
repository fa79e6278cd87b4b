import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('has working defaults: embedded, demo, port 3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      target: 'embedded',
      demo: true,
      mode: 'demo',
      region: 'us-east-1',
      timeProfile: 'fast',
    });
    expect(c.sessionSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'http' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'http' })).toThrow(/PORT/);
    expect(() => loadConfig({ MFC_TARGET: 'gcp' })).toThrow(/MFC_TARGET/);
    expect(() => loadConfig({ MFC_ENDPOINT: 'not a url' })).toThrow(/MFC_ENDPOINT must be a URL/);
    expect(() => loadConfig({ AWS_REGION: 'mars' })).toThrow(/AWS_REGION must look like us-east-1/);
  });

  it('refuses combinations that cannot work', () => {
    expect(() => loadConfig({ MFC_MODE: 'production' })).toThrow(/MFC_USERS_FILE/);
    expect(() => loadConfig({ MFC_MODE: 'production', MFC_USERS_FILE: 'u.json' })).toThrow(/MFC_SESSION_SECRET/);
    expect(() => loadConfig({ MFC_TARGET: 'aws', MFC_DEMO: '1' })).toThrow(/MFC_DEMO/);
    expect(loadConfig({ MFC_TARGET: 'aws' }).demo).toBe(false);
  });

  it('reads how long a job may go without a completed checkpoint (MFC_CHECKPOINT_STALE_MS, 10 minutes by default)', () => {
    expect(loadConfig({}).checkpointStaleMs).toBe(600_000);
    expect(loadConfig({ MFC_CHECKPOINT_STALE_MS: '1800000' }).checkpointStaleMs).toBe(1_800_000);
    expect(() => loadConfig({ MFC_CHECKPOINT_STALE_MS: 'soon' })).toThrow(/MFC_CHECKPOINT_STALE_MS/);
    expect(() => loadConfig({ MFC_CHECKPOINT_STALE_MS: '500' })).toThrow(/MFC_CHECKPOINT_STALE_MS/);
  });
});
