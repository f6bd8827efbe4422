import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';

export async function healthRoutes(app: FastifyInstance, { core }: { core: Pick<Core, 'stores'> }) {
  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
    const { housekeeping } = core.stores;
    try {
      await housekeeping.ping();
      return { status: 'ok', database: housekeeping.database };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: housekeeping.database });
    }
  });
}
