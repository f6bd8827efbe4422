/**
 * R28 in Slack: the centre's callback modal refuses a "not reached" that comes sooner than
 * escalation.callbackRetrySpacing (2 h) after the last counted one, saying when the next counts;
 * spaced attempts count, and the third marks the customer unreachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../../src/core/clock.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, clickOn, lastModal, makeSlackHarness, slackViewSubmission, textOf, U, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
});
afterAll(() => h?.close());

describe('the phone callback modal (R28)', () => {
  it('refuses a second "not reached" within 2 h in the modal, with when the next attempt counts; spaced ones count up to unreachable', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    for (const action of ['accept', 'arrive'] as const) await transitionTicket(h.core, { number: t.number, action, actor: 'staff:xincheng-field1' });
    await transitionTicket(h.core, { number: t.number, action: 'resolve', actor: 'staff:xincheng-field1', note: '已排气', form: { workDone: '排气' } });
    await h.drain();
    const cb = await h.core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    const task = await cardOf(h, t.id, `callback:${cb.id}`);
    const notReached = async () => {
      await clickOn(h, U.agent, task, 'callback.record');
      const { meta } = lastModal(h);
      return h.submit(slackViewSubmission(U.agent, 'callback.record', { reached: { option: 'no' }, satisfaction: null, note: '无人接听' }, meta));
    };

    h.core.clock.set('2026-11-28T14:00:00+08:00');
    expect((await notReached()).body).toBe('');
    // the task says how many calls counted and from when the next one counts
    expect(textOf(h.fake.message(task.channel, task.ts)!)).toContain('已拨打 1 次（最多 3 次） · 下一次“未联系上”须在 2026-11-28 16:00 之后才计入');
    h.core.clock.advance(40 * MINUTE);
    const refused = await notReached();
    expect(refused.json().errors.reached).toBe(
      '上次未联系上是 2026-11-28 14:00（已计 1 次）。两次尝试须间隔 2 小时，2026-11-28 16:00 之后再打一次才计入；现在请先不要记录。',
    );
    expect(await h.core.db.callback.findUniqueOrThrow({ where: { id: cb.id } })).toMatchObject({ status: 'pending', attempts: 1 });

    h.core.clock.set('2026-11-28T16:00:00+08:00');
    expect((await notReached()).body).toBe('');
    h.core.clock.advance(2 * HOUR);
    await notReached();
    expect(await h.core.db.callback.findUniqueOrThrow({ where: { id: cb.id } })).toMatchObject({ status: 'unreachable', attempts: 3 });
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe('closed');
    expect(textOf(h.fake.message(task.channel, task.ts)!)).toContain('完成回访：多次联系不上');
  });
});
