/**
 * The drills and the simulator trust their ledger (tools/sim/audit.ts) to see a message delivered
 * twice and a message never delivered: this shows that it does, on a ticket walked through the
 * real deliverers to the fake platforms, then given a second copy of a message and a step whose
 * messages were never sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../src/bots/slack/index.js';
import { TelegramDeliverer } from '../../src/bots/telegram/deliverer.js';
import { fileResidentReport } from '../../src/core/residents/file-resident-report.js';
import { transitionTicket } from '../../src/core/tickets/transition-ticket.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { OutboxWorker } from '../../src/delivery/outbox-worker.js';
import { FakeSlackApi } from '../../tools/dev/fake-slack-api.js';
import { FakeTelegramApi } from '../../tools/dev/fake-telegram-api.js';
import { audit } from '../../tools/sim/audit.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

let core: TestCore;
let tg: FakeTelegramApi;
let slack: FakeSlackApi;
let worker: OutboxWorker;
let number: string;
const CHAT = 880_000_001;

/** Sends a call the fake already answered once, again: the platform now shows it twice. */
async function again(fake: 'tg' | 'slack', call: { method: string; params: Record<string, any> }): Promise<void> {
  const url = fake === 'tg' ? `${tg.apiRoot}/bot123456:LEDGER/${call.method}` : `${slack.url}${call.method}`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(call.params) });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  tg = await FakeTelegramApi.start();
  slack = await FakeSlackApi.start();
  core = await makeTestCore();
  await seedDemoCustomers(core);
  const customer = await core.db.customer.findUniqueOrThrow({ where: { account: '1010000000' } });
  const resident = await core.db.resident.create({
    data: {
      telegramUserId: String(CHAT),
      chatId: String(CHAT),
      locale: 'zh-CN',
      customerId: customer.id,
      communityId: customer.communityId,
      address: customer.address,
    },
  });
  const app = createSlackApp({ core, token: 'xoxb-ledger', signingSecret: 'ledger-signing-secret-0123', apiUrl: slack.url });
  worker = new OutboxWorker({
    outbox: core.stores.outbox,
    clock: core.clock,
    deliverers: { slack: app.deliverer, telegram: new TelegramDeliverer({ core, token: '123456:LEDGER', apiRoot: tg.apiRoot }) },
  });
  number = (await fileResidentReport(core, { residentId: resident.id, kind: 'complaint', category: 'no_heat', description: '暖气不热' })).number;
  await transitionTicket(core, { number, action: 'accept', actor: 'staff:xincheng-coord' });
  await worker.drain();
});
afterAll(async () => {
  await core?.close();
  await tg?.close();
  await slack?.close();
});

describe('the ledger of a run', () => {
  it('finds nothing wrong when every owed message arrived once', async () => {
    const l = await audit(core.db, core.org, tg, slack, [CHAT]);
    // the card, its "accepted" thread line, and the resident's "accepted" notification
    expect(l.expected).toBe(4);
    expect({ lost: l.lost, duplicated: l.duplicated, problems: l.problems }).toEqual({ lost: 0, duplicated: 0, problems: [] });
    expect(l.notClosed).toEqual([`${number} accepted`]);
  });

  it('counts a second card, a second thread line and a second notification as duplicates', async () => {
    const card = slack.calls.find((c) => c.method === 'chat.postMessage' && !c.params.thread_ts)!;
    const line = slack.calls.find((c) => c.method === 'chat.postMessage' && c.params.thread_ts)!;
    const notice = tg.calls.find((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === CHAT)!;
    await again('slack', card);
    await again('slack', line);
    await again('tg', notice);
    const l = await audit(core.db, core.org, tg, slack, [CHAT]);
    expect(l.duplicated).toBe(3);
    expect(l.lost).toBe(0);
  });

  it('counts a step whose messages never went out as lost, and a report that is no ticket', async () => {
    await transitionTicket(core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });
    const l = await audit(core.db, core.org, tg, slack, [CHAT, CHAT + 1]);
    // the card update and the notification still owed (pending), and the resident CHAT + 1 was told of a ticket that does not exist
    expect(l.pending).toBe(2);
    expect(l.lost).toBe(3);
    expect(l.problems.some((p) => p.includes(`Telegram user ${CHAT + 1}`))).toBe(true);
  });
});
