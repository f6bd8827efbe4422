/**
 * R2 on every transport: the centre receives, dispatches, urges and calls back; the branch serves
 * on site. The API checks the staff member a client acts for exactly as Slack checks a click.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { reclassifyTicket } from '../../src/core/tickets/reclassify-ticket.js';
import { transitionTicket } from '../../src/core/tickets/transition-ticket.js';
import { hotlineComplaint } from '../helpers/builders.js';
import { auth, makeTestApp } from '../helpers/app.js';
import { cardOf, clickOn, findElement, makeSlackHarness, slackSelect, toldTo, U, type SlackHarness } from '../helpers/slack.js';
import type { TestCore } from '../helpers/core.js';

let app: FastifyInstance;
let core: TestCore;
beforeAll(async () => {
  ({ app, core } = await makeTestApp());
  await seedDemoCustomers(core);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const step = (number: string, body: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: `/api/tickets/${number}/transitions`, payload: body, headers: auth });
const eventsOf = async (number: string) => core.db.ticketEvent.count({ where: { ticket: { number } } });

async function accepted(): Promise<string> {
  const t = await createTicket(core, hotlineComplaint());
  await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
  return t.number;
}

describe('the API checks the same roles as Slack (R2)', () => {
  it('refuses the centre recording a branch arrival on site with 403 forbidden and the reason, and stores nothing', async () => {
    const number = await accepted();
    const before = await eventsOf(number);
    for (const actor of ['agent01', 'admin']) {
      const res = await step(number, { action: 'arrive', actor });
      expect(res.statusCode, actor).toBe(403);
      expect(res.json()).toMatchObject({ code: 'forbidden', reason: 'branch_on_site' });
    }
    expect(await eventsOf(number)).toBe(before);
    expect((await core.db.ticket.findUniqueOrThrow({ where: { number } })).arrivedAt).toBeNull();
    const own = await step(number, { action: 'arrive', actor: 'xincheng-field1' });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().status).toBe('on_site');
  });

  it('lets the centre or the branch coordinator cancel and reclassify, and refuses the field staff (R2, R29)', async () => {
    const number = await accepted();
    const byField = await step(number, { action: 'cancel', actor: 'xincheng-field1', note: '住户撤回' });
    expect(byField.statusCode).toBe(403);
    expect(byField.json()).toMatchObject({ code: 'forbidden', reason: 'coordinators_only' });
    const reclass = await app.inject({
      method: 'POST',
      url: `/api/tickets/${number}/classification`,
      payload: { actor: 'xincheng-field1', scope: 'primary', note: '一网故障' },
      headers: auth,
    });
    expect(reclass.statusCode).toBe(403);
    expect(reclass.json()).toMatchObject({ code: 'forbidden', reason: 'coordinators_only' });
    expect((await core.db.ticket.findUniqueOrThrow({ where: { number } })).status).toBe('accepted');
    const byCoord = await step(number, { action: 'cancel', actor: 'xincheng-coord', note: '住户撤回' });
    expect(byCoord.statusCode, byCoord.body).toBe(200);
    expect(byCoord.json().status).toBe('cancelled');
  });

  it("refuses a branch's staff recording a branch-direct complaint for another branch, as Slack's /intake does (R2, R1.2)", async () => {
    const intake = { kind: 'complaint', category: 'no_heat', source: 'branch_direct', description: '暖气不热', customerAccount: '1010000000' };
    const before = await core.db.ticket.count();
    const res = await app.inject({
      method: 'POST',
      url: '/api/tickets',
      payload: { ...intake, firstResponder: 'huimin-coord', branchId: 'xincheng' },
      headers: auth,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', reason: 'other_branch' });
    expect(await core.db.ticket.count()).toBe(before);
    const own = await app.inject({
      method: 'POST',
      url: '/api/tickets',
      payload: { ...intake, firstResponder: 'xincheng-coord', branchId: 'xincheng' },
      headers: auth,
    });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ branchId: 'xincheng', source: 'branch_direct' });
  });

  it('needs a named staff member for every step: a client acting for nobody is refused (R2)', async () => {
    const number = await accepted();
    const before = await eventsOf(number);
    const res = await step(number, { action: 'arrive' });
    expect(res.statusCode).toBe(400);
    expect(await eventsOf(number)).toBe(before);
  });
});

describe('the core refuses the same, whatever transport asks (R2)', () => {
  it('refuses the centre recording an arrival, and field staff cancelling, marking a duplicate or reclassifying', async () => {
    const number = await accepted();
    const refused = async (p: Promise<unknown>) => {
      const e = await p.then(
        () => null,
        (x: { code: string; context: { reason: string } }) => x,
      );
      return e && [e.code, e.context.reason];
    };
    expect(await refused(transitionTicket(core, { number, action: 'arrive', actor: 'staff:agent02' }))).toEqual(['forbidden', 'branch_on_site']);
    expect(await refused(transitionTicket(core, { number, action: 'cancel', actor: 'staff:xincheng-field2', note: '误报' }))).toEqual([
      'forbidden',
      'coordinators_only',
    ]);
    const other = await accepted();
    expect(
      await refused(transitionTicket(core, { number, action: 'mark_duplicate', actor: 'staff:xincheng-field2', duplicateOf: other, note: '重复' })),
    ).toEqual(['forbidden', 'coordinators_only']);
    expect(await refused(reclassifyTicket(core, { number, actor: 'staff:xincheng-field2', scope: 'primary', reason: '一网故障' }))).toEqual([
      'forbidden',
      'coordinators_only',
    ]);
    expect((await core.db.ticket.findUniqueOrThrow({ where: { number } })).status).toBe('accepted');
    const { ticket } = await transitionTicket(core, { number, action: 'arrive', actor: 'staff:xincheng-field2' });
    expect(ticket.status).toBe('on_site');
  });
});

describe('the Slack card refuses the same (R2)', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await makeSlackHarness();
  });
  afterAll(() => h?.close());

  it("tells a centre agent who clicks 到达现场 that only the branch's own staff record it, and the ticket stays accepted", async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    await transitionTicket(h.core, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
    await h.drain();
    const card = await cardOf(h, t.id);
    await clickOn(h, U.agent, card, 'ticket.arrive');
    expect(toldTo(h, U.agent).at(-1)).toContain('到达现场只能由本分公司的人员记录');
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe('accepted');
    await clickOn(h, U.xinchengField, card, 'ticket.arrive');
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe('on_site');
  });

  it('tells a field worker who picks cancel from the menu that the centre or the service office does it (R2)', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    await h.drain();
    const card = await cardOf(h, t.id);
    const menu = findElement(card.blocks, 'ticket.tools');
    const cancel = (menu?.options ?? []).find((o: any) => String(o.value).includes('ticket.cancel'));
    expect(cancel).toBeDefined();
    const opened = h.fake.callsTo('views.open').length;
    await h.click(slackSelect(U.xinchengField, 'ticket.tools', cancel.value, { channel: card.channel, ts: card.ts }));
    expect(toldTo(h, U.xinchengField).at(-1)).toContain('只能由客户服务中心或本分公司客服处办理');
    expect(h.fake.callsTo('views.open')).toHaveLength(opened);
  });
});
