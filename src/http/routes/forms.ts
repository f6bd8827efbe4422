import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { FORM_STATUSES, listForms, MAX_FORMS_PAGE_SIZE } from '../../core/forms/list-forms.js';
import { markFormReturned } from '../../core/forms/mark-form-returned.js';
import { markFormsReturned } from '../../core/forms/mark-forms-returned.js';
import { formatMinute } from '../../core/local-time.js';
import type { FormOfTicket } from '../../core/ports/form-store.js';
import { clientActor } from '../auth.js';
import { page } from '../schemas.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, company time' } as const;
const actor = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  description: 'the staff id the client acts for (a centre agent, leader or admin); absent: the client itself',
};
const numberParam = {
  type: 'object',
  required: ['number'],
  properties: { number: { type: 'string', maxLength: 32, pattern: '^[TSQP]\\d{8}-\\d{4,}$' } },
} as const;

/** A service form as the API shows it: the ticket's number and branch, ISO instants and the minute in company time. */
export function formSummary(f: FormOfTicket) {
  return {
    ticketNumber: f.ticketNumber,
    branchId: f.branchId,
    kind: f.kind,
    workDone: f.form.workDone,
    effect: f.form.effect,
    afterSalesTerms: f.form.afterSalesTerms,
    feesCents: f.form.feesCents,
    signed: f.form.signed,
    serviceDate: iso(f.form.serviceDate),
    serviceDateLocal: formatMinute(f.form.serviceDate),
    hqReturnedAt: iso(f.form.hqReturnedAt),
    hqReturnedAtLocal: f.form.hqReturnedAt ? formatMinute(f.form.hqReturnedAt) : null,
    hqReturnedBy: f.form.hqReturnedBy,
  };
}

/**
 * Service forms back at HQ (R8l): the list by status (overdue: not back half a month after the
 * service), and marking forms back, one by its ticket's number or a branch's bundle by service
 * dates (write scope). A staff member the client names must be one who may mark forms.
 */
export async function formRoutes(app: FastifyInstance, { core }: { core: Core }) {
  const actingFor = (req: FastifyRequest, staffId: string | undefined): string => {
    if (staffId === undefined) return clientActor(req);
    const staff = core.org.staff.get(staffId);
    if (!staff) throw new AppError('unknown_staff', `${staffId} is not staff in the organisation`, { staff: staffId });
    return `staff:${staff.id}`;
  };

  app.get<{ Querystring: { status: 'overdue' | 'returned' | 'all'; branch?: string; page: number; pageSize: number } }>(
    '/api/forms',
    {
      schema: {
        tags: ['forms'],
        summary: 'Service forms by whether the HQ copy is back (R8l): overdue oldest first, returned latest first, all newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { enum: FORM_STATUSES, default: 'overdue' },
            branch: { type: 'string', minLength: 1, maxLength: 64 },
            page,
            pageSize: { type: 'integer', minimum: 1, maximum: MAX_FORMS_PAGE_SIZE, default: 50 },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      const res = await listForms(core, { status: q.status, branchId: q.branch, page: q.page, pageSize: q.pageSize });
      return {
        status: res.status,
        branch: res.branchId ?? null,
        total: res.total,
        page: res.page,
        pageSize: res.pageSize,
        pages: res.pages,
        dueBefore: res.dueBefore.toISOString(),
        items: res.items.map(formSummary),
      };
    },
  );

  app.post<{ Params: { number: string }; Body: { actor?: string } | undefined }>(
    '/api/forms/:number/returned',
    {
      schema: {
        tags: ['forms'],
        summary: "The ticket's service form is back at HQ (R8l); 404 form_not_found, 409 form_already_returned (with who and when)",
        params: numberParam,
        body: { type: 'object', additionalProperties: false, properties: { actor } },
      },
    },
    async (req) => formSummary(await markFormReturned(core, { number: req.params.number, actor: actingFor(req, req.body?.actor) })),
  );

  app.post<{ Body: { branch: string; from: string; to: string; actor?: string } }>(
    '/api/forms/returned',
    {
      schema: {
        tags: ['forms'],
        summary: "A branch's bundle is back (R8l): every form of the branch with a service date from `from` to `to` (included) not back yet; 400 invalid_range",
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['branch', 'from', 'to'],
          properties: { branch: { type: 'string', minLength: 1, maxLength: 64 }, from: date, to: date, actor },
        },
      },
    },
    async (req) => {
      const b = req.body;
      const res = await markFormsReturned(core, { branchId: b.branch, from: b.from, to: b.to, actor: actingFor(req, b.actor) });
      return { marked: res.count, branch: res.branchId, from: res.from, to: res.to };
    },
  );
}
