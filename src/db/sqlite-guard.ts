/**
 * Prisma's better-sqlite3 adapter has one connection. Its interactive transactions wait for each
 * other, but a plain query issued while one is open runs on that connection inside it: it sees
 * the transaction's uncommitted rows and is undone with it if it rolls back (an outbox row marked
 * sent by one request, rolled back by another request's failed step, is sent again). The guard
 * makes plain queries wait until no transaction is open, as the direct path does (whenFree).
 *
 * So code inside `db.$transaction(async (tx) => ...)` must use `tx`, never the client itself:
 * a plain query there waits for the very transaction it is part of.
 */
import type BetterSqlite3 from 'better-sqlite3';

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
  /** the better-sqlite3 connection under it (sqlite-direct.ts) */
  connection: BetterSqlite3.Database;
  /** resolves when no interactive transaction is open on the connection */
  whenFree(): Promise<void>;
}

export function guardPlainQueries<A>(adapter: A): Guarded<A> {
  const a = adapter as unknown as Adapter;
  let ended: Promise<void> | null = null;
  let end: () => void = () => {};
  const startTransaction = a.startTransaction.bind(a);
  a.startTransaction = async (isolationLevel) => {
    const tx = await startTransaction(isolationLevel);
    ended = new Promise((r) => (end = r));
    const finish = <T>(p: () => Promise<T>) => async () => {
      try {
        return await p();
      } finally {
        ended = null;
        end();
      }
    };
    tx.commit = finish(tx.commit.bind(tx));
    tx.rollback = finish(tx.rollback.bind(tx));
    return tx;
  };
  const whenFree = async () => {
    // `ended` covers a transaction from just after its BEGIN; inTransaction also the moment before
    for (let i = 0; ended || a.client.inTransaction; i++) {
      if (ended) await ended;
      else await new Promise((r) => (i < 100 ? setImmediate(r) : setTimeout(r, 1)));
    }
  };
  for (const m of ['queryRaw', 'executeRaw'] as const) {
    const run = a[m].bind(a) as (q: Query) => Promise<never>;
    a[m] = async (q: Query) => {
      await whenFree();
      return run(q);
    };
  }
  return { adapter, connection: a.client, whenFree };
}
