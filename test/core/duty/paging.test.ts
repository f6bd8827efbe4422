/**
 * The deadline sweep pages whoever is on duty for the ticket's unit at the time it fires (R4,
 * R7): the roster's shift, or the person an accepted handover made responsible, read once for the
 * batch. The demo roster has jinqiao's field team by day (jinqiao-field1) and by night (jinqiao-field2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { acceptHandover } from '../../../src/core/duty/accept-handover.js';
import { onDutyNow } from '../../../src/core/duty/on-duty-now.js';
import { startHandover } from '../../../src/core/duty/start-handover.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore({ start: '2026-11-28T18:30:00Z' }); // 02:30 in Hohhot
});
afterAll(() => core?.close());

/** The people the first unit-level (level 0) alert of a ticket calls, once the sweep has run at `iso`. */
async function firstWarning(ticketId: number, iso: string): Promise<string[]> {
  core.clock.set(iso);
  await fireDueAlerts(core, 'test');
  const rows = await core.db.outboxMessage.findMany({ where: { kind: 'staff_alert' }, orderBy: { id: 'asc' } });
  const warning = rows.map((m) => JSON.parse(m.payload)).find((p) => p.ticketId === ticketId && p.level === 0);
  return warning?.mention ?? [];
}

const jinqiaoNoHeat = () => createTicket(core, hotlineComplaint({ description: '暖气不热', customerAccount: undefined, communityId: 'c035' }));

describe('the deadline sweep pages the duty of the moment (R4, R7)', () => {
  it("warns the night shift of the ticket's unit at night, not the day person", async () => {
    const t = await jinqiaoNoHeat();
    expect(t).toMatchObject({ branchId: 'jinqiao', unitId: 'jinqiao-field', assigneeId: null });
    expect(await firstWarning(t.id, '2026-11-28T20:00:00Z')).toEqual(['jinqiao-field2']);
  });

  it('after an accepted handover, warns the person who took the duty over', async () => {
    core.clock.set('2026-11-28T20:30:00Z'); // 04:30
    const h = await startHandover(core, { staffId: 'jinqiao-field2', summary: '身体不适，请班长顶班' });
    expect((await onDutyNow(core, { branchId: 'jinqiao', unitId: 'jinqiao-field' }, core.clock.now())).map((s) => s.id)).toEqual(['jinqiao-field2']);
    await acceptHandover(core, { handoverId: h.id, staffId: 'jinqiao-coord' });
    const t = await jinqiaoNoHeat();
    expect(await firstWarning(t.id, '2026-11-28T22:00:00Z')).toEqual(['jinqiao-coord']);
    // the handover ran to the end of the night shift: at 08:00 the roster's day person is back
    expect((await onDutyNow(core, { branchId: 'jinqiao', unitId: 'jinqiao-field' }, new Date('2026-11-29T00:00:00Z'))).map((s) => s.id)).toEqual([
      'jinqiao-field1',
    ]);
  });
});
