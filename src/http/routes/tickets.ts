import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { CATEGORIES, SATISFACTION, SCOPES, SEVERITIES, TICKET_KINDS, UNIT_KINDS } from '../../core/domain.js';
import { createTicket } from '../../core/tickets/create-ticket.js';
import { getTicket } from '../../core/tickets/get-ticket.js';
import { listTickets } from '../../core/tickets/list-tickets.js';
import { recordCallback } from '../../core/tickets/record-callback.js';
import { reclassifyTicket } from '../../core/tickets/reclassify-ticket.js';
import { ACTIONS, STATUSES, type Action } from '../../core/tickets/status-machine.js';
import { loadTicket, transitionTicket } from '../../core/tickets/transition-ticket.js';
import { assertCanAct, type StaffAct } from '../../core/staff/can-act.js';
import type { Staff } from '../../core/org/types.js';
import { clientActor } from '../auth.js';
import { idParam, page } from '../schemas.js';
import { ticketDetail, ticketSummary } from '../serialize.js';

const str = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const numberParam = {
  type: 'object',
  required: ['number'],
  properties: { number: { type: 'string', maxLength: 32, pattern: '^[TSQP]\\d{8}-\\d{4,}$' } },
};

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'category', 'source', 'description', 'firstResponder'],
  properties: {
    kind: { enum: TICKET_KINDS },
    category: { enum: CATEGORIES },
    scope: { enum: SCOPES },
    severity: { enum: SEVERITIES },
    source: { enum: ['hotline', 'letter', 'visit', 'branch_direct', 'suggestion_box'] },
    description: str(4000),
    firstResponder: { ...str(64), description: 'staff id of the person who received it (R1)' },
    customerAccount: str(20),
    communityId: str(64),
    address: str(200),
    building: str(20),
    unit: str(20),
    room: str(20),
    contactName: str(50),
    contactPhone: { type: 'string', pattern: '^[0-9+\\- ]{5,20}$' },
    branchId: { ...str(64), description: 'branch-direct intake (R1.2): the branch that received it' },
    topic: str(100),
    paidMaterials: { enum: ['company', 'own'] },
  },
} as const;

const transitionBody = {
  type: 'object',
  additionalProperties: false,
  required: ['action', 'actor'],
  properties: {
    // follow_original is the system's step (a duplicate following its resolved original), never a client's
    action: { enum: ACTIONS.filter((a) => a !== 'follow_original') },
    actor: { ...str(64), description: 'staff id' },
    note: { type: 'string', maxLength: 2000, description: 'the result (resolve) or the reason (transfer, cancel, mark_duplicate: required)' },
    branchId: str(64),
    unitId: str(64),
    unitKind: { enum: UNIT_KINDS },
    duplicateOf: str(32),
    satisfaction: { enum: SATISFACTION },
    expectedStatus: { enum: STATUSES },
    form: {
      type: 'object',
      additionalProperties: false,
      required: ['workDone'],
      properties: {
        workDone: str(2000),
        materials: { type: 'string', maxLength: 2000 },
        feesCents: { type: 'integer', minimum: 0, maximum: 100_000_000 },
        effect: { type: 'string', maxLength: 1000 },
        afterSalesTerms: { type: 'string', maxLength: 1000 },
        signed: { type: 'boolean' },
        feeOverCapReason: { type: 'string', maxLength: 500, description: 'R12: why own-materials work charges more than the basic labour fee' },
      },
    },
  },
} as const;

type CreateBody = { firstResponder: string } & Record<string, any>;

/**
 * What a step asks of the staff member it is done for (can-act.ts), as the Slack buttons ask: the
 * centre dispatches and calls back, the branch records its own visit, the centre or the branch's
 * coordinators cancel and mark duplicates (R2).
 */
function actOf(action: Action): StaffAct {
  if (action === 'dispatch') return 'dispatch';
  if (action === 'arrive') return 'on_site';
  if (action === 'cancel' || action === 'mark_duplicate') return 'amend';
  if (action === 'request_callback' || action === 'close' || action === 'reopen') return 'callback';
  return 'step';
}

/**
 * The API client is the actor of every change made here (`api:<client>`); the staff id a body
 * names (`actor`, `firstResponder`) is whom the client acts for: it must be staff, the step is
 * checked against their role and branch as if they had clicked it in Slack, and the event keeps
 * it as onBehalfOf.
 */
export async function ticketRoutes(app: FastifyInstance, { core }: { core: Core }) {
  const staffOf = (id: string): Staff => {
    const staff = core.org.staff.get(id);
    if (!staff) throw new AppError('unknown_staff', `${id} is not staff in the organisation`, { staff: id });
    return staff;
  };
  const staffActor = (id: string) => `staff:${staffOf(id).id}` as const;
  /** The staff member named, allowed to do `act` on the ticket (403 forbidden with the reason). */
  const actingFor = async (id: string, number: string, act: StaffAct) => {
    const staff = staffOf(id);
    assertCanAct(core.org, staff, await loadTicket(core, number), act);
    return `staff:${staff.id}` as const;
  };

  app.post<{ Body: CreateBody }>(
    '/api/tickets',
    { schema: { tags: ['tickets'], summary: 'Record a complaint from the hotline, a letter, a visit or a branch (R1, R3)', body: createBody } },
    async (req, reply) => {
      const { firstResponder, ...rest } = req.body;
      const receiver = staffOf(firstResponder);
      // R1.2 as in Slack's /intake: a branch records what was brought to it, not another branch's complaints
      if (rest.branchId && receiver.branchId !== null && receiver.branchId !== rest.branchId) {
        throw new AppError('forbidden', `${receiver.id} may not record a complaint for branch ${rest.branchId}: other_branch`, {
          reason: 'other_branch',
          act: 'intake',
        });
      }
      const ticket = await createTicket(core, { ...(rest as any), firstResponder: staffActor(receiver.id), via: clientActor(req) });
      return reply.status(201).send(ticketDetail(core.org, await getTicket(core, ticket.number)));
    },
  );

  app.get<{ Params: { number: string } }>('/api/tickets/:number', { schema: { tags: ['tickets'], params: numberParam } }, async (req) =>
    ticketDetail(core.org, await getTicket(core, req.params.number)),
  );

  app.get<{ Querystring: Record<string, any> }>(
    '/api/tickets',
    {
      schema: {
        tags: ['tickets'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', pattern: `^(${STATUSES.join('|')})(,(${STATUSES.join('|')}))*$` },
            branch: str(64),
            kind: { enum: TICKET_KINDS },
            category: { enum: CATEGORIES },
            overdue: { type: 'boolean' },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            page,
            pageSize: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      const res = await listTickets(core, {
        status: q.status?.split(','),
        branchId: q.branch,
        kind: q.kind,
        category: q.category,
        overdue: q.overdue,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        page: q.page,
        pageSize: q.pageSize,
      });
      return { total: res.total, page: res.page, pageSize: res.pageSize, items: res.items.map((t) => ticketSummary(core.org, t)) };
    },
  );

  app.post<{ Params: { number: string }; Body: Record<string, any> }>(
    '/api/tickets/:number/transitions',
    { schema: { tags: ['tickets'], summary: 'One step of the closed loop (R8)', params: numberParam, body: transitionBody } },
    async (req) => {
      const action = req.body.action as Action;
      const actor = await actingFor(req.body.actor, req.params.number, actOf(action));
      await transitionTicket(core, { ...(req.body as any), number: req.params.number, action, actor, via: clientActor(req) });
      return ticketDetail(core.org, await getTicket(core, req.params.number));
    },
  );

  app.post<{ Params: { id: number }; Body: { actor: string; reached: boolean; satisfaction?: any; comment?: string } }>(
    '/api/callbacks/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Record a phone callback (R8h)',
        params: idParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['actor', 'reached'],
          properties: { actor: str(64), reached: { type: 'boolean' }, satisfaction: { enum: SATISFACTION }, comment: { type: 'string', maxLength: 1000 } },
        },
      },
    },
    async (req) => {
      const staff = staffOf(req.body.actor);
      // HQ calls back (R8h) whichever branch the ticket is in: the act does not depend on the place
      assertCanAct(core.org, staff, { branchId: null }, 'callback');
      const out = await recordCallback(core, {
        callbackId: req.params.id,
        actor: `staff:${staff.id}`,
        via: clientActor(req),
        reached: req.body.reached,
        satisfaction: req.body.satisfaction,
        comment: req.body.comment,
      });
      return { outcome: out.outcome, ticket: ticketDetail(core.org, await getTicket(core, out.ticket.number)) };
    },
  );

  app.post<{ Params: { number: string }; Body: Record<string, any> }>(
    '/api/tickets/:number/classification',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Correct kind, category, scope or severity, with a reason; deadlines are recomputed (R7, R27)',
        params: numberParam,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['actor'],
          minProperties: 2,
          properties: {
            actor: str(64),
            kind: { enum: TICKET_KINDS },
            category: { enum: CATEGORIES },
            scope: { enum: SCOPES },
            severity: { enum: SEVERITIES },
            note: { type: 'string', maxLength: 2000 },
            reason: { type: 'string', maxLength: 2000, description: 'why the class changes (required; a note is taken as the reason when no reason is given)' },
          },
        },
      },
    },
    async (req) => {
      const actor = await actingFor(req.body.actor, req.params.number, 'amend');
      await reclassifyTicket(core, { ...(req.body as any), number: req.params.number, actor, via: clientActor(req) });
      return ticketDetail(core.org, await getTicket(core, req.params.number));
    },
  );
}
