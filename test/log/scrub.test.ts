import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp, loggerOptions } from '../../src/app.js';
import { makeTestCore } from '../helpers/core.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

const env = {
  API_TOKEN: 'api-secret-value-123',
  TELEGRAM_BOT_TOKEN: '123456:AAE-telegram-secret',
  SLACK_SIGNING_SECRET: 'slack-signing-abcdef',
  DATABASE_URL: 'postgresql://svc:db-pass-9876@db/heat',
};

describe('logs (issue 8: no token, secret or full phone number)', () => {
  it('hide environment secrets and mask mobile numbers in every line', () => {
    const { lines, stream } = capture();
    const log = pino(loggerOptions('info', env) as pino.LoggerOptions, stream);
    log.info(
      { url: 'https://api.telegram.org/bot123456:AAE-telegram-secret/sendMessage', phone: '15260181590', conn: env.DATABASE_URL },
      'calling with api-secret-value-123 and slack-signing-abcdef',
    );
    const out = lines.join('');
    for (const secret of ['AAE-telegram-secret', 'api-secret-value-123', 'slack-signing-abcdef', 'db-pass-9876', '15260181590'])
      expect(out).not.toContain(secret);
    expect(out).toContain('152****1590');
    expect(out).toContain('[redacted]');
  });

  it('leave long digit runs that are not phone numbers alone', () => {
    const { lines, stream } = capture();
    const log = pino(loggerOptions('info', env) as pino.LoggerOptions, stream);
    log.info({ ts: 1795845660000, account: '1010000000' }, 'ids');
    expect(lines.join('')).toContain('1795845660000');
  });

  it('never show the bearer token of a request in the request log', async () => {
    const core = await makeTestCore();
    const { lines, stream } = capture();
    const app = await buildApp({ core, apiToken: env.API_TOKEN, logger: { ...loggerOptions('info', env), stream } as any });
    try {
      await app.inject({ method: 'GET', url: '/api/org', headers: { authorization: `Bearer ${env.API_TOKEN}` } });
      await app.inject({ method: 'GET', url: '/api/tickets/T20261128-0001?phone=13912345678', headers: { authorization: 'Bearer wrong' } });
      const out = lines.join('');
      expect(out.length).toBeGreaterThan(0);
      expect(out).not.toContain(env.API_TOKEN);
      expect(out).not.toContain('13912345678');
    } finally {
      await app.close();
      await core.close();
    }
  });
});
