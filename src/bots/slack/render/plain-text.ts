/**
 * Slack's message markup made plain, for words staff write that a resident will read in
 * Telegram: a mention reads as the person's name, `<!channel>` as "@channel" (it pinged the
 * channel in Slack, it must not look like a code to a resident), a link as "label (url)", and
 * Slack's escaping of &, <, > is undone last, so an escaped "&lt;@U1&gt;" stays the text it was.
 */
import type { Org } from '../../../core/org/org.js';

/** `<...>` spans as Slack writes them: no nesting, no `<` or `>` inside. */
const SPAN = /<([^<>]*)>/g;

export function slackToPlain(org: Org, text: string): string {
  const plain = text.replace(SPAN, (_m, inner: string) => span(org, inner));
  return plain.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function span(org: Org, inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : inner.slice(bar + 1);
  if (target.startsWith('@')) {
    const staff = org.staffBySlackUser(target.slice(1));
    return `@${staff?.name ?? (label || target.slice(1))}`;
  }
  if (target.startsWith('#')) return `#${label || target.slice(1)}`;
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (special.startsWith('subteam^')) return label || '@team';
    if (special.startsWith('date^')) return label;
    return `@${special}`;
  }
  const url = target.startsWith('mailto:') ? target.slice(7) : target;
  if (!label || label === url || label === target) return url;
  return `${label} (${url})`;
}
