import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';
import type { OutboxMessage } from '../../core/model.js';
import { idParam, page } from '../schemas.js';

/** Admins see what could not be delivered (dead letters) and send it again. */
export async function outboxRoutes(app: FastifyInstance, { core }: { core: Core }) {
  app.get<{ Querystring: { state: OutboxMessage['state']; page: number; pageSize: number } }>(
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
            page,
            pageSize: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
        },
      },
    },
    async (req) => {
      const { state, page, pageSize } = req.query;
      const { total, items } = await core.stores.outbox.list(state, { skip: (page - 1) * pageSize, take: pageSize });
      return {
        total,
        items: items.map((r) => ({
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
    { schema: { tags: ['outbox'], summary: 'Send a dead message again', params: idParam } },
    async (req) => {
      await core.stores.outbox.resend(req.params.id, core.clock.now());
      return { id: req.params.id, state: 'pending' };
    },
  );
}
