/**
 * The few SQL pieces that differ between the two databases the KPIs run on. SQLite keeps
 * DateTime as unix epoch milliseconds (the adapter's timestampFormat 'unixepoch-ms');
 * PostgreSQL has timestamp(3) columns holding UTC wall time.
 */
import { Prisma } from '../../db/generated/sqlite/client.js';
import type { Core } from '../context.js';

type Sql = Prisma.Sql;

export interface Dialect {
  /** an instant as a bound parameter comparable with DateTime columns */
  at(d: Date): Sql;
  /** a DateTime expression moved later by a fixed number of milliseconds */
  plus(expr: Sql, ms: number): Sql;
  /** a top-level string field of a JSON text column */
  jsonText(expr: Sql, key: string): Sql;
}

const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

const sqlite: Dialect = {
  at: (d) => Prisma.sql`${d.getTime()}`,
  plus: (expr, ms) => Prisma.sql`(${expr} + ${Prisma.raw(String(Math.trunc(ms)))})`,
  jsonText: (expr, key) => Prisma.sql`json_extract(${expr}, ${Prisma.raw(`'$.${checkKey(key)}'`)})`,
};

const postgresql: Dialect = {
  // The string carries its Z; a cast to timestamp (without zone) keeps the UTC wall time, as stored.
  at: (d) => Prisma.sql`CAST(${d.toISOString()} AS TIMESTAMP(3))`,
  plus: (expr, ms) => Prisma.sql`(${expr} + ${Prisma.raw(`INTERVAL '${Math.trunc(ms)} milliseconds'`)})`,
  jsonText: (expr, key) => Prisma.sql`(CAST(${expr} AS jsonb) ->> ${Prisma.raw(`'${checkKey(key)}'`)})`,
};

function checkKey(key: string): string {
  if (!SAFE_KEY.test(key)) throw new Error(`not a plain JSON key: ${key}`);
  return key;
}

export function dialectOf(core: Pick<Core, 'provider'>): Dialect {
  return core.provider === 'postgresql' ? postgresql : sqlite;
}

/** COUNT and SUM come back as bigint (or null over no rows) on both databases. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
