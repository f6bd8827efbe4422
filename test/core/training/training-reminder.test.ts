/**
 * The training reminder (R23/R24) on the 1st at 10:00: each branch's head hears which of its
 * service staff have had no session this year; the centre's leaders hear the centre's; a place
 * where everyone has been trained hears nothing.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG } from '../../../src/config.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { ensureReportsScheduled } from '../../../src/core/reports/schedule-reports.js';
import { recordSession } from '../../../src/core/training/record-session.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore({ start: '2026-11-28T02:00:00Z' });
});
afterAll(() => core.close());

describe('the training reminder to branch heads (R23/R24)', () => {
  it('on 1 December at 10:00 lists each branch’s untrained staff in its channel, and nothing for a branch whose staff are all trained', async () => {
    await ensureReportsScheduled(core);
    const yuquan = ['yuquan-coord', 'yuquan-field1', 'yuquan-field2', 'yuquan-billing'];
    await recordSession(core, { topic: 'regulations', date: '2026-06-01', trainer: '郭平', attendees: yuquan, actor: 'staff:yuquan-head' });
    await recordSession(core, {
      topic: 'communication',
      date: '2026-06-02',
      trainer: '李老师',
      attendees: ['xincheng-field1', 'agent01'],
      actor: 'staff:agent01',
    });
    core.clock.set('2026-12-01T01:59:00Z');
    await fireDueAlerts(core, 'x');
    expect(await core.db.outboxMessage.count({ where: { key: { startsWith: 'report:report_training:' } } })).toBe(0);

    core.clock.set('2026-12-01T02:00:00Z'); // 10:00 company time
    await fireDueAlerts(core, 'x');
    const rows = await core.db.outboxMessage.findMany({ where: { key: { startsWith: 'report:report_training:2026-12-01:' } }, orderBy: { key: 'asc' } });
    const by = Object.fromEntries(rows.map((r) => [r.key.split(':').at(-1), { target: r.target, payload: JSON.parse(r.payload) }]));
    expect(Object.keys(by).sort()).toEqual(['centre', 'huimin', 'jinqiao', 'saihan', 'xincheng']);
    expect(by.xincheng.target).toBe('C1XINCHER'); // no leaders channel: its reports channel
    expect(by.xincheng.payload).toEqual({
      report: 'training',
      date: '2026-12-01',
      year: 2026,
      branchId: 'xincheng',
      staffIds: ['xincheng-coord', 'xincheng-field2', 'xincheng-billing'],
      of: 4,
    });
    expect(by.centre.target).toBe('C0LEADER01');
    expect(by.centre.payload.staffIds).toEqual(['agent02', 'agent03', 'agent04']);
  });

  it("goes to a branch's leaders channel when it has one, and on 1 January speaks of the year that ended", async () => {
    const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
    doc.branches.find((b: { id: string }) => b.id === 'xincheng').channels.leaders = 'C1XINCHEL';
    const c = await makeTestCore({ org: doc, start: '2026-12-01T03:00:00Z' });
    try {
      await ensureReportsScheduled(c);
      c.clock.set('2026-12-20T03:00:00Z');
      await recordSession(c, { topic: 'regulations', date: '2026-12-15', trainer: '黄海燕', attendees: ['xincheng-coord'], actor: 'staff:xincheng-head' });
      c.clock.set('2027-01-01T02:00:00Z');
      await fireDueAlerts(c, 'x');
      const row = await c.db.outboxMessage.findFirstOrThrow({ where: { key: 'report:report_training:2027-01-01:xincheng' } });
      expect(row.target).toBe('C1XINCHEL');
      expect(JSON.parse(row.payload)).toMatchObject({ year: 2026, staffIds: ['xincheng-field1', 'xincheng-field2', 'xincheng-billing'] });
    } finally {
      await c.close();
    }
  });
});
