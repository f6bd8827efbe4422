/**
 * The baseline the intake benchmark is measured against (issue 9): a bare Fastify route doing
 * one better-sqlite3 insert per request (WAL, synchronous NORMAL), same machine, same run.
 * Started as a child process so that it has its own event loop like the real service.
 */
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const file = process.argv[2];
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, chat TEXT, body TEXT, at INTEGER)');
const insert = db.prepare('INSERT INTO t (chat, body, at) VALUES (?, ?, ?)');
const app = Fastify({ logger: false });
app.post('/telegram/webhook', async (req) => {
  const u = req.body as { message?: { chat?: { id?: number }; text?: string } };
  insert.run(String(u.message?.chat?.id ?? ''), u.message?.text ?? '', Date.now());
  return { ok: true };
});
await app.listen({ port: Number(process.argv[3] ?? 0), host: '127.0.0.1' });
process.send?.({ port: (app.server.address() as { port: number }).port });
