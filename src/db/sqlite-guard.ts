/**
 * Prisma's better-sqlite3 adapter has one connection, and the data layer (runner.ts) runs its
 * own statements on it. Left alone, a plain query issued while a transaction is open runs inside
 * it: it sees the transaction's uncommitted rows and is undone with it if it rolls back (an
 * outbox row marked sent by one request, rolled back by another request's failed step, is sent
 * again). So everything on the connection passes one gate (gate.ts): Prisma's plain queries take
 * it for their moment, Prisma's interactive transactions from BEGIN to COMMIT.
 *
 * So code inside `db.$transaction(async (tx) => ...)` must use `tx`, never the client itself:
 * a plain query there waits for the very transaction it is part of.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { Gate } from './gate.js';

interface Query {
  sql: string;
}
interface Transaction {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}
interface Adapter {
  client: BetterSqlite3.Database;
  queryRaw(q: Query): Promise<unknown>;
  executeRaw(q: Query): Promise<number>;
  startTransaction(isolationLevel?: string): Promise<Transaction>;
}

export interface Guarded<A> {
  adapter: A;
  /** the better-sqlite3 connection under it (runner.ts) */
  connection: BetterSqlite3.Database;
  /** the one gate onto the connection */
  gate: Gate;
}

export function guardPlainQueries<A>(adapter: A): Guarded<A> {
  const a = adapter as unknown as Adapter;
  const gate = new Gate();
  const startTransaction = a.startTransaction.bind(a);
  a.startTransaction = async (isolationLevel) => {
    const release = await gate.acquire();
    let tx: Transaction;
    try {
      tx = await startTransaction(isolationLevel);
    } catch (e) {
      release();
      throw e;
    }
    const finish =
      <T>(p: () => Promise<T>) =>
      async () => {
        try {
          return await p();
        } finally {
          release();
        }
      };
    tx.commit = finish(tx.commit.bind(tx));
    tx.rollback = finish(tx.rollback.bind(tx));
    return tx;
  };
  for (const m of ['queryRaw', 'executeRaw'] as const) {
    const run = a[m].bind(a) as (q: Query) => Promise<never>;
    a[m] = async (q: Query) => {
      const release = await gate.acquire();
      try {
        // the adapter reaches the driver synchronously, before its first await
        return await run(q);
      } finally {
        release();
      }
    };
  }
  return { adapter, connection: a.client, gate };
}
