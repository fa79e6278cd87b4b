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

describe('single sign-on (MFC_OIDC_*)', () => {
  const oidc = {
    MFC_OIDC_ISSUER: 'https://login.example.com/realms/flink',
    MFC_OIDC_CLIENT_ID: 'managed-flink-console',
    MFC_OIDC_CLIENT_SECRET: 's3cret',
    MFC_OIDC_REDIRECT_URL: 'https://console.example.com/api/session/sso/callback',
    MFC_OIDC_ROLE_MAP: '{"flink-admins":"admin","flink-operators":"operator","flink-viewers":"viewer"}',
    MFC_SESSION_SECRET: 'x'.repeat(32),
  };

  it('reads the provider, the client, the callback and the role mapping; production without a users file', () => {
    const c = loadConfig(oidc);
    expect(c.mode).toBe('production');
    expect(c.usersFile).toBeUndefined();
    expect(c.oidc).toEqual({
      issuer: 'https://login.example.com/realms/flink',
      clientId: 'managed-flink-console',
      clientSecret: 's3cret',
      redirectUrl: 'https://console.example.com/api/session/sso/callback',
      scopes: 'openid profile email',
      roleClaim: 'groups',
      roleMap: { 'flink-admins': 'admin', 'flink-operators': 'operator', 'flink-viewers': 'viewer' },
    });
    expect(loadConfig({ ...oidc, MFC_USERS_FILE: 'u.json' })).toMatchObject({ usersFile: 'u.json', oidc: {} });
    expect(
      loadConfig({
        ...oidc,
        MFC_OIDC_SCOPES: ' openid  email groups ',
        MFC_OIDC_ROLE_CLAIM: 'realm_access.roles',
        MFC_OIDC_NAME_CLAIM: 'email',
        MFC_OIDC_POST_LOGOUT_REDIRECT_URL: 'https://console.example.com/',
        MFC_OIDC_LABEL: 'Sign in with Example ID',
      }).oidc,
    ).toMatchObject({
      scopes: 'openid email groups',
      roleClaim: 'realm_access.roles',
      nameClaim: 'email',
      postLogoutRedirectUrl: 'https://console.example.com/',
      label: 'Sign in with Example ID',
    });
    expect(loadConfig({}).oidc).toBeUndefined();
  });

  it('is all or nothing, naming what is missing', () => {
    expect(() => loadConfig({ MFC_OIDC_ISSUER: oidc.MFC_OIDC_ISSUER, MFC_SESSION_SECRET: 'x'.repeat(32) })).toThrow(
      ConfigError,
    );
    const partial = () => loadConfig({ MFC_OIDC_ISSUER: oidc.MFC_OIDC_ISSUER, MFC_OIDC_CLIENT_ID: 'c' });
    expect(partial).toThrow(/MFC_OIDC_CLIENT_SECRET: required with MFC_OIDC_ISSUER/);
    expect(partial).toThrow(/MFC_OIDC_REDIRECT_URL: required/);
    expect(partial).toThrow(/MFC_OIDC_ROLE_MAP: required/);
    expect(partial).not.toThrow(/MFC_OIDC_CLIENT_ID:/);
    const { MFC_OIDC_ISSUER: _issuer, ...withoutIssuer } = oidc;
    expect(() => loadConfig(withoutIssuer)).toThrow(
      /MFC_OIDC_ISSUER: .*MFC_OIDC_CLIENT_ID.* set but MFC_OIDC_ISSUER is not/,
    );
  });

  it('refuses values that cannot work', () => {
    expect(() => loadConfig({ ...oidc, MFC_OIDC_ISSUER: 'login.example.com' })).toThrow(
      /MFC_OIDC_ISSUER must be a URL/,
    );
    expect(() => loadConfig({ ...oidc, MFC_OIDC_ISSUER: 'http://login.example.com' })).toThrow(
      /MFC_OIDC_ISSUER: must use https/,
    );
    expect(loadConfig({ ...oidc, MFC_OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer).toBe(
      'http://127.0.0.1:9000',
    );
    expect(() => loadConfig({ ...oidc, MFC_OIDC_REDIRECT_URL: '/api/session/sso/callback' })).toThrow(
      /MFC_OIDC_REDIRECT_URL must be a URL/,
    );
    expect(() => loadConfig({ ...oidc, MFC_OIDC_ROLE_MAP: 'flink-admins=admin' })).toThrow(
      /MFC_OIDC_ROLE_MAP must be a JSON object/,
    );
    expect(() => loadConfig({ ...oidc, MFC_OIDC_ROLE_MAP: '{"flink-admins":"root"}' })).toThrow(
      /MFC_OIDC_ROLE_MAP values must be viewer, operator or admin/,
    );
    expect(() => loadConfig({ ...oidc, MFC_OIDC_ROLE_MAP: '["admin"]' })).toThrow(/MFC_OIDC_ROLE_MAP/);
    expect(() => loadConfig({ ...oidc, MFC_OIDC_ROLE_MAP: '{}' })).toThrow(/MFC_OIDC_ROLE_MAP must map at least one/);
    expect(() => loadConfig({ ...oidc, MFC_OIDC_SCOPES: 'profile email' })).toThrow(
      /MFC_OIDC_SCOPES must include openid/,
    );
    expect(() => loadConfig({ ...oidc, MFC_MODE: 'demo' })).toThrow(
      /MFC_OIDC_ISSUER: single sign-on is for production/,
    );
    expect(() => loadConfig({ ...oidc, MFC_SESSION_SECRET: undefined })).toThrow(/MFC_SESSION_SECRET/);
  });
});
