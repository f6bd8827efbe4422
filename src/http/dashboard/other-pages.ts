/** The sign-in page and the suggestions summary (R18, R19). */
import type { Period } from '../../core/kpi/period.js';
import type { SuggestionSummary } from '../../core/kpi/summarize-suggestions.js';
import type { Org } from '../../core/org/org.js';
import { t, type Locale } from '../../i18n/index.js';
import { branchName, periodLabel } from './format.js';
import { href, html, type Markup } from './html.js';

/**
 * Why the sign-in page is shown again: a wrong token; Slack's answer not valid or Slack not
 * reachable; a Slack user who is not staff, staff without a branch, or another workspace.
 */
export type LoginProblem = 'failed' | 'slack_failed' | 'slack_unavailable' | 'not_staff' | 'no_branch' | 'wrong_team';

/** Sign in with Slack (when configured) for staff, and the API-token form for the operator. */
export function loginPage(locale: Locale, o: { problem?: LoginProblem; slack: boolean }): Markup {
  const L = (k: string) => t(locale, `kpi.dashboard.${k}`);
  return html`
<div class="login">
  <h1>${L('login_title')}</h1>
  ${o.problem ? html`<p class="error" role="alert" id="login-problem">${L(`login_${o.problem}`)}</p>` : ''}
  ${o.slack ? html`<p><a class="button" id="slack-sign-in" href="${href('/dashboard/auth/slack', locale)}">${L('slack_button')}</a></p><p class="muted">${L('or_token')}</p>` : ''}
  <form method="post" action="${href('/dashboard/login', locale)}">
    <label>${L('token_label')}<input type="password" name="token" autocomplete="current-password" required ${o.slack ? '' : html`autofocus`}></label>
    <button type="submit">${L('login_button')}</button>
  </form>
</div>`;
}

/** After Sign in with Slack: the page moves on to the dashboard at once (a link for browsers that do not). */
export function continuePage(locale: Locale, to: string): Markup {
  return html`<p class="login">${t(locale, 'kpi.dashboard.signed_in')} <a href="${to}" id="continue">${t(locale, 'kpi.dashboard.continue')}</a></p>`;
}

export function suggestionsPage(org: Org, locale: Locale, period: Period, s: SuggestionSummary, query: Record<string, string | undefined>): Markup {
  const W = (k: string, v = {}) => t(locale, `kpi.suggestions.${k}`, v);
  const topic = (g: { topic: string | null; category: string | null }) => g.topic ?? t(locale, `common.category.${g.category ?? 'other'}`);
  return html`
<h1>${W('title')} · ${periodLabel(locale, period)}</h1>
<p class="muted">${period.firstDay} – ${period.lastDay} · <a href="${href('/dashboard/suggestions.csv', locale, query)}">${t(locale, 'kpi.dashboard.download_csv')}</a></p>
${
  s.groups.length === 0
    ? html`<p class="empty">${W('none')}</p>`
    : html`<div class="table-wrap"><table class="suggestions" id="suggestion-table">
  <thead><tr><th>${t(locale, 'kpi.csv.branch')}</th><th>${W('topic')}</th><th>${W('count')}</th><th>${W('answered')}</th><th>${W('open')}</th></tr></thead>
  <tbody>${s.groups.map(
    (g) =>
      html`<tr><td>${branchName(org, g.branchId, locale)}</td><td>${topic(g)}</td><td>${g.count}</td><td>${g.answered}</td><td>${g.count - g.answered}</td></tr>`,
  )}</tbody></table></div>
<ul class="items">${s.items.map(
        (i) =>
          html`<li><a href="${href(`/dashboard/tickets/${i.number}`, locale)}">${i.number}</a> · ${branchName(org, i.branchId, locale)} · ${topic({ topic: i.topic, category: i.category })} — ${i.description}</li>`,
      )}</ul>
${s.truncated ? html`<p class="muted">${W('truncated', { count: s.items.length })}</p>` : ''}`
}`;
}
