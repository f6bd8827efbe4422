/**
 * GET /api/conduct?staff=&month= (read scope): each staff member's conduct findings (R31-R33)
 * with counts per finding; month is YYYY-MM (company time), staff an id of the organisation file.
 * An API client reads for the company, as the operator does.
 */
import type { FastifyInstance } from 'fastify';
import { conductRecord } from '../../core/conduct/conduct-record.js';
import type { Core } from '../../core/context.js';
import { operatorScope } from '../../core/staff/dashboard-scope.js';

interface ConductQuery {
  staff?: string;
  month?: string;
}

const querystring = {
  type: 'object',
  properties: { staff: { type: 'string', maxLength: 64 }, month: { type: 'string', maxLength: 7 } },
  additionalProperties: false,
} as const;

export async function conductRoutes(app: FastifyInstance, { core }: { core: Core }) {
  app.get<{ Querystring: ConductQuery }>(
    '/api/conduct',
    {
      schema: {
        tags: ['conduct'],
        summary:
          "Staff members' conduct findings (R31-R33): counts per finding (attitude, favours, obstruction, not_confirmed) and each finding with its ticket",
        querystring,
      },
    },
    async (req) => conductRecord(core, operatorScope(), { staffId: req.query.staff, month: req.query.month }),
  );
}
