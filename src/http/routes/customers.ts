import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';
import { importCustomers } from '../../core/customers/import-customers.js';

export async function customerRoutes(app: FastifyInstance, { core }: { core: Core }) {
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  app.post<{ Body: string }>(
    '/api/customers/import',
    {
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags: ['customers'],
        summary: 'Import the customer register from CSV (text/csv): account,name,phone,address,community,building,unit,room,area_m2',
        consumes: ['text/csv'],
      },
    },
    async (req, reply) => {
      if (typeof req.body !== 'string') return reply.status(415).send({ code: 'unsupported_media_type', message: 'send the CSV as text/csv' });
      const res = await importCustomers(core, req.body);
      return reply.send(res);
    },
  );
}
