/** A tagged template that escapes every value unless it is already markup, and the page frame. */
import type { Locale } from '../../i18n/index.js';
import { t } from '../../i18n/index.js';

export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]);

type Value = Markup | string | number | boolean | null | undefined | Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Markup) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Markup(out);
}

/** Data for the page's script: JSON that cannot close the script element it sits in. */
export function jsonScript(id: string, data: unknown): Markup {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new Markup(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}

/** A dashboard link keeping the language (zh-CN is the default and stays out of the URL). */
export function href(path: string, locale: Locale, params: Record<string, string | undefined | null> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  if (locale !== 'zh-CN') q.set('lang', locale);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The menu's items, in their order. */
const NAV = ['kpi', 'tickets', 'incidents', 'duty', 'training', 'suggestions', 'conduct'] as const;
export type NavItem = (typeof NAV)[number];

/** The items shown only to those who may open them (PageFrame.conduct). */
const RESTRICTED: ReadonlySet<NavItem> = new Set(['conduct']);

/** A menu item's label: the incidents, duty, training and conduct pages keep their words in their own locale files. */
const navLabel = (locale: Locale, k: NavItem) =>
  k === 'incidents' || k === 'duty' || k === 'training' || k === 'conduct' ? t(locale, `dashboard.${k}.nav`) : t(locale, `kpi.dashboard.nav_${k}`);

export interface PageFrame {
  locale: Locale;
  title: string;
  company: string;
  /** which menu item is current; none on the sign-in page */
  current?: NavItem;
  /** the same page in the other language */
  otherLanguage: string;
  scripts?: boolean;
  /** who is signed in, shown beside the sign-out button */
  who?: string;
  /** a same-site address to move on to at once (after Sign in with Slack) */
  refresh?: string;
  /** whether the signed-in person may read the conduct records (R31-R33; core/conduct/conduct-record.ts mayReadConduct): the menu links the page only then */
  conduct?: boolean;
}

export function page(f: PageFrame, body: Markup): string {
  const L = (k: string) => t(f.locale, `kpi.dashboard.${k}`);
  const nav = f.current
    ? html`<nav>${NAV.filter((k) => !RESTRICTED.has(k) || (k === 'conduct' && f.conduct)).map(
        (k) =>
          html`<a href="${href(k === 'kpi' ? '/dashboard' : `/dashboard/${k}`, f.locale)}" class="${k === f.current ? 'current' : ''}">${navLabel(f.locale, k)}</a>`,
      )}</nav>
      <form method="post" action="/dashboard/logout" class="logout">${f.who ? html`<span class="who" id="signed-in-as">${f.who}</span> ` : ''}<button type="submit">${L('logout')}</button></form>`
    : '';
  return `<!doctype html>${html`<html lang="${f.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${f.title} · ${f.company}</title>
${f.refresh ? html`<meta http-equiv="refresh" content="0; url=${f.refresh}">` : ''}
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<link rel="icon" href="data:,">
</head>
<body>
<header class="top">
  <div class="brand">${f.company}<span>${L('title')}</span></div>
  ${nav}
  <a class="lang" href="${f.otherLanguage}">${L('language')}</a>
</header>
<main>
${body}
</main>
${f.scripts ? html`<script src="/dashboard/assets/chart.umd.js"></script><script src="/dashboard/assets/dashboard.js"></script>` : ''}
</body>
</html>`}`;
}
