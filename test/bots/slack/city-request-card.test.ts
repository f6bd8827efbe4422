/**
 * A ticket a city platform filed through Open311 (fileCityRequest) reaches the branch's dispatch
 * card with what the platform sent beyond the ticket: its answers in words, the citizen's photo
 * as a link, the point on a map, the e-mail, and the platform's address text when the ticket's
 * address says something else. The platform's text cannot format, mention or link in Slack.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG } from '../../../src/config.js';
import { fileCityRequest, type CityRequestInput } from '../../../src/core/open311/file-city-request.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { ticketCard } from '../../../src/bots/slack/render/ticket-card.js';
import { hotlineComplaint, cityRequestInput } from '../../helpers/builders.js';
import { cardOf, makeSlackHarness, textOf, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  const org = parse(readFileSync(DEMO_ORG, 'utf8'));
  org.apiClients = [{ id: 'city', name: '12345 市民服务热线', scopes: ['read', 'write'], tokenSha256: 'a'.repeat(64) }];
  h = await makeSlackHarness({ org });
});
afterAll(() => h?.close());

async function filed(input: CityRequestInput) {
  const { ticket } = await fileCityRequest(h.core, input);
  await h.drain();
  return { ticket, card: await cardOf(h, ticket.id) };
}

/** Every text object of a message's sections and context lines, with its type: what Slack reads as markup, and what as plain text. */
function textObjects(blocks: any[] = []): { type: string; text: string }[] {
  return blocks
    .filter((b) => b.type === 'section' || b.type === 'context')
    .flatMap((b) => [...(b.text ? [b.text] : []), ...(b.fields ?? []), ...(b.elements ?? []).filter((e: any) => typeof e.text === 'string')]);
}
const mrkdwnText = (blocks: any[] | undefined) =>
  textObjects(blocks)
    .filter((o) => o.type === 'mrkdwn')
    .map((o) => o.text)
    .join('\n');
const plainTexts = (blocks: any[] | undefined) => textObjects(blocks).filter((o) => o.type === 'plain_text' && o.text !== undefined);

describe('the dispatch card of a city platform’s request', () => {
  it('names the platform and shows its answers in words, the photo as a link, the point on a map and the e-mail', async () => {
    const { ticket, card } = await filed(
      cityRequestInput({
        email: 'zhangwei@example.cn',
        mediaUrl: 'https://12345.example.gov.cn/m/1.jpg?size=big&v=2',
        lat: 40.8441,
        long: 111.6902,
        attributes: { room_temperature: '14', extent: 'building' },
      }),
    );
    expect(card.channel).toBe('C1XINCHED');
    const text = textOf(card);
    expect(text).toContain(ticket.number);
    expect(text).toContain('*城市平台 · 12345 市民服务热线*\n室内温度（℃）：14\n影响范围：整栋楼');
    expect(text).toContain(':paperclip: <https://12345.example.gov.cn/m/1.jpg?size=big&amp;v=2|照片/附件>');
    expect(text).toContain(':round_pushpin: <https://www.openstreetmap.org/?mlat=40.8441&mlon=111.6902#map=17/40.8441/111.6902|在地图上查看>');
    expect(plainTexts(card.blocks).map((o) => o.text)).toEqual(['电子邮箱：zhangwei@example.cn']);
    // the ticket's address is the platform's own text: not said twice
    expect(text).not.toContain('平台填写的地址');
  });

  it('words a leak’s answers in the order the service asks them', async () => {
    const { card } = await filed(
      cityRequestInput({ serviceCode: 'leak', description: '楼道暖气管跑水', attributes: { leak_place: 'stairwell', water_running: 'yes' } }),
    );
    expect(textOf(card)).toContain('*城市平台 · 12345 市民服务热线*\n现在是否仍在跑水？：是，仍在跑水\n跑水位置：楼道');
    expect(textOf(card)).not.toContain('照片/附件');
  });

  it('shows the platform’s hostile address text, e-mail and media URL without markup: no mention, no bold, no script', async () => {
    const hostile = '<!channel> *加急* <script>alert(1)</script> 幸福家园';
    const { ticket, card } = await filed(
      cityRequestInput({
        addressString: hostile,
        addressId: '1010000000',
        email: '<!here>*x*@example.cn',
        mediaUrl: 'https://12345.example.gov.cn/m/<script>alert(1)</script>|<!channel>*b*',
      }),
    );
    expect(ticket.address).not.toBe(hostile); // the account's address is the ticket's
    const markup = mrkdwnText(card.blocks);
    expect(markup).not.toContain('<!channel>');
    expect(markup).not.toContain('<!here>');
    expect(markup).not.toContain('<script');
    expect(markup).not.toContain('*加急*');
    // the link's target is the URL as parsed: no `<`, `>` or `|` left to end it early
    expect(markup).toContain(':paperclip: <https://12345.example.gov.cn/m/%3Cscript%3Ealert(1)%3C/script%3E%7C%3C!channel%3E*b*|照片/附件>');
    // the platform's words go out as plain text, which Slack shows as written
    expect(plainTexts(card.blocks).map((o) => o.text)).toEqual(['电子邮箱：<!here>*x*@example.cn', `平台填写的地址：${hostile}`]);
    expect(plainTexts(card.blocks).every((o) => (o as { emoji?: boolean }).emoji === false)).toBe(true);
  });

  it('is worded in English for an English-speaking workspace', async () => {
    const { ticket } = await fileCityRequest(
      h.core,
      cityRequestInput({ attributes: { extent: 'community' }, mediaUrl: 'https://12345.example.gov.cn/m/2.jpg' }),
    );
    const view = (await h.core.stores.views.ticketView({ id: ticket.id }))!;
    const card = ticketCard(
      { org: h.core.org, locale: 'en', now: h.core.clock.now() },
      { ...view.ticket, events: view.events, deadlines: view.deadlines, cityRequest: view.cityRequest },
    );
    const text = textOf(card);
    expect(text).toContain('*City platform · 12345 市民服务热线*\nHow far it reaches: The whole residential community');
    expect(text).toContain('|Photo/attachment>');
  });
});

describe('a ticket from another channel', () => {
  it('has the card it had before: no city-platform section', async () => {
    const t = await createTicket(h.core, hotlineComplaint({ source: 'telegram', firstResponder: 'telegram' }));
    await h.drain();
    const card = await cardOf(h, t.id);
    expect(textOf(card)).not.toContain('城市平台');
    expect(plainTexts(card.blocks)).toEqual([]);
    const view = (await h.core.stores.views.ticketView({ id: t.id }))!;
    expect(view.cityRequest).toBeNull();
    // the card as rendered without a city request at all, before this section existed
    const ctx = { org: h.core.org, locale: 'zh-CN' as const, now: h.core.clock.now() };
    const before = ticketCard(ctx, { ...view.ticket, events: view.events, deadlines: view.deadlines, photos: view.photos });
    expect(card.blocks).toEqual(before.blocks);
  });
});
