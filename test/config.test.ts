import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiClientKeys, DEMO_ORG, readSettings, SETTINGS_SCHEMA } from '../src/config.js';
import type { ApiClient } from '../src/core/org/types.js';
import { isAppError } from '../src/core/errors.js';

/** An API token is always given, so no test writes data/api-token. */
const base = { API_TOKEN: 'test-api-token-0123456789-abcdefghij' };

/** The error readSettings throws for these variables (the test fails if it throws none). */
function refusal(env: Record<string, string>): Error {
  try {
    readSettings({ ...base, ...env });
  } catch (e) {
    return e as Error;
  }
  throw new Error('readSettings accepted the settings');
}

describe('settings', () => {
  it('start from the documented defaults when nothing is set', () => {
    const s = readSettings({ ...base });
    expect(s).toMatchObject({ port: 3000, host: '0.0.0.0', logLevel: 'info', pgPoolSize: 10, orgConfig: DEMO_ORG, isDemoOrg: true, apiTokenSource: 'env' });
    expect(s.telegram).toBeUndefined();
    expect(s.slack).toBeUndefined();
    expect(s.outbox).toEqual({ maxAttempts: undefined, maxBackoffMs: undefined });
  });

  it('take an empty value (NAME= in an env file) as unset', () => {
    const s = readSettings({ ...base, PORT: '', TELEGRAM_BOT_TOKEN: '', SLACK_LOCALE: ' ' });
    expect(s.port).toBe(3000);
    expect(s.telegram).toBeUndefined();
  });

  it('turn numbers and the bots on from their variables', () => {
    const s = readSettings({
      ...base,
      PORT: '8080',
      OUTBOX_MAX_ATTEMPTS: '5',
      TELEGRAM_BOT_TOKEN: '123456:AAE-token',
      TELEGRAM_MODE: 'polling',
      SLACK_BOT_TOKEN: 'xoxb-1-2',
      SLACK_SIGNING_SECRET: 'signing',
      SLACK_LOCALE: 'en',
      PUBLIC_URL: 'https://heat.example.com/',
    });
    expect(s.port).toBe(8080);
    expect(s.outbox.maxAttempts).toBe(5);
    expect(s.telegram).toMatchObject({ token: '123456:AAE-token', mode: 'polling' });
    expect(s.slack).toMatchObject({ botToken: 'xoxb-1-2', signingSecret: 'signing', locale: 'en' });
    expect(s.publicUrl).toBe('https://heat.example.com');
  });

  it('refuse a bad value with an error naming the variable', () => {
    const e = refusal({ PORT: 'eighty' });
    expect(isAppError(e, 'validation_failed')).toBe(true);
    expect(e.message).toMatch(/^Invalid settings: PORT must be integer/);
    expect(refusal({ PORT: '70000' }).message).toContain('PORT must be <= 65535');
    expect(refusal({ SLACK_LOCALE: 'fr' }).message).toContain('SLACK_LOCALE must be equal to one of the allowed values');
    expect(refusal({ OUTBOX_MAX_ATTEMPTS: '0' }).message).toContain('OUTBOX_MAX_ATTEMPTS must be >= 1');
    expect(refusal({ TZ: 'Mars/Olympus_Mons' }).message).toContain('TZ is not a time zone');
  });

  it('name every bad variable at once', () => {
    const e = refusal({ PORT: 'x', LOG_LEVEL: 'loud' });
    expect(e.message).toContain('PORT');
    expect(e.message).toContain('LOG_LEVEL');
  });

  it("never show a secret's value in the error", () => {
    const secrets = {
      TELEGRAM_BOT_TOKEN: 'no-colon-secret-telegram-value',
      SLACK_BOT_TOKEN: 'xoxp-secret-user-token-value',
      DATABASE_URL: 'mysql://svc:db-pass-9876@db/heat',
    };
    const e = refusal({ ...secrets, SLACK_SIGNING_SECRET: 'signing-secret-value' });
    for (const name of Object.keys(secrets)) expect(e.message).toContain(name);
    const shown = `${e.message} ${JSON.stringify(e)} ${String(e.stack)}`;
    for (const value of [...Object.values(secrets), 'signing-secret-value', 'db-pass-9876']) expect(shown).not.toContain(value);
  });

  it('refuse a half-configured bot, naming the missing variable', () => {
    expect(refusal({ TELEGRAM_BOT_TOKEN: '123456:AAE-token' }).message).toContain('TELEGRAM_WEBHOOK_SECRET is required in webhook mode');
    expect(refusal({ SLACK_BOT_TOKEN: 'xoxb-1-2' }).message).toContain('SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN');
    expect(refusal({ SLACK_SIGNING_SECRET: 'signing' }).message).toContain('SLACK_BOT_TOKEN is required with SLACK_SIGNING_SECRET');
  });

  it('refuse a secret shorter than 32 characters, naming the variable and never the value', () => {
    const short = { API_TOKEN: 'short-api-token-31-characters!!', TELEGRAM_BOT_TOKEN: '123456:AAE-token', TELEGRAM_WEBHOOK_SECRET: 'short_webhook_secret' };
    expect(short.API_TOKEN).toHaveLength(31);
    const e = refusal(short);
    expect(isAppError(e, 'validation_failed')).toBe(true);
    expect(e.message).toContain('API_TOKEN is shorter than 32 characters');
    expect(e.message).toContain('TELEGRAM_WEBHOOK_SECRET is shorter than 32 characters');
    const shown = `${e.message} ${JSON.stringify(e)}`;
    for (const value of [short.API_TOKEN, short.TELEGRAM_WEBHOOK_SECRET]) expect(shown).not.toContain(value);
    expect(readSettings({ API_TOKEN: 'x'.repeat(32) }).apiToken).toHaveLength(32);
  });

  it('refuse /docs to the public unless DOCS_PUBLIC=true', () => {
    expect(readSettings({ ...base }).docsPublic).toBe(false);
    expect(readSettings({ ...base, DOCS_PUBLIC: 'true' }).docsPublic).toBe(true);
  });

  it("read each API client's token from the variable the organisation file names, and refuse one unset, short or taken", () => {
    const clients: ApiClient[] = [
      { id: 'bi', name: 'BI', scopes: ['read'], token: { env: 'API_CLIENT_BI_TOKEN' } },
      { id: 'erp', name: 'ERP', scopes: ['read', 'write'], token: { sha256: 'ab'.repeat(32) } },
    ];
    const keys = apiClientKeys(clients, base.API_TOKEN, { API_CLIENT_BI_TOKEN: 'b'.repeat(40) });
    expect(keys.map((k) => [k.id, k.scopes])).toEqual([
      ['operator', ['read', 'write']],
      ['bi', ['read']],
      ['erp', ['read', 'write']],
    ]);
    expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k.sha256))).toBe(true);
    const refused = (env: Record<string, string>) => {
      try {
        apiClientKeys(clients, base.API_TOKEN, env);
      } catch (e) {
        return e as Error;
      }
      throw new Error('apiClientKeys accepted the tokens');
    };
    expect(refused({}).message).toContain('API_CLIENT_BI_TOKEN is not set (the token of API client "bi"');
    const short = refused({ API_CLIENT_BI_TOKEN: 'bi-token-too-short' });
    expect(isAppError(short, 'validation_failed')).toBe(true);
    expect(short.message).toContain('API_CLIENT_BI_TOKEN is shorter than 32 characters');
    expect(short.message).not.toContain('bi-token-too-short');
    expect(refused({ API_CLIENT_BI_TOKEN: base.API_TOKEN }).message).toContain('has the same token as the client "operator"');
  });

  it('are all listed in .env.example, and it lists no other', () => {
    const example = readFileSync(resolve(import.meta.dirname, '../.env.example'), 'utf8');
    const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).filter((n) => n !== 'TEST_DATABASE_URL');
    expect(listed.sort()).toEqual(Object.keys(SETTINGS_SCHEMA.properties).sort());
  });
});
