/**
 * Limits at the HTTP door: requests per client address (with Retry-After and the code
 * rate_limited), refused credentials that turn into 429 without locking out a right token, and
 * a client that sends a few bytes of a body and stalls, cut off over a real loopback socket.
 */
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../src/bots/slack/index.js';
import { telegramWebhookPlugin } from '../../src/bots/telegram/webhook.js';
import { createTelegramBot } from '../../src/bots/telegram/bot.js';
import { FakeSlackApi } from '../../tools/dev/fake-slack-api.js';
import type { AppOptions } from '../../src/app.js';
import { auth, makeTestApp, TEST_TOKEN } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../helpers/slack.js';
import { TG_SECRET, TG_TOKEN, telegramText, telegramUser } from '../helpers/telegram.js';
import { FakeTelegramApi } from '../../tools/dev/fake-telegram-api.js';

let app: FastifyInstance | undefined;
let core: TestCore | undefined;
let fake: FakeSlackApi | undefined;
let tgFake: FakeTelegramApi | undefined;

afterEach(async () => {
  await app?.close();
  await core?.close();
  await fake?.close();
  await tgFake?.close();
  app = core = fake = tgFake = undefined;
});

/** The app with the Slack events route and the Telegram webhook mounted, and these limits. */
async function start(limits: AppOptions['limits']) {
  fake = await FakeSlackApi.start();
  tgFake = await FakeTelegramApi.start();
  core = await makeTestCore();
  const slack = createSlackApp({ core, token: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.url });
  const bot = createTelegramBot({ core, token: TG_TOKEN, apiRoot: tgFake.apiRoot, retry: false });
  ({ app } = await makeTestApp({ limits, plugins: [{ plugin: slack.plugin }, { plugin: telegramWebhookPlugin, options: { bot, secret: TG_SECRET } }] }, core));
  return app!;
}

const from = (remoteAddress: string, headers: Record<string, string> = auth) => ({ remoteAddress, headers });

describe('requests per client address', () => {
  it('answers the request past the minute budget with 429, Retry-After and code rate_limited, another address still served, and again after the minute', async () => {
    const a = await start({ rate: { apiPerMinute: 5 } });
    for (let i = 0; i < 5; i++) expect((await a.inject({ method: 'GET', url: '/api/org', ...from('203.0.113.7') })).statusCode).toBe(200);
    const refused = await a.inject({ method: 'GET', url: '/api/org', ...from('203.0.113.7') });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);

    expect((await a.inject({ method: 'GET', url: '/api/org', ...from('198.51.100.2') })).statusCode).toBe(200);
    core!.clock.advance(60_000);
    expect((await a.inject({ method: 'GET', url: '/api/org', ...from('203.0.113.7') })).statusCode).toBe(200);
  });

  it('lets a cold snap through: 2,000 Slack deliveries from one address within a minute all pass with the default limits', async () => {
    const a = await start(undefined);
    const statuses = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const res = await a.inject({
        method: 'POST',
        url: '/slack/events',
        remoteAddress: '54.80.0.1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'ssl_check=1&token=x',
      });
      statuses.add(res.statusCode);
    }
    expect([...statuses]).toEqual([200]);
  });

  it('counts the webhooks on their own budget, apart from the API', async () => {
    const a = await start({ rate: { webhooksPerMinute: 3, apiPerMinute: 3 } });
    const slack = () =>
      a.inject({
        method: 'POST',
        url: '/slack/events',
        remoteAddress: '54.80.0.2',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'ssl_check=1&token=x',
      });
    for (let i = 0; i < 3; i++) expect((await slack()).statusCode).toBe(200);
    expect((await a.inject({ method: 'GET', url: '/api/org', ...from('54.80.0.2') })).statusCode).toBe(200);
    const refused = await slack();
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'rate_limited' });
  });

  it('limits sign-in tries per address: the 31st within a minute is 429', async () => {
    const a = await start(undefined);
    const login = (ip: string) =>
      a.inject({
        method: 'POST',
        url: '/dashboard/login',
        remoteAddress: ip,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `token=${TEST_TOKEN}`,
      });
    // the right token: wrong ones are slowed down by the sign-in itself, the count is the same
    for (let i = 0; i < 30; i++) expect((await login('192.0.2.50')).statusCode).not.toBe(429);
    const refused = await login('192.0.2.50');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await login('192.0.2.51')).statusCode).not.toBe(429);
  });

  it('never counts health checks', async () => {
    const a = await start({ rate: { apiPerMinute: 1, webhooksPerMinute: 1, signInPerMinute: 1 } });
    for (let i = 0; i < 20; i++) expect((await a.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.9' })).statusCode).not.toBe(429);
  });
});

describe('refused credentials', () => {
  it('turns a wrong-token flood into 429 after 30 refusals, while the right token passes from another address and from the same one', async () => {
    const a = await start(undefined);
    const wrong = { authorization: `Bearer ${'x'.repeat(TEST_TOKEN.length)}` };
    const codes: number[] = [];
    for (let i = 0; i < 40; i++) codes.push((await a.inject({ method: 'GET', url: '/api/tickets', ...from('203.0.113.66', wrong) })).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
    expect(codes.slice(30).every((c) => c === 429)).toBe(true);
    const refused = await a.inject({ method: 'GET', url: '/api/tickets', ...from('203.0.113.66', wrong) });
    expect(refused.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    expect((await a.inject({ method: 'GET', url: '/api/tickets', ...from('198.51.100.20') })).statusCode).toBe(200);
    expect((await a.inject({ method: 'GET', url: '/api/tickets', ...from('203.0.113.66') })).statusCode).toBe(200);

    core!.clock.advance(10 * 60_000);
    expect((await a.inject({ method: 'GET', url: '/api/tickets', ...from('203.0.113.66', wrong) })).statusCode).toBe(401);
  });

  it('answers a wrong Telegram secret 429 after 30 tries from one address; the right secret from Telegram is still handled', async () => {
    const a = await start(undefined);
    const update = telegramText(telegramUser(5001), 'hello');
    const post = (ip: string, secret: string) =>
      a.inject({ method: 'POST', url: '/telegram/webhook', remoteAddress: ip, headers: { 'x-telegram-bot-api-secret-token': secret }, payload: update });
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) codes.push((await post('203.0.113.99', 'wrong_secret')).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
    expect(codes[30]).toBe(429);
    expect((await post('91.108.4.1', TG_SECRET)).statusCode).toBe(200);
    expect(tgFake!.botMessages(5001).length).toBeGreaterThan(0);
  });
});

/** Sends the headers and a few bytes of a body, then nothing; resolves with what came back and when the socket closed. */
function stallingBody(
  port: number,
  path: string,
  contentType: string,
  opts: { giveUpMs: number; headers?: Record<string, string>; first?: string },
): Promise<{ response: string; closedAfterMs: number | null }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let response = '';
    const socket = connect(port, '127.0.0.1', () => {
      const extra = Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`);
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\n${extra.join('')}Content-Length: 4000\r\n\r\n${opts.first ?? '{"type":'}`,
      );
    });
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ response, closedAfterMs: null });
    }, opts.giveUpMs);
    socket.on('data', (d) => {
      response += d.toString();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ response, closedAfterMs: Date.now() - started });
    });
  });
}

describe('slow clients', () => {
  it('cuts off a body to /slack/events that stalls after a few bytes: 408 and the connection closed', async () => {
    const a = await start({ timeouts: { bodyTimeoutMs: 300 } });
    await a.listen({ port: 0, host: '127.0.0.1' });
    const port = (a.server.address() as { port: number }).port;
    const r = await stallingBody(port, '/slack/events', 'application/json', { giveUpMs: 5_000 });
    expect(r.closedAfterMs).not.toBeNull();
    expect(r.closedAfterMs!).toBeLessThan(3_000);
    expect(r.response).toMatch(/^HTTP\/1\.1 408/);
    expect(r.response).toContain('request_timeout');
  });

  it('cuts off a stalled large upload at the whole-request limit, not the small-body one', async () => {
    const a = await start({ timeouts: { bodyTimeoutMs: 100, requestTimeoutMs: 1_200, headersTimeoutMs: 400 } });
    await a.listen({ port: 0, host: '127.0.0.1' });
    const port = (a.server.address() as { port: number }).port;
    const r = await stallingBody(port, '/api/customers/import', 'text/csv', { giveUpMs: 6_000, headers: auth, first: 'account' });
    expect(r.closedAfterMs).not.toBeNull();
    // the import takes bodies of 20 MB: it waits for the whole-request limit, not the 100 ms one
    expect(r.closedAfterMs!).toBeGreaterThanOrEqual(1_000);
    expect(r.response).toMatch(/^HTTP\/1\.1 408/);
  });
});
