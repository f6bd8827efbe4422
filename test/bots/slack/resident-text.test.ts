/**
 * What residents write (the description, the address, the name they give) reaches staff as text,
 * never as a link or a mention: Slack turns bare URLs, channel names and @here into links in mrkdwn
 * unless the text object is `verbatim`, and `<...>` is its markup for links and mentions. Checked on
 * every block the fake Slack API recorded: the card, the urgent and major alerts, the triage
 * message, /ticket, and the private answer with the full phone number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, clickOn, makeSlackHarness, U, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
});
afterAll(() => h?.close());

const HOSTILE = {
  description: '暖气不热 http://pay.evil.example/refund 点这里退费 <!channel> <!here> @here @channel <@U99EVIL> <https://evil.example|官方通知> #general',
  address: 'www.evil.example 17号楼 <!everyone>',
  contactName: 'https://evil.example/x',
};

/** Every text object in a message's blocks (sections, fields, context, headers, buttons, options). */
function textObjects(blocks: unknown): { type: string; text: string; verbatim?: boolean }[] {
  const out: { type: string; text: string; verbatim?: boolean }[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o as never);
      else Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
}

/** What Slack was asked to show: blocks and text of every message posted, updated or sent privately. */
function shown(): { text?: string; blocks?: unknown[] }[] {
  return ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'response_url'].flatMap((m) => h.fake.callsTo(m)) as never;
}

function expectNoLinksOrMentions(): void {
  const messages = shown().filter((m) => JSON.stringify(m).includes('evil.example'));
  expect(messages.length).toBeGreaterThan(0);
  for (const m of messages) {
    // a message carrying residents' words has blocks: a message's bare `text` is always auto-linked
    expect(m.blocks?.length, JSON.stringify(m).slice(0, 200)).toBeGreaterThan(0);
    for (const t of textObjects(m.blocks)) {
      if (t.type === 'mrkdwn') expect(t.verbatim, t.text).toBe(true);
      for (const raw of ['<!channel>', '<!here>', '<!everyone>', '<@U99EVIL>', '<https://evil.example', '<http://pay.evil.example'])
        expect(t.text).not.toContain(raw);
    }
  }
}

describe('residents’ words in staff messages', () => {
  it('are never links or mentions on the card, the alerts, /ticket and the phone answer', async () => {
    const t = await createTicket(h.core, hotlineComplaint({ category: 'leak', severity: 'major', scope: 'primary', ...HOSTILE, contactPhone: '13812345678' }));
    await h.drain();
    const card = await cardOf(h, t.id);
    expect(JSON.stringify(card.blocks)).toContain('&lt;!channel&gt;'); // shown as the resident wrote it
    expect(JSON.stringify(card.blocks)).toContain('http://pay.evil.example/refund');
    await cardOf(h, t.id, 'urgent');
    await cardOf(h, t.id, 'major');
    await clickOn(h, U.xinchengField, card, 'ticket.phone');
    expect(JSON.stringify(h.fake.callsTo('chat.postEphemeral').at(-1)?.blocks)).toContain('13812345678');
    await h.slash(U.agent, '/ticket', t.number);
    expect(JSON.stringify(h.fake.callsTo('response_url').at(-1)?.blocks)).toContain('pay.evil.example');
    expectNoLinksOrMentions();
  });

  it('are never links or mentions in the triage message', async () => {
    const t = await createTicket(h.core, hotlineComplaint({ customerAccount: undefined, ...HOSTILE, contactPhone: '13812345678' }));
    await h.drain();
    const msg = await cardOf(h, t.id, 'triage');
    expect(JSON.stringify(msg.blocks)).toContain('www.evil.example');
    expectNoLinksOrMentions();
  });

  it('keep the app’s own mentions of the people on duty working', async () => {
    const t = await createTicket(h.core, hotlineComplaint({ category: 'leak', description: '楼上跑水' }));
    await h.drain();
    const alert = await cardOf(h, t.id, 'urgent');
    const call = textObjects(alert.blocks).find((x) => x.text.includes('<@U08DEMO008>'));
    expect(call).toMatchObject({ type: 'mrkdwn', verbatim: true }); // `<@U...>` is markup Slack still reads with verbatim
  });

  it('are never links or mentions in the card’s thread lines', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    for (const action of ['accept', 'arrive'] as const) await transitionTicket(h.core, { number: t.number, action, actor: 'staff:xincheng-field1' });
    await h.drain();
    const before = h.fake.callsTo('chat.postMessage').length;
    await transitionTicket(h.core, {
      number: t.number,
      action: 'resolve',
      actor: 'staff:xincheng-field1',
      note: HOSTILE.description,
      form: { workDone: '排气' },
    });
    await h.drain();
    const lines = h.fake
      .callsTo('chat.postMessage')
      .slice(before)
      .filter((m: { thread_ts?: string }) => m.thread_ts);
    expect(JSON.stringify(lines)).toContain('pay.evil.example');
    expectNoLinksOrMentions();
  });
});
