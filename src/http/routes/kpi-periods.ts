/**
 * Closed periods over HTTP (R29, R30): GET /api/kpi/periods lists the frozen months (when, by
 * whom, how many adjustments since); POST /api/kpi/periods/{YYYY-MM}/close freezes a month that
 * has ended (write scope; 409 period_not_ended for the running month; a second close answers
 * with the first snapshot, 200 instead of 201). The frozen figures are read through GET /api/kpi.
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';
import { closePeriod } from '../../core/kpi/close-period.js';
import { clientActor } from '../auth.js';

const keyParam = {
  type: 'object',
  required: ['period'],
  properties: { period: { type: 'string', maxLength: 7, pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM, company time' } },
} as const;

export async function kpiPeriodRoutes(app: FastifyInstance, { core }: { core: Core }) {
  app.get(
    '/api/kpi/periods',
    { schema: { tags: ['kpi'], summary: 'The closed (frozen) months, newest first, with their adjustment counts (R29, R30)' } },
    async () => ({
      items: await core.stores.kpiPeriods.closed(),
    }),
  );

  app.post<{ Params: { period: string } }>(
    '/api/kpi/periods/:period/close',
    {
      schema: { tags: ['kpi'], summary: 'Freeze the KPIs of a month that has ended (idempotent: a second close returns the first snapshot)', params: keyParam },
    },
    async (req, reply) => {
      const { snapshot, created } = await closePeriod(core, req.params.period, clientActor(req));
      const { data: _figures, ...closed } = snapshot;
      return reply.status(created ? 201 : 200).send({ ...closed, created });
    },
  );
}
