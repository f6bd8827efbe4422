/**
 * 九: a branch's own escalation delays reach its tickets' alerts (the warning lead and the second
 * level), on the real database; the company's stand for the other branches.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_ORG } from '../../../src/config.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
  // 新城 warns 30 minutes ahead (the company: 15) and urges its head 10 minutes after a miss (the company: 30)
  doc.branches[0].escalation = { warnLead: '30m', secondLevelAfter: '10m' };
  core = await makeTestCore({ org: doc });
  await seedDemoCustomers(core);
});
afterAll(() => core?.close());

const alertsFor = async (ticketId: number) =>
  (await core.db.outboxMessage.findMany({ where: { kind: 'staff_alert' }, orderBy: { id: 'asc' } }))
    .map((m) => JSON.parse(m.payload))
    .filter((p) => p.ticketId === ticketId && p.deadline === 'arrive')
    .map((p) => p.stage);

async function at(iso: string) {
  core.clock.set(iso);
  return fireDueAlerts(core, 'test');
}

describe("a branch's own escalation delays (九)", () => {
  it('warns 30 minutes before the 1-hour arrival and alerts the branch head 10 minutes after it is missed', async () => {
    core.clock.set('2026-11-28T06:00:00Z');
    const t = await createTicket(core, hotlineComplaint()); // 幸福家园, 新城
    await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' });
    await at('2026-11-28T06:29:00Z');
    expect(await alertsFor(t.id)).toEqual([]);
    await at('2026-11-28T06:30:00Z');
    expect(await alertsFor(t.id)).toEqual(['warn']);
    await at('2026-11-28T07:00:00Z');
    await at('2026-11-28T07:09:00Z');
    expect(await alertsFor(t.id)).toEqual(['warn', 'overdue']);
    await at('2026-11-28T07:10:00Z');
    expect(await alertsFor(t.id)).toEqual(['warn', 'overdue', 'escalate2']);
  });
});
