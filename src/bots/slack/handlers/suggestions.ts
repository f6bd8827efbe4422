/**
 * The suggestions queue (R17-R19): the Answer button on a suggestion's card opens the answer
 * modal for someone who may answer it (the centre; a branch for a suggestion it holds), and the
 * submitted answer is stored and owed to the resident. Refusals and errors go to the one who
 * clicked only.
 */
import type { App } from '@slack/bolt';
import type { Status } from '../../../core/tickets/status-machine.js';
import { canAnswerSuggestion } from '../../../core/suggestions/can-answer.js';
import { answerSuggestion } from '../../../core/suggestions/answer-suggestion.js';
import { errorText, refusalText, renderCtx, staffFor, tell, type SlackDeps } from '../kit.js';
import { readSuggestionAnswer, SUGGESTION_ANSWER_VIEW, suggestionAnswerModal } from '../modals/suggestion-answer-modal.js';
import { origin } from '../modals/view-state.js';
import { tr } from '../render/names.js';
import { SUGGESTION_ACTION } from '../render/suggestion-card.js';
import { viewOnce } from './dedupe.js';
import { allowedClick } from './card-click.js';
import type { ActionArgs, ViewArgs } from './types.js';

const OPEN = new Set(['received', 'dispatched', 'accepted', 'on_site']);

export function registerSuggestions(app: App, d: SlackDeps): void {
  app.action(SUGGESTION_ACTION.answer, async (args) => {
    const a = args as unknown as ActionArgs;
    const click = await allowedClick(a, d, {
      may: (staff, t) => canAnswerSuggestion(d.core.org, staff, t),
      refusal: refusalText,
      takes: (status) => OPEN.has(status),
    });
    if (!click) return;
    await a.client.views.open({ trigger_id: a.body.trigger_id!, view: suggestionAnswerModal(click.ctx, click.ticket, click.where) });
  });

  app.view(SUGGESTION_ANSWER_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const r = readSuggestionAnswer(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    await a.ack();
    const from = origin(a.view);
    if (!from.n) return;
    const number = from.n;
    const to = { user: a.body.user.id, channel: from.ch };
    await viewOnce(d, a.view.id, async () => {
      try {
        const { ticket } = await answerSuggestion(d.core, {
          number,
          staff: staffFor(d, a.body.user.id),
          text: r.text,
          expectedStatus: from.s as Status | undefined,
        });
        d.kick?.();
        await tell(a.client, d, to, tr(ctx, ticket.residentId !== null ? 'suggestions.answered_sent' : 'suggestions.answered_recorded', { number }));
      } catch (e) {
        await tell(a.client, d, to, await errorText(d, e, number));
      }
    });
  });
}
