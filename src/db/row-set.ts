/**
 * Sets of ids and rows as ONE bound parameter (a JSON array; on PostgreSQL an integer array for
 * ids), for the statements that take thousands at once (the deadline sweep of a cold snap, owed
 * messages): the statement text is the same whatever the number, so it is prepared once (on
 * SQLite per connection, on PostgreSQL as a named statement), where an IN list or a VALUES list
 * of its own length prepares a new statement for every size and binds a parameter per cell.
 */
import { encoder, type Model } from './codec.js';
import { COLUMNS } from './generated/columns.js';
import { dialect, sql, type Dialect, type Sql } from './statement.js';

/**
 * "(ids)" for `"id" IN ...`: the ids go in as one parameter (a JSON array on SQLite, an array on
 * PostgreSQL), so the statement text is the same for every batch and stays prepared, where an
 * IN list of its own length would prepare a new statement for each size of batch.
 */
export function idSet(ids: readonly number[]): Sql {
  return dialect({
    sqlite: sql`(SELECT "value" FROM json_each(${JSON.stringify(ids)}))`,
    postgresql: sql`(SELECT unnest(${ids}::integer[]))`,
  });
}

const PG_TYPE: Record<string, string> = {
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Boolean: 'boolean',
  DateTime: 'timestamp(3)',
  String: 'text',
};
const cellSqlite = encoder('sqlite');
const cellPg = encoder('postgresql');

/**
 * One INSERT of many rows of the same columns, the rows going in as one JSON array: one
 * statement text whatever the number of rows (see idSet), one parameter instead of one per
 * cell. `conflictKey`: rows whose unique key is already stored are skipped. `onlyWith`
 * (PostgreSQL, inside a WITH): the name of an earlier part of the statement; the rows are stored
 * only if it gave a row.
 */
export function insertRowSet(d: Dialect, table: Model, rows: readonly object[], conflictKey?: string, onlyWith?: string): Sql {
  if (onlyWith && d === 'sqlite') throw new Error('SQLite has no INSERT inside WITH');
  const cols = Object.keys(rows[0]);
  const types = COLUMNS[table] as Record<string, string>;
  for (const c of cols) if (!types[c]) throw new Error(`${table} has no column ${c}`);
  const json = (encode: (v: unknown) => unknown) => JSON.stringify(rows.map((r) => cols.map((c) => encode((r as Record<string, unknown>)[c]))));
  const colList = sql.join(cols.map(sql.ident));
  // SQLite needs the WHERE to read ON CONFLICT as the upsert clause and not as part of the join
  const conflict = conflictKey ? sql` WHERE true ON CONFLICT (${sql.ident(conflictKey)}) DO NOTHING` : sql``;
  // the rows are encoded for the one database the statement is for (instants differ)
  return d === 'sqlite'
    ? sql`INSERT INTO ${sql.ident(table)} (${colList}) SELECT ${sql.join(cols.map((_, i) => sql.raw(`e."value"->>${i}`)))} FROM json_each(${json(cellSqlite)}) e${conflict}`
    : sql`INSERT INTO ${sql.ident(table)} (${colList}) SELECT ${sql.join(cols.map((c, i) => sql.raw(`(e.v->>${i})::${PG_TYPE[types[c]]}`)))} FROM ${onlyWith ? sql`${sql.ident(onlyWith)}, ` : sql``}json_array_elements(${json(cellPg)}::json) AS e(v)${conflict}`;
}
