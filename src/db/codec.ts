/**
 * How values go into and come out of each database, in one place. SQLite keeps instants as epoch
 * milliseconds (the Prisma adapter's unixepoch-ms) and booleans as 0/1; PostgreSQL keeps
 * instants in timestamp(3) columns as UTC wall time, so they go in as ISO strings (a timestamp
 * column ignores the Z) and are read back as UTC whatever the process's zone (runner.ts).
 * Rows are decoded by the column types Prisma generated from schema.prisma (generated/columns.ts).
 */
import { COLUMNS } from './generated/columns.js';
import type { Dialect } from './statement.js';

export type Model = keyof typeof COLUMNS;
export type Row = Record<string, unknown>;

export function encoder(d: Dialect): (v: unknown) => unknown {
  return d === 'sqlite'
    ? (v) => (v instanceof Date ? v.getTime() : typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v)
    : (v) => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);
}

/** A stored instant as read back (epoch ms, ISO text or Date), as a Date; null stays null. */
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v));
  return new Date(String(v));
}

const decoders: Record<string, (v: unknown) => unknown> = {
  DateTime: toDate,
  Boolean: (v) => (v === null || v === undefined ? null : typeof v === 'boolean' ? v : Boolean(Number(v))),
  Int: (v) => (v === null || v === undefined ? null : Number(v)),
  BigInt: (v) => (v === null || v === undefined ? null : Number(v)),
  Float: (v) => (v === null || v === undefined ? null : Number(v)),
};

const pass = (v: unknown) => v ?? null;

/** Each column of a model with its decoder, worked out once per model rather than for every row. */
const plans = new Map<Model, { name: string; decode: (v: unknown) => unknown }[]>();
function planOf(model: Model) {
  let plan = plans.get(model);
  if (!plan) {
    plan = Object.entries(COLUMNS[model] as Record<string, string>).map(([name, type]) => ({ name, decode: decoders[type] ?? pass }));
    plans.set(model, plan);
  }
  return plan;
}

/**
 * A row of `model` as read through SQL, with its columns in their types. `prefix` reads the
 * columns of a join aliased as "<prefix><column>". Columns not of the model pass unchanged.
 */
export function decodeRow<T>(model: Model, r: Row, prefix = ''): T {
  const out: Row = {};
  for (const { name, decode } of planOf(model)) {
    const key = prefix + name;
    if (key in r) out[name] = decode(r[key]);
  }
  if (!prefix) {
    const cols = COLUMNS[model] as Record<string, string>;
    for (const k of Object.keys(r)) if (!(k in cols)) out[k] = r[k];
  }
  return out as T;
}

/**
 * A decoder for a few named columns of `model` (read as "<prefix><column>"), for the statements
 * that read thousands of rows (the sweep): it visits only those columns, where decodeRow visits
 * all of a model's (some 6 µs for a ticket row).
 */
export function columnsDecoder<T>(model: Model, fields: readonly string[], prefix = ''): (r: Row) => T {
  const types = COLUMNS[model] as Record<string, string>;
  const cols = fields.map((f) => {
    if (!types[f]) throw new Error(`${model} has no column ${f}`);
    return { from: prefix + f, to: f, decode: decoders[types[f]] ?? pass };
  });
  return (r) => {
    const out: Row = {};
    for (const c of cols) out[c.to] = c.decode(r[c.from]);
    return out as T;
  };
}

/** COUNT and SUM come back as bigint, string or null depending on the database: a number. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
