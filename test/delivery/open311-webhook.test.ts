import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiClientKeys, apiClientWebhooks, DEMO_ORG } from '../../src/config.js';
import { declareIncident } from '../../src/core/incidents/declare-incident.js';
import { linkTicket } from '../../src/core/incidents/link-ticket.js';
import { restoreIncident } from '../../src/core/incidents/restore-incident.js';
import { type CityRequestInput, fileCityRequest } from '../../src/core/open311/file-city-request.js';
import { answerSuggestion } from '../../src/core/suggestions/answer-suggestion.js';
import type { Ticket } from '../../src/core/model.js';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../src/core/tickets/transition-ticket.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { OutboxWorker } from '../../src/delivery/outbox-worker.js';
import { WebhookDeliverer } from '../../src/delivery/webhook-deliverer.js';
import { auth, makeTestApp, TEST_TOKEN } from '../helpers/app.js';
import { DEMO_CUSTOMER, hotlineComplaint } from '../helpers/builders.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

const SECRET = 'city-webhook-secret-0123456789-abcdefgh';
const SECRET_ENV = 'API_CLIENT_CITY_WEBHOOK_SECRET';
const CITY_TOKEN = 'city-token-0123456789-abcdefghijklmno';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A city platform's webhook receiver on loopback: records every POST it gets and answers what it
 * is told to (200 by default; `hang` keeps the request unanswered).
 */
function cityReceiver() {
  const received: Received[] = [];
  let script: (number | 'hang')[] = [];
  const hanging: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const next = script.shift() ?? 200;
      if (next === 'hang') hanging.push(() => res.destroy());
      else res.writeHead(next, next === 429 ? { 'retry-after': '120' } : {}).end(next === 410 ? 'this platform no longer takes these' : '');
    });
  });
  return {
    received,
    answer: (...next: (number | 'hang')[]) => (script = next),
    listen: () => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () =>
      new Promise((r) => {
        for (const h of hanging) h();
        server.close(r);
      }),
  };
}

/** The demo organisation with a city platform that has a webhook and a BI tool that has none. */
function orgFile(url: string) {
  const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
  doc.apiClients = [
    {
      id: 'city',
      name: '12345 市民服务热线',
      scopes: ['read', 'write'],
      tokenSha256: createHash('sha256').update(CITY_TOKEN).digest('hex'),
      webhook: { url: `${url}/open311/closed`, secretEnv: SECRET_ENV },
    },
    { id: 'erp', name: 'ERP', scopes: ['read', 'write'], tokenSha256: 'b'.repeat(64) },
  ];
  return doc;
}

/** A no-heat request the city platform filed through Open311 for a demo customer's heating account (幸福家园, the 新城 branch). */
async function filed(over: Partial<CityRequestInput> = {}): Promise<Ticket> {
  const input = { clientId: 'city', serviceCode: 'no_heat', addressId: DEMO_CUSTOMER.account, description: '市民来电：暖气不热', attributes: {}, ...over };
  return (await fileCityRequest(core, input)).ticket;
}

const receiver = cityReceiver();
/** Everything the worker logged, as it would reach a log line before any scrubbing. */
const logged: string[] = [];
const log = {
  warn: (obj: object, msg: string) => void logged.push(JSON.stringify({ ...obj, msg })),
  error: (obj: object, msg: string) => void logged.push(JSON.stringify({ ...obj, msg })),
};
let core: TestCore;
let app: FastifyInstance;
let worker: OutboxWorker;
beforeAll(async () => {
  const url = await receiver.listen();
  core = await makeTestCore({ org: orgFile(url) });
  await seedDemoCustomers(core);
  ({ app } = await makeTestApp({ apiClients: apiClientKeys(core.org.config.apiClients, TEST_TOKEN, {}) }, core));
  const webhooks = apiClientWebhooks(core.org.config.apiClients, { [SECRET_ENV]: SECRET });
  worker = new OutboxWorker({
    outbox: core.stores.outbox,
    clock: core.clock,
    deliverers: { webhook: new WebhookDeliverer({ core, webhooks, timeoutMs: 300 }) },
    log,
    maxAttempts: 5,
  });
});
afterAll(async () => {
  await worker?.stop();
  await receiver.close();
  await app?.close();
  await core?.close();
});

const webhookRows = (ticketId: number) =>
  core.db.outboxMessage.findMany({ where: { platform: 'webhook', payload: { contains: `"ticketId":${ticketId}` } }, orderBy: { id: 'asc' } });

async function eventId(t: Ticket, type: string): Promise<number> {
  const e = await core.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, type }, orderBy: { id: 'desc' } });
  return e.id;
}

/** Takes a dispatched ticket to resolved as the 新城 branch does it. */
async function resolve(t: Pick<Ticket, 'number'>): Promise<void> {
  await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' });
  await transitionTicket(core, { number: t.number, action: 'arrive', actor: 'staff:xincheng-field1' });
  await transitionTicket(core, { number: t.number, action: 'resolve', actor: 'staff:xincheng-field1', note: '已排气，暖气恢复' });
}

const sign = (timestamp: string, body: string) => `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;

describe('a city platform is told when its request closes', () => {
  it('resolving a city request owes one signed POST, delivered by the outbox with the request as closed', async () => {
    const t = await filed();
    expect(await webhookRows(t.id)).toEqual([]);
    await resolve(t);
    const rows = await webhookRows(t.id);
    // one row for the resolve, none for the callback step stored with it (resolved → callback)
    expect(rows.map((r) => [r.key, r.target, r.kind, r.state])).toEqual([
      [`open311-closed:${t.id}:${await eventId(t, 'resolved')}`, 'city', 'city_request_closed', 'pending'],
    ]);

    const before = receiver.received.length;
    expect(await worker.drain()).toBe(1);
    const [got] = receiver.received.slice(before);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-open311-event']).toBe('service_request_closed');
    expect(got.headers['x-open311-delivery']).toBe(rows[0].key);
    expect(got.headers['x-open311-timestamp']).toBe(String(Math.floor(core.clock.now().getTime() / 1000)));
    expect(got.headers['x-open311-signature']).toBe(sign(got.headers['x-open311-timestamp'] as string, got.body));
    const body = JSON.parse(got.body);
    expect(body.event).toBe('service_request_closed');
    expect(body.sent_at).toBe(core.clock.now().toISOString());
    expect(body.service_request).toMatchObject({
      service_request_id: t.number,
      status: 'closed',
      service_code: 'no_heat',
      description: '市民来电：暖气不热',
      // in Chinese, the language of the platform's citizens
      agency_responsible: core.org.branches.get('xincheng')!.name,
    });
    expect(await core.db.outboxMessage.findUniqueOrThrow({ where: { key: rows[0].key } })).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('a request filed at /open311/v2 and resolved: the webhook sends what GET requests answers the platform', async () => {
    const fields = new URLSearchParams({ api_key: CITY_TOKEN, service_code: 'no_heat', address_id: DEMO_CUSTOMER.account, description: '暖气片冰凉' });
    const res = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: fields.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(200);
    const number = res.json()[0].service_request_id as string;
    const t = await core.db.ticket.findUniqueOrThrow({ where: { number } });
    await resolve(t);
    const before = receiver.received.length;
    expect(await worker.drain()).toBe(1);
    const sent = JSON.parse(receiver.received[before].body).service_request;
    const read = await app.inject({ method: 'GET', url: `/open311/v2/requests/${number}.json`, headers: { authorization: `Bearer ${CITY_TOKEN}` } });
    expect(sent).toEqual(read.json()[0]);
    expect(sent).toMatchObject({ service_request_id: number, status: 'closed', description: '暖气片冰凉' });
  });

  it('a signature made with another secret, or over another body, does not verify', async () => {
    const got = receiver.received.at(-1)!;
    const ts = got.headers['x-open311-timestamp'] as string;
    const wrong = `sha256=${createHmac('sha256', 'another-secret').update(`${ts}.${got.body}`).digest('hex')}`;
    expect(got.headers['x-open311-signature']).not.toBe(wrong);
    expect(got.headers['x-open311-signature']).not.toBe(sign(ts, got.body.replace('closed', 'open')));
  });

  it('a request reopened and resolved again is told again, under a new delivery id; its close after the callback owes nothing', async () => {
    const t = await filed();
    await resolve(t);
    await transitionTicket(core, { number: t.number, action: 'reopen', actor: 'staff:agent01', note: '居民回访仍不热' });
    await resolve(t);
    await transitionTicket(core, { number: t.number, action: 'close', actor: 'staff:agent01' });
    const rows = await webhookRows(t.id);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.key)).size).toBe(2);
    const before = receiver.received.length;
    expect(await worker.drain()).toBe(2);
    expect(receiver.received.slice(before).map((r) => r.headers['x-open311-delivery'])).toEqual(rows.map((r) => r.key));
  });

  it('cancelling a city request tells the platform; a duplicate told when marked is not told again when it follows its original', async () => {
    const cancelled = await filed();
    await transitionTicket(core, { number: cancelled.number, action: 'cancel', actor: 'staff:agent01', note: '市民撤回' });
    expect(await webhookRows(cancelled.id)).toHaveLength(1);

    const original = await createTicket(core, hotlineComplaint());
    const dup = await filed();
    await transitionTicket(core, { number: dup.number, action: 'mark_duplicate', actor: 'staff:agent01', duplicateOf: original.number, note: '同一户' });
    expect((await webhookRows(dup.id)).map((r) => r.key)).toEqual([`open311-closed:${dup.id}:${await eventId(dup, 'duplicate')}`]);
    await resolve(original);
    expect(await core.db.ticket.findUniqueOrThrow({ where: { id: dup.id } })).toMatchObject({ status: 'callback' });
    expect(await webhookRows(dup.id)).toHaveLength(1);
    await worker.drain();
  });

  it('an outage restored resolves a linked city request, and the platform is told', async () => {
    const t = await filed();
    const { incident } = await declareIncident(core, { communityIds: ['c001'], scope: 'community', cause: '管网抢修', actor: 'staff:xincheng-coord' });
    const linked = await core.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    if (linked.incidentId === null) await linkTicket(core, { ticketId: t.id, incidentId: incident.id, actor: 'staff:xincheng-coord', reason: '同一小区' });
    expect(await webhookRows(t.id)).toEqual([]);
    await restoreIncident(core, { id: incident.id, actor: 'staff:xincheng-coord', note: '管网修复，供热恢复' });
    expect(await core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ status: 'callback' });
    expect((await webhookRows(t.id)).map((r) => r.kind)).toEqual(['city_request_closed']);
    await worker.drain();
  });

  it('answering a suggestion a city platform filed tells it the suggestion closed', async () => {
    const t = await filed({ serviceCode: 'suggestion', description: '建议小区增设公告栏，提前通知停热' });
    await answerSuggestion(core, { number: t.number, staff: core.org.staff.get('agent01'), text: '已转物业，下月安装。' });
    expect((await webhookRows(t.id)).map((r) => r.kind)).toEqual(['city_request_closed']);
    const before = receiver.received.length;
    expect(await worker.drain()).toBe(1);
    expect(JSON.parse(receiver.received[before].body).service_request).toMatchObject({
      service_request_id: t.number,
      service_code: 'suggestion',
      status: 'closed',
    });
  });

  it('a request of a client without a webhook, a hotline ticket and a Telegram ticket owe no call', async () => {
    const erp = await filed({ clientId: 'erp' });
    const hotline = await createTicket(core, hotlineComplaint());
    const telegram = await createTicket(core, hotlineComplaint({ source: 'telegram', firstResponder: 'telegram' }));
    for (const t of [erp, hotline, telegram]) await resolve(t);
    for (const t of [erp, hotline, telegram]) expect(await webhookRows(t.id)).toEqual([]);
  });
});

describe('the webhook call fails', () => {
  it('a receiver answering 500 is tried again after the backoff, with the same delivery id, and then it is delivered', async () => {
    const t = await filed();
    await resolve(t);
    const [row] = await webhookRows(t.id);
    receiver.answer(500);
    const before = receiver.received.length;
    expect(await worker.drain()).toBe(0);
    const failed = await core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(failed).toMatchObject({ state: 'pending', attempts: 1 });
    expect(failed.lastError).toContain('answered 500');
    core.clock.advance(60_000);
    expect(await worker.drain()).toBe(1);
    const calls = receiver.received.slice(before);
    expect(calls.map((c) => c.headers['x-open311-delivery'])).toEqual([row.key, row.key]);
    expect(await core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('a 429 waits its Retry-After', async () => {
    const t = await filed();
    await resolve(t);
    const [row] = await webhookRows(t.id);
    receiver.answer(429);
    await worker.drain();
    const waiting = await core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(waiting.state).toBe('pending');
    expect(waiting.nextAt.getTime() - core.clock.now().getTime()).toBeGreaterThanOrEqual(120_000);
    core.clock.advance(121_000);
    expect(await worker.drain()).toBe(1);
  });

  it('a receiver that does not answer in time may have taken it: retried, marked outcome unknown', async () => {
    const t = await filed();
    await resolve(t);
    const [row] = await webhookRows(t.id);
    receiver.answer('hang');
    await worker.drain();
    const doubt = await core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(doubt.state).toBe('pending');
    expect(doubt.lastError).toMatch(/^outcome unknown: .*did not answer/);
    core.clock.advance(60_000);
    expect(await worker.drain()).toBe(1);
  });

  it('a 410 is final: the row is dead, with the receiver’s words, and not tried again', async () => {
    const t = await filed();
    await resolve(t);
    const [row] = await webhookRows(t.id);
    receiver.answer(410);
    const before = receiver.received.length;
    await worker.drain();
    const dead = await core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(dead.state).toBe('dead');
    expect(dead.lastError).toContain('answered 410: this platform no longer takes these');
    core.clock.advance(3_600_000);
    await worker.drain();
    expect(receiver.received.length - before).toBe(1);
    // the admins' dead letters list it, to send again once the platform is fixed
    const listed = (await app.inject({ method: 'GET', url: '/api/outbox?state=dead', headers: auth })).json();
    expect(listed.items).toContainEqual(
      expect.objectContaining({ key: row.key, platform: 'webhook', target: 'city', kind: 'city_request_closed', state: 'dead' }),
    );
  });

  it('neither the secret nor a signature reaches the log or a stored error', async () => {
    expect(logged.length).toBeGreaterThan(0);
    const signatures = receiver.received.map((r) => (r.headers['x-open311-signature'] as string).slice('sha256='.length));
    const errors = (await core.db.outboxMessage.findMany({ where: { platform: 'webhook' } })).map((r) => r.lastError ?? '');
    for (const text of [...logged, ...errors]) {
      expect(text).not.toContain(SECRET);
      for (const s of signatures) expect(text).not.toContain(s);
    }
  });
});

describe('webhook settings', () => {
  const clients = (url = 'https://12345.example.gov.cn/open311/closed') => [
    { id: 'city', name: 'city', scopes: ['write' as const], token: { sha256: 'a'.repeat(64) }, webhook: { url, secretEnv: SECRET_ENV } },
  ];

  it('a missing or short secret stops the start, naming the variable and never the value', () => {
    expect(() => apiClientWebhooks(clients(), {})).toThrow(/API_CLIENT_CITY_WEBHOOK_SECRET is not set/);
    const short = 'too-short-secret';
    let message = '';
    try {
      apiClientWebhooks(clients(), { [SECRET_ENV]: short });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/API_CLIENT_CITY_WEBHOOK_SECRET is shorter than 32 characters/);
    expect(message).not.toContain(short);
  });

  it('plain http is refused except to this machine', () => {
    expect(() => apiClientWebhooks(clients('http://12345.example.gov.cn/closed'), { [SECRET_ENV]: SECRET })).toThrow(/webhook\.url must be https/);
    expect(apiClientWebhooks(clients('http://127.0.0.1:9999/closed'), { [SECRET_ENV]: SECRET })).toEqual([
      { clientId: 'city', url: 'http://127.0.0.1:9999/closed', secret: SECRET },
    ]);
    expect(apiClientWebhooks([{ ...clients()[0], webhook: undefined }], {})).toEqual([]);
  });
});
