import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxWorker } from '../../src/delivery/outbox-worker.js';
import { DeliveryError, type Deliverer } from '../../src/delivery/types.js';
import { auth, makeTestApp } from '../helpers/app.js';
import type { TestCore } from '../helpers/core.js';

/**
 * A minimal platform endpoint on loopback that records what it is sent and can be told to
 * fail: the worker's behaviour is judged by what arrives there.
 */
function platform() {
  const received: { target: string; key: string }[] = [];
  let script: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const status = script.shift() ?? 200;
      if (status === 200) received.push(JSON.parse(body));
      res.writeHead(status, status === 429 ? { 'retry-after': '7' } : {}).end();
    });
  });
  return {
    received,
    fail: (...statuses: number[]) => (script = statuses),
    listen: () => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise((r) => server.close(r)),
  };
}

const httpDeliverer = (url: () => string): Deliverer => ({
  async deliver(row) {
    const res = await fetch(url(), { method: 'POST', body: JSON.stringify({ target: row.target, key: row.key }) });
    if (res.status === 429) throw new DeliveryError('rate limited', { retryAfterMs: Number(res.headers.get('retry-after')) * 1000 });
    if (res.status === 404) throw new DeliveryError('no such chat', { permanent: true });
    if (!res.ok) throw new DeliveryError(`status ${res.status}`);
    return { result: { ok: true } };
  },
});

let app: FastifyInstance;
let core: TestCore;
const fake = platform();
let url = '';
let worker: OutboxWorker;
beforeAll(async () => {
  ({ app, core } = await makeTestApp());
  url = await fake.listen();
  worker = new OutboxWorker({ outbox: core.stores.outbox, clock: core.clock, deliverers: { slack: httpDeliverer(() => url) }, maxAttempts: 3 });
});
afterAll(async () => {
  await fake.close();
  await app?.close();
  await core?.close();
});

const owe = (key: string, target = 'C1') => core.stores.outbox.owe([{ key, platform: 'slack', target, kind: 'report', payload: {} }], core.clock.now());

describe('the outbox worker', () => {
  it('delivers in order per target and marks each sent', async () => {
    await owe('a1');
    await owe('a2');
    await owe('b1', 'C2');
    expect(await worker.drain()).toBe(3);
    expect(fake.received.filter((r) => r.target === 'C1').map((r) => r.key)).toEqual(['a1', 'a2']);
    expect(await core.db.outboxMessage.count({ where: { state: 'sent' } })).toBe(3);
  });

  it('stops promptly while a pass waits out a channel’s one-message-a-second gap, and leaves the rest owed', async () => {
    // its lane holds all three (what it would send within three minutes)
    const paced = new OutboxWorker({
      outbox: core.stores.outbox,
      clock: core.clock,
      deliverers: { slack: httpDeliverer(() => url) },
      perTargetGapMs: 60_000,
      laneAheadMs: 180_000,
    });
    for (const k of ['g1', 'g2', 'g3']) await owe(k, 'CGAP');
    const before = fake.received.length;
    const pass = paced.runOnce();
    // the first goes at once; the second would wait a minute for the channel
    for (let i = 0; i < 100 && fake.received.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    await paced.stop();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await pass).toBe(1);
    expect(fake.received.slice(before).map((r) => r.key)).toEqual(['g1']);
    const rest = await core.db.outboxMessage.findMany({ where: { key: { in: ['g2', 'g3'] } }, orderBy: { key: 'asc' } });
    expect(rest.map((m) => [m.key, m.state, m.leaseOwner, m.attempts])).toEqual([
      ['g2', 'pending', null, 0],
      ['g3', 'pending', null, 0],
    ]);
    expect(await worker.drain()).toBe(2); // the next worker sends them, in order
    expect(fake.received.slice(before).map((r) => r.key)).toEqual(['g1', 'g2', 'g3']);
  });

  it('owes a message once however often the change that caused it is replayed', async () => {
    await owe('once');
    await owe('once');
    expect(await core.db.outboxMessage.count({ where: { key: 'once' } })).toBe(1);
    await worker.drain();
  });

  it('obeys Retry-After on a 429 and keeps later messages to that target waiting', async () => {
    fake.received.length = 0;
    fake.fail(429);
    await owe('r1', 'C9');
    await owe('r2', 'C9');
    await worker.drain();
    expect(fake.received).toEqual([]);
    const row = await core.db.outboxMessage.findUniqueOrThrow({ where: { key: 'r1' } });
    expect(row.nextAt.getTime() - core.clock.now().getTime()).toBeGreaterThanOrEqual(7000);
    core.clock.advance(7000 + 60_000);
    await worker.drain();
    expect(fake.received.map((r) => r.key)).toEqual(['r1', 'r2']);
  });

  it('gives up after the attempts limit, shows it to admins and sends it again on request', async () => {
    fake.fail(500, 500, 500);
    await owe('dead1', 'C7');
    for (let i = 0; i < 3; i++) {
      await worker.drain();
      core.clock.advance(10 * 60_000);
    }
    const list = await app.inject({ method: 'GET', url: '/api/outbox?state=dead', headers: auth });
    expect(list.json().items.map((i: any) => [i.key, i.attempts, i.lastError])).toEqual([['dead1', 3, 'status 500']]);
    const resend = await app.inject({ method: 'POST', url: `/api/outbox/${list.json().items[0].id}/resend`, headers: auth });
    expect(resend.json()).toMatchObject({ state: 'pending' });
    await worker.drain();
    expect(fake.received.map((r) => r.key)).toContain('dead1');
    const again = await app.inject({ method: 'POST', url: `/api/outbox/${list.json().items[0].id}/resend`, headers: auth });
    expect(again.statusCode).toBe(409);
  });

  it('never delivers a row that another instance holds a lease on', async () => {
    await owe('leased', 'C8');
    await core.db.outboxMessage.update({ where: { key: 'leased' }, data: { leaseOwner: 'other', leaseUntil: new Date(core.clock.now().getTime() + 30_000) } });
    const before = fake.received.length;
    await worker.runOnce();
    expect(fake.received.length).toBe(before);
    core.clock.advance(31_000);
    await worker.runOnce();
    expect(fake.received.at(-1)?.key).toBe('leased');
  });

  it('tells the deliverer when an earlier attempt may have arrived, until one succeeds; a row a stopped instance held is such a row', async () => {
    const told: [string, boolean][] = [];
    let script: ('lost' | 'refused' | 'ok')[] = [];
    const recording = new OutboxWorker({
      outbox: core.stores.outbox,
      clock: core.clock,
      maxAttempts: 10,
      deliverers: {
        slack: {
          async deliver(row, attempt) {
            told.push([row.key, attempt?.outcomeUnknown ?? false]);
            const next = script.shift() ?? 'ok';
            if (next === 'lost') throw new DeliveryError('socket hang up', { outcomeUnknown: true });
            if (next === 'refused') throw new DeliveryError('slack error: fatal_error');
            return {};
          },
        },
      },
    });
    const later = () => core.clock.advance(10 * 60_000);

    // the answer is lost; the retry is refused before posting: the doubt stays for the third
    script = ['lost', 'refused', 'ok'];
    await owe('doubt1', 'CD1');
    await recording.drain();
    expect((await core.db.outboxMessage.findUniqueOrThrow({ where: { key: 'doubt1' } })).lastError).toBe('outcome unknown: socket hang up');
    later();
    await recording.drain();
    expect((await core.db.outboxMessage.findUniqueOrThrow({ where: { key: 'doubt1' } })).lastError).toBe('outcome unknown: slack error: fatal_error');
    later();
    await recording.drain();
    expect(told.filter(([k]) => k === 'doubt1').map(([, unknown]) => unknown)).toEqual([false, true, true]);
    expect(await core.db.outboxMessage.findUniqueOrThrow({ where: { key: 'doubt1' } })).toMatchObject({ state: 'sent', lastError: null });

    // a plain refusal leaves no doubt
    script = ['refused'];
    await owe('plain1', 'CD2');
    await recording.drain();
    later();
    await recording.drain();
    expect(told.filter(([k]) => k === 'plain1').map(([, unknown]) => unknown)).toEqual([false, false]);

    // a stopped instance's lease: the row is claimed again once it runs out, in doubt
    await owe('cut1', 'CD3');
    await core.db.outboxMessage.update({ where: { key: 'cut1' }, data: { leaseOwner: 'w-stopped', leaseUntil: new Date(core.clock.now().getTime() + 1000) } });
    later();
    await recording.drain();
    expect(told.filter(([k]) => k === 'cut1')).toEqual([['cut1', true]]);
  });
});
