/**
 * The simulator's cold snap (npm run simulate -- --outage HX-XI02) trusts its own pieces: the
 * households it imports live in the station's communities and bind like the register's, the
 * desk's answers in the /incident and update modals are what the app reads back, the early
 * risers come before the flood, and the ledger owes a report linked to an incident no card and
 * no step message of its own (the incident's rows speak for it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../src/bots/slack/index.js';
import { incidentModal, incidentUpdateModal, parseExpected } from '../../src/bots/slack/modals/incident-modal.js';
import { TelegramDeliverer } from '../../src/bots/telegram/deliverer.js';
import { importCustomers } from '../../src/core/customers/import-customers.js';
import { declareIncident } from '../../src/core/incidents/declare-incident.js';
import { fileResidentReport } from '../../src/core/residents/file-resident-report.js';
import { OutboxWorker } from '../../src/delivery/outbox-worker.js';
import { FakeSlackApi } from '../../tools/dev/fake-slack-api.js';
import { FakeTelegramApi } from '../../tools/dev/fake-telegram-api.js';
import { audit } from '../../tools/sim/audit.js';
import { parseSimArgs, UsageError } from '../../tools/sim/options.js';
import { arrivalMs, incidentField, planOutage, stateOf } from '../../tools/sim/outage.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

let core: TestCore;
const cast = { outage: 'HX-XI02', outageResidents: 60, seed: 3, outageLeakShare: 0.1, outageUrgeShare: 0.1, outageFollowUpShare: 0.1, stillColdShare: 0.1 };

beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(async () => {
  await core?.close();
});

describe('--outage', () => {
  it('plays the station and spreads the ordinary residents over the outage’s wall time unless told otherwise', () => {
    const o = parseSimArgs(['--outage', 'HX-XI02', '--outage-wall', '60', '--early', '5', '--early-wall', '30']);
    expect(o).toMatchObject({ outage: 'HX-XI02', outageResidents: 2000, residents: 40, durationS: 90 });
    expect(parseSimArgs(['--outage=HX-XI02', '--residents', '7'])).toMatchObject({ residents: 7 });
    expect(() => parseSimArgs(['--outage', 'HX XI02'])).toThrow(UsageError);
    expect(() => parseSimArgs(['--still-cold', '2'])).toThrow(UsageError);
  });

  it('refuses a station no community is served by, naming the ones there are', () => {
    expect(() => planOutage(core.org, { ...cast, outage: 'HX-NOPE' })).toThrow(/HX-XI02/);
  });

  it('brings households of the station’s communities that the register takes and the bot can bind', async () => {
    const plan = planOutage(core.org, cast);
    expect(plan.communities.sort()).toEqual(['c001', 'c005', 'c009']);
    expect(plan.branchIds).toEqual(['xincheng']);
    const imported = await importCustomers(core, plan.customersCsv);
    expect(imported.errors).toEqual([]);
    const rows = await core.db.customer.findMany({ where: { account: { startsWith: 'HX-XI02-' } } });
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.communityId))).toEqual(new Set(plan.communities));
    // /bind <account> <last 4 digits of the phone> works for each
    for (const p of plan.residents) expect(rows.find((r) => r.account === p.account)?.phone.endsWith(p.last4)).toBe(true);
    // a leak is never also cast to urge or say 还不热
    for (const p of plan.residents.filter((x) => x.leak)) expect({ urge: p.urge, stillCold: p.stillCold }).toEqual({ urge: false, stillCold: false });
    // the same seed casts the same households
    expect(planOutage(core.org, cast).residents.map((p) => p.sentence)).toEqual(plan.residents.map((p) => p.sentence));
  });

  it('lets the early risers write before the flood, few at first and many at the end', () => {
    const at = Array.from({ length: 1000 }, (_, i) => arrivalMs(i, 1000, 90, 12, 70));
    expect(at.every((t, i) => i === 0 || t >= at[i - 1])).toBe(true);
    expect(at[11]).toBeLessThan(70_000);
    expect(at[12]).toBe(70_000);
    expect(at[999]).toBe(160_000);
    // the flood's first half of the time brings a quarter of it
    expect(at.filter((t) => t >= 70_000 && t < 115_000).length).toBeLessThan(300);
  });

  it('answers the /incident modal with the station, its scope, a cause and a later time the app reads back', () => {
    const plan = planOutage(core.org, cast);
    const staff = [...core.org.staff.values()].find((s) => s.role === 'centre_agent')!;
    const now = new Date();
    const view = incidentModal({ org: core.org, locale: 'zh-CN', now }, staff, {});
    const state = stateOf(view.blocks as any[], (b, e) => incidentField(b, e, plan, 'declare'));
    expect((state.stations.stations as any).selected_options.map((o: any) => o.value)).toEqual(['HX-XI02']);
    expect((state.scope.scope as any).selected_option.value).toBe('station');
    expect((state.severity.severity as any).selected_option.value).toBe('normal');
    expect((state.cause.cause as any).value).toContain('HX-XI02');
    const expected = parseExpected((state.expected.expected as any).value, now);
    expect(expected && expected.getTime() - now.getTime()).toBeGreaterThan(2.9 * 3600_000);

    const later = new Date(now.getTime() + 5 * 3600_000);
    const update = incidentUpdateModal({ org: core.org, locale: 'zh-CN', now }, { number: 'I20261207-01', cause: '循环泵故障' } as any, {});
    const s2 = stateOf(update.blocks as any[], (b, e) => incidentField(b, e, plan, 'update', later));
    expect(parseExpected((s2.expected.expected as any).value, now)?.getTime()).toBe(Math.floor(later.getTime() / 60_000) * 60_000);
    expect((s2.cause.cause as any).value).toBe('循环泵故障');
  });
});

describe('the ledger of an outage', () => {
  let tg: FakeTelegramApi;
  let slack: FakeSlackApi;
  let chat: number;

  beforeAll(async () => {
    tg = await FakeTelegramApi.start();
    slack = await FakeSlackApi.start();
    const customer = await core.db.customer.create({
      data: { account: 'LEDGER-0001', name: '王芳', phone: '13900001234', address: '东风小区1号楼1单元101室', communityId: 'c005' },
    });
    chat = 880_000_101;
    const resident = await core.db.resident.create({
      data: { telegramUserId: String(chat), chatId: String(chat), locale: 'zh-CN', customerId: customer.id },
    });
    await declareIncident(core, { stationIds: ['HX-XI02'], scope: 'station', cause: '循环泵故障', actor: 'staff:agent01', expectedAt: null });
    const ticket = await fileResidentReport(core, { residentId: resident.id, kind: 'complaint', category: 'no_heat', description: '暖气不热' });
    expect(ticket.incidentId).not.toBeNull();
    const app = createSlackApp({ core, token: 'xoxb-ledger', signingSecret: 'ledger-signing-secret-0123', apiUrl: slack.url });
    const worker = new OutboxWorker({
      outbox: core.stores.outbox,
      clock: core.clock,
      deliverers: { slack: app.deliverer, telegram: new TelegramDeliverer({ core, token: '123456:LEDGER', apiRoot: tg.apiRoot }) },
    });
    await worker.drain();
    // the incident card's refreshes are coalesced per 10 s: the bucket ends, the card is posted
    (core.clock as unknown as { advance(ms: number): void }).advance(11_000);
    await worker.drain();
  });
  afterAll(async () => {
    await tg?.close();
    await slack?.close();
  });

  it('owes a linked report no dispatch card and no step notice of its own (R27: the incident’s clock, not the hour on site)', async () => {
    const l = await audit(core.db, core.org, tg, slack, [chat]);
    expect({ lost: l.lost, duplicated: l.duplicated, problems: l.problems }).toEqual({ lost: 0, duplicated: 0, problems: [] });
    const cards = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.params.channel === 'C1XINCHED');
    expect(cards).toEqual([]);
  });
});
