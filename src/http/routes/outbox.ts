import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';
import { AppError } from '../../core/errors.js';

/** Admins see what could not be delivered (dead letters) and send it again. */
export async function outboxRoutes(app: FastifyInstance, { core }: { core: Core }) {
  app.get<{ Querystring: { state: string; page: number; pageSize: number } }>(
    '/api/outbox',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Messages owed to people, by delivery state',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            state: { enum: ['pending', 'sent', 'dead'], default: 'dead' },
            page: { type: 'integer', minimum: 1, default: 1 },
            pageSize: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
        },
      },
    },
    async (req) => {
      const { state, page, pageSize } = req.query;
      const where = { state };
      const [total, rows] = await Promise.all([
        core.db.outboxMessage.count({ where }),
        core.db.outboxMessage.findMany({ where, orderBy: { id: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
      ]);
      return {
        total,
        items: rows.map((r) => ({
          id: r.id,
          key: r.key,
          platform: r.platform,
          target: r.target,
          kind: r.kind,
          state: r.state,
          attempts: r.attempts,
          lastError: r.lastError,
          createdAt: r.createdAt.toISOString(),
          nextAt: r.nextAt.toISOString(),
          sentAt: r.sentAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post<{ Params: { id: number } }>(
    '/api/outbox/:id/resend',
    { schema: { tags: ['outbox'], summary: 'Send a dead message again', params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } } } },
    async (req) => {
      const res = await core.db.outboxMessage.updateMany({
        where: { id: req.params.id, state: 'dead' },
        data: { state: 'pending', attempts: 0, nextAt: core.clock.now(), lastError: null, leaseOwner: null, leaseUntil: null },
      });
      if (res.count !== 1) {
        const exists = await core.db.outboxMessage.findUnique({ where: { id: req.params.id } });
        if (!exists) throw new AppError('not_found', `no outbox message ${req.params.id}`);
        throw new AppError('invalid_transition', `outbox message ${req.params.id} is ${exists.state}, not dead`, { from: exists.state, action: 'resend' });
      }
      return { id: req.params.id, state: 'pending' };
    },
  );
}
