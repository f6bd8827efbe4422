import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { answerSuggestion } from '../../core/suggestions/answer-suggestion.js';
import { REPLY_MAX_CHARS } from '../../core/tickets/reply-to-resident.js';
import { getTicket } from '../../core/tickets/get-ticket.js';
import { clientActor } from '../auth.js';
import { ticketDetail } from '../serialize.js';

const numberParam = {
  type: 'object',
  required: ['number'],
  properties: { number: { type: 'string', maxLength: 32, pattern: '^[TSQP]\\d{8}-\\d{4,}$' } },
} as const;

const answerBody = {
  type: 'object',
  additionalProperties: false,
  required: ['actor', 'answer'],
  properties: {
    actor: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      description: 'the staff id the client answers for: checked as in Slack (the centre answers what it holds, a branch what it took itself, R17)',
    },
    answer: {
      type: 'string',
      minLength: 1,
      maxLength: REPLY_MAX_CHARS,
      description: 'the answer; it reaches the resident who made the suggestion in Telegram',
    },
  },
} as const;

/**
 * Answering a suggestion (R17-R19) over the API, as HQ does from the suggestions queue in Slack:
 * the answer is stored as the resolve's result and the suggestion is finished, and the resident
 * hears it. The API client is the event's actor, the staff member it names is onBehalfOf and is
 * checked as in Slack (core/suggestions/can-answer.ts): 403 forbidden otherwise.
 */
export async function suggestionRoutes(app: FastifyInstance, { core }: { core: Core }) {
  app.post<{ Params: { number: string }; Body: { actor: string; answer: string } }>(
    '/api/tickets/:number/answer',
    {
      schema: {
        tags: ['tickets'],
        summary:
          'Answer a suggestion and finish it; the resident hears the answer (R17-R19). 403 forbidden (not yours to answer), 409 invalid_transition (answered or withdrawn), 422 not_a_suggestion',
        params: numberParam,
        body: answerBody,
      },
    },
    async (req) => {
      const staff = core.org.staff.get(req.body.actor);
      if (!staff) throw new AppError('unknown_staff', `${req.body.actor} is not staff in the organisation`, { staff: req.body.actor });
      const { ticket } = await answerSuggestion(core, { number: req.params.number, staff, text: req.body.answer, via: clientActor(req) });
      return ticketDetail(core.org, await getTicket(core, ticket.number));
    },
  );
}
