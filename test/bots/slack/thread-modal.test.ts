/**
 * The rest of the conversation through the card: the card's "reply to resident" button and its
 * modal; refusals told to the staff member (a finished ticket, a ticket taken by phone); voice,
 * locations and urging in the thread; a long description cut on the raw text with the full text
 * once in the thread; an upload whose answer was lost is not uploaded twice; the manifest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { BOT_EVENTS, BOT_SCOPES, slackManifest } from '../../../src/bots/slack/manifest.js';
import { readReply } from '../../../src/bots/slack/modals/reply-modal.js';
import { clipMarkup } from '../../../src/bots/slack/render/blocks.js';
import { ACTION } from '../../../src/bots/slack/render/ticket-card.js';
import { MINUTE } from '../../../src/core/clock.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { startConversation, type Conversation } from '../../helpers/conversation.js';
import { findElement, slackButton, slackViewSubmission, textOf, U } from '../../helpers/slack.js';
import { telegramContact, telegramPhoto, telegramUser, telegramVoice, type TgUser } from '../../helpers/telegram.js';

let c: Conversation;

async function fileReport(user: TgUser, account: string, words = '暖气不热，室温只有15度') {
  const customer = await c.core.stores.customers.byAccount(account);
  await c.resident(telegramContact(user, customer!.phone));
  await c.say(user, words);
  await c.tap(user, '提交');
  return c.ticketOf(user);
}

let msgSeq = 900_000;
function telegramLocation(user: TgUser, latitude: number, longitude: number): Update {
  return {
    update_id: ++msgSeq,
    message: {
      message_id: ++msgSeq,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user.id, type: 'private', first_name: user.first_name },
      from: user,
      location: { latitude, longitude },
    },
  } as unknown as Update;
}

beforeAll(async () => {
  c = await startConversation();
});
afterAll(() => c?.close());

describe('the card’s reply button and modal', () => {
  it('opens a modal whose words reach the resident, and the thread shows what was said', async () => {
    const li = telegramUser(8201, { firstName: '李大爷' });
    const t = await fileReport(li, '1010007920');
    const card = await c.card(t.id);
    const button = findElement(card.blocks, ACTION.reply);
    expect(button?.text.text).toBe('回复居民');
    await c.slackInteraction(slackButton(U.xinchengCoord, ACTION.reply, button.value, { channel: card.channel, ts: card.ts }));
    const opened = c.slack.callsTo('views.open').at(-1)!.view;
    expect(textOf({ blocks: opened.blocks })).toContain(`写给 ${t.number} 的居民`);
    await c.slackInteraction(
      slackViewSubmission(U.xinchengCoord, opened.callback_id, { text: '您好，今天下午<三点>前师傅到，请留人 & 开门' }, opened.private_metadata),
    );
    expect(c.chat(li).at(-1)).toBe(`客服回复（${t.number}，周静（工号 1001））：\n您好，今天下午<三点>前师傅到，请留人 & 开门`);
    const thread = await c.thread(t.id);
    expect(thread.at(-1)).toContain('周静 回复居民：');
    expect(thread.at(-1)).toContain('&lt;三点&gt;');
    expect(c.slack.ephemeralsFor(U.xinchengCoord).at(-1)?.text).toBe(`已发给居民（${t.number}）。`);
  });

  it('an empty reply is answered in the modal', () => {
    const r = readReply({ org: c.core.org, locale: 'zh-CN', now: new Date() }, { state: { values: { text: { text: { value: '   ' } } } } });
    expect(r).toEqual({ ok: false, errors: { text: '回复内容为空，未发送。' } });
  });
});

describe('refusals, told to the staff member', () => {
  it('a reply in the thread of a cancelled ticket is refused with the reason', async () => {
    const zhao = telegramUser(8202, { firstName: '赵阿姨' });
    const t = await fileReport(zhao, '1010015840');
    const card = await c.card(t.id);
    const value = findElement(card.blocks, ACTION.reply).value;
    await transitionTicket(c.core, { number: t.number, action: 'cancel', actor: 'staff:agent01', note: '居民来电撤销' });
    await c.drain();
    expect(findElement((await c.card(t.id)).blocks, ACTION.reply)).toBeUndefined();
    const before = c.chat(zhao).length;
    await c.replyInThread(U.xinchengField, t.id, '还需要上门吗？');
    expect(c.slack.ephemeralsFor(U.xinchengField).at(-1)?.text).toBe(`${t.number} 已结束（已撤销），不能再回复居民。如居民仍有问题，请让其重新报修。`);
    // the old card's button, clicked before it was refreshed: refused before any modal opens
    const opened = c.slack.callsTo('views.open').length;
    await c.slackInteraction(slackButton(U.xinchengField, ACTION.reply, value, { channel: card.channel, ts: card.ts }));
    expect(c.slack.callsTo('views.open').length).toBe(opened);
    expect(c.slack.ephemeralsFor(U.xinchengField).at(-1)?.text).toContain('已结束');
    expect(c.chat(zhao).length).toBe(before);
    expect(await c.core.db.ticketEvent.count({ where: { ticketId: t.id, type: 'staff_reply' } })).toBe(0);
  });

  it('a ticket taken by phone has no reply button, and a thread reply says to call', async () => {
    const t = await createTicket(c.core, hotlineComplaint({ customerAccount: '1010023760' }));
    await c.drain();
    expect(findElement((await c.card(t.id)).blocks, ACTION.reply)).toBeUndefined();
    await c.replyInThread(U.xinchengField, t.id, '我们马上到');
    expect(c.slack.ephemeralsFor(U.xinchengField).at(-1)?.text).toContain('没有通过 Telegram 报修的居民');
  });
});

describe('voice, locations and urging in the thread', () => {
  let zhou: TgUser;
  let ticketId: number;
  beforeAll(async () => {
    zhou = telegramUser(8203, { firstName: '周先生' });
    ticketId = (await fileReport(zhou, '1010031680')).id;
  });

  it('a voice message is a line with its length and an audio file in the thread', async () => {
    await c.resident(telegramVoice(zhou));
    const thread = await c.thread(ticketId);
    const at = thread.findIndex((l) => l.includes('居民发来语音（4 秒）'));
    expect(at).toBeGreaterThan(-1);
    expect(thread[at + 1]).toMatch(/^\[file audio-\d+\.oga\]$/);
  });

  it('a location is a map link', async () => {
    await c.resident(telegramLocation(zhou, 41.8057, 123.4315));
    const line = (await c.thread(ticketId)).find((l) => l.includes('居民发来位置'));
    expect(line).toContain('<https://www.openstreetmap.org/?mlat=41.8057&mlon=123.4315#map=17/41.8057/123.4315|在地图上查看>');
  });

  it('urging is a 催办 line with the resident’s words', async () => {
    c.core.clock.advance(11 * MINUTE);
    await c.say(zhou, '怎么还没人来');
    const line = (await c.thread(ticketId)).find((l) => l.includes('催办'));
    expect(line).toContain('>怎么还没人来');
    expect(line).toContain(`<@${U.xinchengCoord}>`);
  });
});

describe('the card and the thread carry long words whole', () => {
  it('a long description is cut on the raw text before escaping, and the full text is in the thread once', async () => {
    // an & right at the cut: cut after escaping, it would leave a broken "&am"
    const description = `${'暖'.repeat(598)}&&${'气'.repeat(900)}结尾`;
    const t = await createTicket(c.core, hotlineComplaint({ customerAccount: '1010039600', description }));
    await c.drain();
    const card = textOf(await c.card(t.id));
    expect(card).toContain(`>${'暖'.repeat(598)}&amp;&amp;…（全文见线程）`);
    const thread = await c.thread(t.id);
    const full = thread.filter((l) => l.includes('诉求全文'));
    expect(full).toHaveLength(1);
    expect(thread.join('\n').replace(/\n>/g, '')).toContain('结尾');
    await transitionTicket(c.core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' });
    await c.drain();
    expect((await c.thread(t.id)).filter((l) => l.includes('诉求全文'))).toHaveLength(1);
  });
});

describe('an upload whose answer was lost', () => {
  it('is found in the thread on the retry and not uploaded twice', async () => {
    const sun = telegramUser(8204, { firstName: '孙女士' });
    const t = await fileReport(sun, '1010047520');
    c.slack.failNext('files.completeUploadExternal', { lose: true });
    await c.resident(telegramPhoto(sun, { fileId: 'photo-lost-answer' }));
    c.core.clock.advance(10 * MINUTE);
    await c.drain();
    expect(c.slack.calls.some((x) => x.method === 'files.completeUploadExternal' && x.answerLost)).toBe(true);
    const row = (await c.core.stores.outbox.cardOf(t.id, 'dispatch'))!;
    expect(c.slack.filesIn(row.channel, row.ts)).toHaveLength(1);
    expect((await c.thread(t.id)).filter((l) => l.includes('居民发来照片'))).toHaveLength(1);
    expect(await c.core.db.outboxMessage.count({ where: { state: { not: 'sent' } } })).toBe(0);
  });
});

describe('the Slack app manifest', () => {
  it('subscribes to messages in public and private channels and may upload files', () => {
    const m = slackManifest({ publicUrl: 'https://heating.example.com' }) as any;
    expect(m.settings.event_subscriptions.bot_events).toEqual(['app_mention', 'message.channels', 'message.groups']);
    expect([...BOT_EVENTS]).toContain('message.groups');
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['channels:history', 'groups:history', 'files:write']));
    expect([...BOT_SCOPES]).toContain('files:write');
  });
});

describe('a text object at Slack’s limit', () => {
  it('is never cut inside an entity or the app’s own markup', () => {
    const text = `${'x'.repeat(2996)}&amp;&lt;`;
    expect(clipMarkup(text, 3000)).toBe(`${'x'.repeat(2996)}…`);
    expect(clipMarkup(`${'y'.repeat(2990)}<@U08DEMO008> more`, 3000)).toBe(`${'y'.repeat(2990)}…`);
    expect(clipMarkup('short &amp; sweet', 3000)).toBe('short &amp; sweet');
  });
});
