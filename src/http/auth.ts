import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Bearer-token check for the operator API. Compared in constant time. */
export function bearerAuth(token: string) {
  const expected = Buffer.from(`Bearer ${token}`);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const got = Buffer.from(req.headers.authorization ?? '');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      return reply.status(401).send({ code: 'unauthorized', message: 'missing or wrong Authorization: Bearer token' });
    }
  };
}
