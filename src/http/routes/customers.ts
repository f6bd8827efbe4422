import { finished, Readable, Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';
import { importCustomers } from '../../core/customers/import-customers.js';

/** The largest register file taken in one request (about 200,000 customers). */
export const IMPORT_LIMIT_BYTES = 20 * 1024 * 1024;

const TOO_LARGE = `the CSV is larger than ${IMPORT_LIMIT_BYTES / 1024 / 1024} MB; split it into several files`;

/** Raised by the byte counter when a body runs past the limit (a chunked body has no length to check first). */
class BodyTooLarge extends Error {
  readonly statusCode = 413;
  constructor() {
    super(TOO_LARGE);
  }
}

/** Passes the body on as it comes and stops it when it passes the limit. */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(part: Buffer, _enc, done: TransformCallback) {
      seen += part.length;
      if (seen > max) return done(new BodyTooLarge());
      done(null, part);
    },
  });
}

export async function customerRoutes(app: FastifyInstance, { core }: { core: Core }) {
  // The body goes on as a stream, read only as fast as the import stores it: never the whole file
  // in memory. Fastify enforces bodyLimit only for bodies it buffers itself, so the limit is here.
  app.addContentTypeParser(['text/csv', 'text/plain'], (req, payload, done) => {
    if (Number(req.headers['content-length'] ?? 0) > IMPORT_LIMIT_BYTES) return done(new BodyTooLarge(), undefined);
    const body = byteLimit(IMPORT_LIMIT_BYTES);
    // not pipeline: that would destroy the request, and with it the socket the answer goes out on
    payload.pipe(body);
    finished(payload, (err) => {
      if (err) body.destroy(err);
    });
    done(null, body);
  });
  app.post<{ Body: Readable }>(
    '/api/customers/import',
    {
      schema: {
        tags: ['customers'],
        summary: 'Import the customer register from CSV (text/csv): account,name,phone,address,community,building,unit,room,area_m2',
        description: [
          `The file is read as it arrives and stored in parts of a few hundred rows, at most ${IMPORT_LIMIT_BYTES / 1024 / 1024} MB per request.`,
          'Each row stands alone: good rows are stored (new accounts created, known ones updated), each bad row is listed with its line and reason and stores nothing; a file without the header is refused whole (400 csv_invalid), and so is one the CSV reader cannot follow, from that line on.',
          'A Content-Length over the limit is refused with 413 body_too_large before anything is stored; a chunked body that passes the limit stops there with 413 body_too_large, and `created` and `updated` say how many rows were stored before it (import the rest in another file: importing a row again only updates it).',
          'A database that cannot take the import answers 503 database_unavailable; the parts stored before it stay.',
        ].join('\n\n'),
        consumes: ['text/csv'],
      },
    },
    async (req, reply) => {
      if (!(req.body instanceof Readable)) return reply.status(415).send({ code: 'unsupported_media_type', message: 'send the CSV as text/csv' });
      let stored = { created: 0, updated: 0 };
      try {
        return reply.send(await importCustomers(core, req.body, { onStored: (s) => (stored = s) }));
      } catch (e) {
        if (e instanceof BodyTooLarge) return reply.status(413).send({ code: 'body_too_large', message: TOO_LARGE, ...stored });
        // the client went away half-way (its error says ECONNRESET, which is not the database's doing)
        if (!req.raw.complete && req.raw.destroyed) {
          req.log.info({ ...stored }, 'customer import: the client went away before the end of the file; the rows stored so far stay');
          return reply.status(400).send({ code: 'bad_request', message: 'the body ended before the end of the file' });
        }
        throw e;
      } finally {
        // An import stopped before the end leaves the rest of the body unread: it is read and dropped
        // (the request timeout bounds how long), so the client can finish sending and read the answer.
        // Closing the connection instead made clients fail with EPIPE before they saw the answer, and
        // leaving it unread kept the connection, and the server's close, waiting.
        if (!req.raw.complete) req.raw.resume();
      }
    },
  );
}
