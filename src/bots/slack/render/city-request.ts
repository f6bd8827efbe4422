/**
 * What a city platform sent with a ticket (Open311: core/open311/file-city-request.ts), on the
 * card: its answers to the service's questions in words, the citizen's photo or attachment as a
 * link, the point on a map, the e-mail, and the platform's own address text when the ticket's
 * address says something else. The questions and value names are the Open311 API's own
 * (open311.attribute.*, open311.value.*), so the branch reads what the platform's form asked.
 *
 * The platform's free text (address text, e-mail, a text answer) goes out as plain_text: Slack
 * neither formats it (`*bold*`), nor turns it into mentions (`<!channel>`) or links. mrkdwn has
 * no escape for its formatting marks, so escaping alone would still let `*words*` turn bold.
 */
import type { CityRequest, Ticket } from '../../../core/model.js';
import { cityAnswers, isListedAnswer, type CityAnswer } from '../../../core/open311/city-answers.js';
import { webUrl } from '../../../core/open311/web-url.js';
import { mapUrl } from '../../../core/org/map-link.js';
import { t } from '../../../i18n/index.js';
import { context, esc, section, type Block } from './blocks.js';
import { cutRaw } from './thread.js';
import { tr, type RenderCtx } from './names.js';

/** The longest piece of platform text on a card, in characters of the raw text. */
const TEXT_MAX = 300;

/** A list's values by their names in locales; a number as written; the platform's own words (a text or date answer) as they came. */
function answerText(ctx: RenderCtx, a: CityAnswer): string {
  if (!isListedAnswer(a) || typeof a.value === 'number') return String(a.value);
  const list = Array.isArray(a.value) ? a.value : [a.value];
  return list.map((v) => t(ctx.locale, `open311.value.${a.code}.${v}`)).join(tr(ctx, 'city.separator'));
}

/** An http(s) link as Slack's `<url|label>` wants it: the parsed form (no `<`, `>` or spaces), `|` encoded, `&` escaped; undefined for anything else. */
export function slackUrl(raw: string | null): string | undefined {
  const u = webUrl(raw);
  return u && esc(u.href.replace(/\|/g, '%7C'));
}

const plainText = (text: string) => ({ type: 'plain_text' as const, text, emoji: false });

/** The card's city-platform section: none for a ticket from any other channel. */
export function cityRequestBlocks(ctx: RenderCtx, ticket: Pick<Ticket, 'address'>, cr: CityRequest | null | undefined): Block[] {
  if (!cr) return [];
  const client = ctx.org.apiClients.get(cr.clientId)?.name ?? cr.clientId;
  const worded: string[] = [];
  const plain: string[] = [];
  for (const a of cityAnswers(cr)) {
    const question = a.attribute ? t(ctx.locale, `open311.attribute.${a.code}.description`) : a.code;
    if (isListedAnswer(a)) worded.push(tr(ctx, 'city.answer', { question: esc(question), answer: esc(answerText(ctx, a)) }));
    else plain.push(tr(ctx, 'city.answer', { question, answer: cutRaw(ctx, answerText(ctx, a), TEXT_MAX).text }));
  }
  const links: string[] = [];
  const media = slackUrl(cr.mediaUrl);
  if (media) links.push(`:paperclip: <${media}|${tr(ctx, 'city.media')}>`);
  const map = mapUrl(cr.lat, cr.long);
  if (map) links.push(`:round_pushpin: <${map}|${tr(ctx, 'city.map')}>`);
  if (cr.email) plain.push(tr(ctx, 'city.email', { email: cr.email }));
  const platformAddress = cr.addressString?.trim();
  if (platformAddress && platformAddress !== ticket.address?.trim())
    plain.push(tr(ctx, 'city.address', { address: cutRaw(ctx, platformAddress, TEXT_MAX).text }));
  const head = [`*${esc(tr(ctx, 'city.title', { client }))}*`, ...worded, links.join('   ')].filter(Boolean).join('\n');
  const blocks: Block[] = [section(head)];
  // context() wraps its items as mrkdwn; the platform's words stay plain text
  if (plain.length) blocks.push({ ...context([]), elements: plain.slice(0, 10).map(plainText) });
  return blocks;
}
