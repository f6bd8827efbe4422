/**
 * What a city platform sent with a ticket (core/open311/file-city-request.ts), as lines of the
 * ticket page's facts: the platform, its answers worded with the Open311 API's own questions and
 * value names (open311.attribute.*, open311.value.*), the citizen's photo or attachment, the
 * e-mail, its address text when the ticket's address differs, and the point on a map. Every
 * value is escaped by `html`; a link leaves with no opener or referrer, and the media URL is a
 * link only when it is http(s).
 */
import type { CityRequest, Ticket } from '../../core/model.js';
import { cityAnswers, isListedAnswer, type CityAnswer } from '../../core/open311/city-answers.js';
import { webUrl } from '../../core/open311/web-url.js';
import { mapUrl } from '../../core/org/map-link.js';
import type { Org } from '../../core/org/org.js';
import { t, type Locale } from '../../i18n/index.js';
import { html, type Markup } from './html.js';

function answerText(locale: Locale, a: CityAnswer): string {
  if (!isListedAnswer(a) || typeof a.value === 'number') return String(a.value);
  const list = Array.isArray(a.value) ? a.value : [a.value];
  return list.map((v) => t(locale, `open311.value.${a.code}.${v}`)).join(t(locale, 'dashboard.city.separator'));
}

const link = (url: string, text: string) => html`<a href="${url}" rel="noopener noreferrer" target="_blank">${text}</a>`;

/** The facts' lines (dt, dd) for a city platform's ticket; nothing for a ticket from another channel. */
export function cityRequestFacts(org: Org, locale: Locale, ticket: Pick<Ticket, 'address'>, cr: CityRequest | null | undefined): Markup {
  if (!cr) return html``;
  const L = (k: string, v = {}) => t(locale, `dashboard.city.${k}`, v);
  const media = webUrl(cr.mediaUrl);
  const platformAddress = cr.addressString?.trim();
  const map = mapUrl(cr.lat, cr.long);
  return html`<dt>${L('platform')}</dt><dd id="city-platform">${org.apiClients.get(cr.clientId)?.name ?? cr.clientId}</dd>
  ${cityAnswers(cr).map(
    (a) =>
      html`<dt>${a.attribute ? t(locale, `open311.attribute.${a.code}.description`) : a.code}</dt><dd data-attribute="${a.code}">${answerText(locale, a)}</dd>`,
  )}
  ${media ? html`<dt>${L('media')}</dt><dd id="city-media">${link(media.href, L('open_media', { host: media.host }))}</dd>` : ''}
  ${cr.email ? html`<dt>${L('email')}</dt><dd id="city-email">${cr.email}</dd>` : ''}
  ${platformAddress && platformAddress !== ticket.address?.trim() ? html`<dt>${L('address')}</dt><dd id="city-address">${platformAddress}</dd>` : ''}
  ${map ? html`<dt>${L('point')}</dt><dd id="city-point">${cr.lat}, ${cr.long} · ${link(map, L('map'))}</dd>` : ''}`;
}
