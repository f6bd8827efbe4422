import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp, loggerOptions } from '../../src/app.js';
import { apiClientTokens, readSettings } from '../../src/config.js';
import { LogScrubber, secretsIn } from '../../src/log/scrub.js';
import { makeTestCore } from '../helpers/core.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream, text: () => lines.join('') };
}

/** A token kept in a file, as a first `npm start` without API_TOKEN leaves it: it is in no environment variable. */
const FILE_TOKEN = 'file-kept-token-4f1c0b9e7d2a5c8e1b3f6a9d0c2e';
function tokenFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'scrub-')), 'api-token');
  writeFileSync(file, `${FILE_TOKEN}\n`, { mode: 0o600 });
  return file;
}

const env = {
  TELEGRAM_BOT_TOKEN: '123456:AAE-telegram-secret-0123456789abcdef',
  TELEGRAM_MODE: 'polling',
  SLACK_BOT_TOKEN: 'xoxb-slack-bot-secret-0123456789abcdef',
  SLACK_SIGNING_SECRET: 'slack-signing-abcdef-0123456789abcdef',
  DATABASE_URL: 'postgresql://svc:db-pass-9876@db/heat',
};

/** The scrubber as main.ts builds it: from the settings as read, then the API clients' tokens. */
function scrubberFor(more: NodeJS.ProcessEnv = {}): { scrubber: LogScrubber; settings: ReturnType<typeof readSettings> } {
  const settings = readSettings({ ...env, API_TOKEN_FILE: tokenFile(), ...more });
  return { scrubber: new LogScrubber(secretsIn(settings)), settings };
}

describe('logs: no token, secret or full phone number', () => {
  it('hide every secret the settings hold, the file-kept API token included, and mask mobile numbers in text', () => {
    const { scrubber, settings } = scrubberFor();
    expect(settings.apiTokenSource).toBe('file');
    const { stream, text } = capture();
    const log = pino(loggerOptions('info', scrubber) as pino.LoggerOptions, stream);
    log.info(
      {
        url: `https://api.telegram.org/bot${env.TELEGRAM_BOT_TOKEN}/sendMessage`,
        phone: '15260181590',
        conn: env.DATABASE_URL,
        header: `Bearer ${FILE_TOKEN}`,
      },
      `calling with ${FILE_TOKEN}, ${env.SLACK_BOT_TOKEN} and ${env.SLACK_SIGNING_SECRET}; the resident said 请打13912345678`,
    );
    const out = text();
    for (const secret of ['AAE-telegram-secret', FILE_TOKEN, 'xoxb-slack-bot-secret', 'slack-signing-abcdef', 'db-pass-9876', '15260181590', '13912345678'])
      expect(out).not.toContain(secret);
    expect(out).toContain('152****1590');
    expect(out).toContain('请打139****5678');
    expect(out).toContain('[redacted]');
    expect(() => JSON.parse(out)).not.toThrow();
  });

  it('find a secret under any key that names one, at any depth, without being told its variable', () => {
    const found = secretsIn({
      apiTokenSource: 'file',
      apiTokenFile: '/srv/data/api-token',
      slackSignIn: { clientId: '123.456', clientSecret: 'oidc-client-secret-0123456789' },
      nested: [{ sessionPassword: 'pw-0123456789' }],
      redisUrl: 'redis://:cache-pass-0123@cache:6379',
    });
    expect(found.sort()).toEqual(['cache-pass-0123', 'oidc-client-secret-0123456789', 'pw-0123456789']);
  });

  it('hide the tokens of API clients the organisation file keeps in environment variables', () => {
    const clientEnv = { BI_TOKEN: 'bi-dashboard-token-0123456789abcdefghij' };
    const clients = [
      { id: 'bi', name: 'BI', scopes: ['read' as const], token: { env: 'BI_TOKEN' } },
      { id: 'crm', name: 'CRM', scopes: ['write' as const], token: { sha256: 'ab'.repeat(32) } },
    ];
    const { scrubber } = scrubberFor();
    scrubber.add(apiClientTokens(clients, clientEnv));
    const { stream, text } = capture();
    pino(loggerOptions('info', scrubber) as pino.LoggerOptions, stream).warn({ got: clientEnv.BI_TOKEN }, 'bad request');
    expect(text()).not.toContain(clientEnv.BI_TOKEN);
  });

  it('leave 11-digit update ids, chat ids and timestamps alone, and mask a number under a phone field', () => {
    const { stream, text } = capture();
    const log = pino(loggerOptions('info', new LogScrubber()) as pino.LoggerOptions, stream);
    log.info(
      {
        update_id: 13912345678,
        message: { message_id: 15000000001, chat: { id: 18612345678 }, from: { id: 17712345678 }, date: 1795845660 },
        chatId: '13612345678',
        telegramUserId: '13712345678',
        ts: 1795845660000,
        account: '1010000000',
        contactPhone: 13812345678,
        mobile: '15912345678',
      },
      'update',
    );
    const out = JSON.parse(text());
    expect(out.update_id).toBe(13912345678);
    expect(out.message).toEqual({ message_id: 15000000001, chat: { id: 18612345678 }, from: { id: 17712345678 }, date: 1795845660 });
    expect(out).toMatchObject({ chatId: '13612345678', telegramUserId: '13712345678', ts: 1795845660000, account: '1010000000' });
    expect(out.contactPhone).toBe('138****5678');
    expect(out.mobile).toBe('159****5678');
  });

  it('mask mobile numbers in text however it is quoted or listed', () => {
    const { stream, text } = capture();
    pino(loggerOptions('info', new LogScrubber()) as pino.LoggerOptions, stream).info(
      { text: '他说 "13912345678" 可以打', list: ['13812345678'], ticketIds: ['13712345678'] },
      'note 15260181590',
    );
    const out = JSON.parse(text());
    expect(out).toMatchObject({ text: '他说 "139****5678" 可以打', list: ['138****5678'], ticketIds: ['13712345678'], msg: 'note 152****1590' });
  });

  it('mask mobile numbers in a line that is not JSON', () => {
    expect(new LogScrubber(['some-secret-value']).scrub('plain 13912345678 and some-secret-value\n')).toBe('plain 139****5678 and [redacted]\n');
  });

  it('mask mobile numbers written with spaces, dashes or the country code', () => {
    const scrub = new LogScrubber().scrub;
    expect(scrub('{"text":"打 139 1234 5678 或 138-1234-5678","contactPhone":"+8615260181590","phone":8613712345678,"b":"008613612345678"}')).toBe(
      '{"text":"打 139****5678 或 138****5678","contactPhone":"+86152****1590","phone":"86137****5678","b":"0086136****5678"}',
    );
    expect(scrub('{"ts":1795845660000,"update_id":8613912345678}')).toBe('{"ts":1795845660000,"update_id":8613912345678}');
  });

  it('never show the bearer token, a token-like query parameter or a phone number in the request log', async () => {
    const core = await makeTestCore();
    const { scrubber, settings } = scrubberFor();
    const { stream, text } = capture();
    const app = await buildApp({ core, apiToken: settings.apiToken, logger: { ...loggerOptions('info', scrubber), stream } as any });
    try {
      await app.inject({ method: 'GET', url: '/api/org', headers: { authorization: `Bearer ${FILE_TOKEN}` } });
      await app.inject({ method: 'GET', url: `/api/org?token=${FILE_TOKEN}` });
      await app.inject({ method: 'GET', url: '/api/org?access_token=not-a-known-secret-but-a-token&page=2' });
      await app.inject({ method: 'GET', url: '/dashboard/login/slack/callback?code=one-time-code-0123&state=s' });
      await app.inject({ method: 'GET', url: '/api/tickets/T20261128-0001?phone=13912345678', headers: { authorization: 'Bearer wrong' } });
      const out = text();
      expect(out).toContain('"url":"/api/org?token=[redacted]"');
      expect(out).toContain('access_token=[redacted]&page=2');
      for (const hidden of [FILE_TOKEN, 'not-a-known-secret-but-a-token', 'one-time-code-0123', '13912345678']) expect(out).not.toContain(hidden);
    } finally {
      await app.close();
      await core.close();
    }
  });
});
