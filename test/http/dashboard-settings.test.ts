/** The dashboard's sign-in settings as readSettings takes them from the environment. */
import { describe, expect, it } from 'vitest';
import { readSettings } from '../../src/config.js';
import { isAppError } from '../../src/core/errors.js';

const base = { API_TOKEN: 'test-api-token-0123456789-abcdefghij' };
const slack = { SLACK_CLIENT_ID: '1234.5678', SLACK_CLIENT_SECRET: 'client-secret-0123456789abcdef', PUBLIC_URL: 'https://heat.example.com/' };

/** The variables readSettings names as wrong (none: it accepted them). */
function refused(env: Record<string, string>): string[] {
  try {
    readSettings({ ...base, ...env });
    return [];
  } catch (e) {
    if (!isAppError(e, 'validation_failed')) throw e;
    return (e.context as { variables: string[] }).variables;
  }
}

describe('the dashboard’s sign-in settings', () => {
  it('leave Sign in with Slack off and trust no proxy by default', () => {
    const s = readSettings({ ...base });
    expect(s.slackSignIn).toBeUndefined();
    expect(s.trustProxy).toBe(false);
  });

  it('turn Sign in with Slack on from the client pair, coming back to PUBLIC_URL', () => {
    expect(readSettings({ ...base, ...slack, SLACK_TEAM_ID: 'T0COMPANY1' }).slackSignIn).toEqual({
      clientId: '1234.5678',
      clientSecret: 'client-secret-0123456789abcdef',
      issuer: 'https://slack.com',
      redirectUri: 'https://heat.example.com/dashboard/auth/slack/callback',
      teamId: 'T0COMPANY1',
    });
  });

  it('refuse half a client pair, a missing PUBLIC_URL, and a plain-http issuer other than this machine', () => {
    expect(refused({ SLACK_CLIENT_ID: '1234.5678', PUBLIC_URL: slack.PUBLIC_URL })).toEqual(['SLACK_CLIENT_SECRET']);
    expect(refused({ SLACK_CLIENT_SECRET: slack.SLACK_CLIENT_SECRET })).toEqual(['SLACK_CLIENT_ID']);
    expect(refused({ SLACK_CLIENT_ID: slack.SLACK_CLIENT_ID, SLACK_CLIENT_SECRET: slack.SLACK_CLIENT_SECRET })).toEqual(['PUBLIC_URL']);
    expect(refused({ ...slack, SLACK_OIDC_ISSUER: 'http://idp.example.com' })).toEqual(['SLACK_OIDC_ISSUER']);
    expect(refused({ ...slack, SLACK_OIDC_ISSUER: 'http://127.0.0.1:4000' })).toEqual([]);
    expect(refused({ ...slack, SLACK_TEAM_ID: 'acme' })).toEqual(['SLACK_TEAM_ID']);
  });

  it('take TRUST_PROXY as true, a hop count, or addresses and CIDRs, and refuse anything else', () => {
    const trust = (v: string) => readSettings({ ...base, TRUST_PROXY: v }).trustProxy;
    expect(trust('true')).toBe(true);
    expect(trust('FALSE')).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.0/8, 192.168.1.7,::1,fd00::/8')).toEqual(['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8']);
    expect(trust('loopback')).toEqual(['loopback']);
    expect(refused({ TRUST_PROXY: 'yes' })).toEqual(['TRUST_PROXY']);
    expect(refused({ TRUST_PROXY: 'proxy.example.com' })).toEqual(['TRUST_PROXY']);
  });
});
