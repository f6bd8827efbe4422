import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstReceipt } from '../../src/core/inbound/remember-receipt.js';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { runnerOf } from '../../src/db/runner.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { hotlineComplaint } from '../helpers/builders.js';
import { makeTestCore, usingPostgres, type TestCore } from '../helpers/core.js';

let core: TestCore;
const zone = process.env.TZ;
beforeAll(async () => {
  core = await makeTestCore();
  await seedDemoCustomers(core);
});
afterAll(async () => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
  await core?.close();
});

describe.skipIf(!usingPostgres)('the data layer on PostgreSQL', () => {
  it('writes and reads instants as Prisma does (UTC), whatever the process’s own time zone', async () => {
    expect(runnerOf(core.db).dialect).toBe('postgresql');
    // the server's local zone is Beijing's: pg's own date conversion would shift every instant by 8 hours
    process.env.TZ = 'Asia/Shanghai';
    const at = core.clock.now();
    const t = await createTicket(core, hotlineComplaint());
    const stored = await core.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(stored.createdAt.toISOString()).toBe(at.toISOString());
    expect(stored.ackDueAt?.toISOString()).toBe(t.ackDueAt?.toISOString());
    expect(stored.number).toBe(t.number);
    const events = await core.db.ticketEvent.findMany({ where: { ticketId: t.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.type, e.at.toISOString()])).toEqual([
      ['created', at.toISOString()],
      ['dispatched', at.toISOString()],
    ]);
    const alerts = await core.db.scheduledAlert.findMany({ where: { ticketId: t.id } });
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => a.dueAt.getTime() > at.getTime())).toBe(true);

    const c = await core.db.customer.findFirstOrThrow();
    expect(await core.stores.customers.byId(c.id)).toEqual(c);
    const r = await core.db.resident.create({ data: { telegramUserId: '4242', chatId: '4242', locale: 'zh-CN', createdAt: at, updatedAt: at } });
    expect(await core.stores.residents.meet({ telegramUserId: '4242', chatId: '4242', locale: 'en' }, at)).toEqual(r);
    expect(await firstReceipt(core, 'telegram:777')).toBe(true);
    expect(await firstReceipt(core, 'telegram:777')).toBe(false);
    expect((await core.db.inboundReceipt.findUniqueOrThrow({ where: { key: 'telegram:777' } })).receivedAt.toISOString()).toBe(at.toISOString());
  });
});
