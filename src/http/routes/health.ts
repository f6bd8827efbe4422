import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';

export async function healthRoutes(app: FastifyInstance, { core }: { core: Core }) {
  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await core.db.$queryRawUnsafe('SELECT 1');
      return { status: 'ok', database: core.provider };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: core.provider });
    }
  });
}
