import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';
import { formatMinute } from '../../core/local-time.js';
import { answerQuote } from '../../core/quotes/answer-quote.js';
import { createQuote } from '../../core/quotes/create-quote.js';
import { listQuotes, quoteView, type QuoteView } from '../../core/quotes/list-quotes.js';
import { QUOTE_LIMITS } from '../../core/quotes/quote-items.js';

const ticketParam = {
  type: 'object',
  required: ['number'],
  properties: { number: { type: 'string', maxLength: 32, pattern: '^[TSQP]\\d{8}-\\d{4,}$' } },
} as const;

const quoteParam = {
  type: 'object',
  required: ['number'],
  properties: { number: { type: 'string', maxLength: 48, pattern: '^Q-[TSQP]\\d{8}-\\d{4,}-\\d{1,4}$' } },
} as const;

const staffActor = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  description: 'the staff id the client acts for: checked as in Slack (the ticket’s branch or the centre)',
};
/** An amount in yuan as a number or its text ("120.50"); the core checks its decimals and range (invalid_quote). */
const amount = { type: ['number', 'string'], description: 'yuan' };

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'actor'],
  properties: {
    items: {
      type: 'array',
      description: `at most ${QUOTE_LIMITS.items}; the core refuses a quantity of 0 or less, a negative price, a total of nothing or over ${QUOTE_LIMITS.totalCents / 100} yuan (422 invalid_quote with the field)`,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'unit', 'quantity', 'unitPrice'],
        properties: {
          name: { type: 'string', maxLength: 200 },
          unit: { type: 'string', maxLength: 50 },
          quantity: amount,
          unitPrice: amount,
        },
      },
    },
    note: { type: ['string', 'null'], maxLength: 2000 },
    actor: staffActor,
  },
} as const;

const answerBody = {
  type: 'object',
  additionalProperties: false,
  required: ['accept', 'actor'],
  properties: { accept: { type: 'boolean', description: 'true: the resident accepted on the phone; false: declined' }, actor: staffActor },
} as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A quote as the API shows it: amounts in cents and in yuan text, ISO instants with local minutes. */
function quoteJson(q: QuoteView) {
  return {
    number: q.number,
    ticketNumber: q.ticketNumber,
    branchId: q.branchId,
    status: q.status,
    items: q.items.map((i) => ({ ...i, unitPrice: (i.unitPriceCents / 100).toFixed(2), amount: (i.amountCents / 100).toFixed(2) })),
    totalCents: q.totalCents,
    total: (q.totalCents / 100).toFixed(2),
    note: q.note,
    validUntil: iso(q.validUntil),
    validUntilLocal: formatMinute(q.validUntil),
    createdBy: q.createdBy,
    createdAt: iso(q.createdAt),
    answeredAt: iso(q.answeredAt),
    answeredBy: q.answeredBy,
    paidNumber: q.paidNumber,
  };
}

/**
 * Quotes (R16) for secondary-network and in-building pipe work: make one on a ticket, list a
 * ticket's quotes, and record the answer a resident gave on the phone (an accepted quote is
 * scheduled as a paid-service ticket, R9). Changes need the write scope and a staff member the
 * client acts for, who must be allowed to quote the ticket.
 */
export async function quoteRoutes(app: FastifyInstance, { core }: { core: Core }) {
  app.post<{ Params: { number: string }; Body: { items: never[]; note?: string | null; actor: string } }>(
    '/api/tickets/:number/quotes',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Quote the work at engineering settlement prices and send it to the resident (201)',
        params: ticketParam,
        body: createBody,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const q = await createQuote(core, { ticketNumber: req.params.number, actor: `staff:${b.actor}`, items: b.items, note: b.note });
      return reply.status(201).send(quoteJson(await quoteView(core, q, { number: req.params.number })));
    },
  );

  app.get<{ Params: { number: string } }>(
    '/api/tickets/:number/quotes',
    { schema: { tags: ['quotes'], summary: 'A ticket’s quotes, oldest first (a sent quote past its validity reads expired)', params: ticketParam } },
    async (req) => ({ items: (await listQuotes(core, req.params.number)).map(quoteJson) }),
  );

  app.post<{ Params: { number: string }; Body: { accept: boolean; actor: string } }>(
    '/api/quotes/:number/answer',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Record the resident’s answer given on the phone; accepted: scheduled as a paid-service ticket (409 quote_expired, quote_already_answered)',
        params: quoteParam,
        body: answerBody,
      },
    },
    async (req) => {
      const out = await answerQuote(core, { quote: req.params.number, accept: req.body.accept, actor: `staff:${req.body.actor}` });
      return quoteJson(await quoteView(core, out.quote, out.ticket));
    },
  );
}
