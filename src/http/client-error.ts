/**
 * What a client hears when Node cannot read its request at all (a head over 16 KB, a timeout
 * before the head was complete, bytes that are not HTTP): Fastify's own answers, except that an
 * /open311 request gets its refusal in Open311's shape (open311/errors.ts). Fastify does not
 * export its default handler, so its three answers are written here as it writes them.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError } from 'fastify';
import { open311HeadTooLarge } from './open311/errors.js';

function answer(socket: Socket, status: number, contentType: string, body: Buffer): void {
  if (!socket.writable) return;
  socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${body.length}\r\nContent-Type: ${contentType}\r\nConnection: close\r\n\r\n`);
  socket.write(body);
}

export function clientErrorHandler(err: ConnectionError, socket: Socket): void {
  // a reset connection has nothing left to answer
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    // what Node had read of the head (Fastify's types say otherwise, Node hands a Buffer)
    const raw: unknown = err.rawPacket;
    const open311 = open311HeadTooLarge(Buffer.isBuffer(raw) ? raw.subarray(0, 512).toString('latin1') : '');
    if (open311) answer(socket, 431, open311.contentType, open311.body);
    else
      answer(
        socket,
        431,
        'application/json',
        Buffer.from('{"error":"Request Header Fields Too Large","message":"Exceeded maximum allowed HTTP header size","statusCode":431}'),
      );
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    answer(socket, 408, 'application/json', Buffer.from('{"error":"Request Timeout","message":"Client Timeout","statusCode":408}'));
  } else {
    answer(socket, 400, 'application/json', Buffer.from('{"error":"Bad Request","message":"Client Error","statusCode":400}'));
  }
  socket.destroy(err);
}
