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
import { errorText, refusalText, renderCtx, staffFor, tell, ticketWithEvents, type SlackDeps } from '../kit.js';
import { readSuggestionAnswer, SUGGESTION_ANSWER_VIEW, suggestionAnswerModal } from '../modals/suggestion-answer-modal.js';
import { origin } from '../modals/view-state.js';
import { readValue } from '../render/blocks.js';
import { tr } from '../render/names.js';
import { currentState } from '../render/ticket-card.js';
import { SUGGESTION_ACTION } from '../render/suggestion-card.js';
import { viewOnce } from './dedupe.js';
import { whereClicked, type ActionArgs, type ViewArgs } from './types.js';

const OPEN = new Set(['received', 'dispatched', 'accepted', 'on_site']);

export function registerSuggestions(app: App, d: SlackDeps): void {
  app.action(SUGGESTION_ACTION.answer, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const where = whereClicked(a.body);
    const to = { user: a.body.user.id, channel: where.ch };
    const v = readValue(a.action.value);
    if (!v?.n) return;
    const t = await ticketWithEvents(d, v.n);
    if (!t) return tell(a.client, d, to, tr(ctx, 'error.ticket_not_found'));
    const may = canAnswerSuggestion(d.core.org, staffFor(d, a.body.user.id), t);
    if (!may.allowed) return tell(a.client, d, to, refusalText(ctx, may.reason));
    if (!OPEN.has(t.status) || (v.s && v.s !== t.status)) return tell(a.client, d, to, `${tr(ctx, 'error.stale')}\n${currentState(ctx, t)}`);
    await a.client.views.open({ trigger_id: a.body.trigger_id!, view: suggestionAnswerModal(ctx, t, where) });
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
