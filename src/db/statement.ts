/**
 * SQL written once for both databases. A statement is a tagged template: interpolated values
 * are bound as parameters (never spliced into the text), interpolated statements are inlined,
 * and the placeholders (? on SQLite, $1 on PostgreSQL) and the encoding of instants and
 * booleans are chosen when a runner executes it (runner.ts, codec.ts).
 *
 *   sql`SELECT * FROM "Ticket" WHERE "number" = ${number} AND "status" IN ${sql.list(open)}`
 *
 * Where the databases really differ, `dialect({ sqlite: sql`...`, postgresql: sql`...` })`
 * picks the fragment at execution time.
 */
export type Dialect = 'sqlite' | 'postgresql';

type Part = string | { value: unknown } | Sql | DialectChoice;

class DialectChoice {
  constructor(readonly choices: Record<Dialect, Sql>) {}
}

/** A statement (or a fragment of one) with its values. */
export class Sql {
  constructor(readonly parts: readonly Part[]) {}

  /** The text and parameters for one database; values are encoded by `encode`. */
  compile(d: Dialect, encode: (v: unknown) => unknown): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    let text = '';
    const walk = (s: Sql) => {
      for (const p of s.parts) {
        if (typeof p === 'string') text += p;
        else if (p instanceof Sql) walk(p);
        else if (p instanceof DialectChoice) walk(p.choices[d]);
        else {
          values.push(encode(p.value));
          text += d === 'sqlite' ? '?' : `$${values.length}`;
        }
      }
    };
    walk(this);
    return { text, values };
  }
}

/** A statement; `${value}` binds a parameter, `${sql`...`}` inlines a fragment. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const parts: Part[] = [];
  strings.forEach((s, i) => {
    if (s) parts.push(s);
    if (i < values.length) {
      const v = values[i];
      parts.push(v instanceof Sql || v instanceof DialectChoice ? v : { value: v });
    }
  });
  return new Sql(parts);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A quoted identifier (table or column); only plain names are accepted. */
sql.ident = (name: string): Sql => {
  if (!IDENT.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return new Sql([`"${name}"`]);
};

/** Trusted SQL text: keywords and constants written in this folder, never input. */
sql.raw = (text: string): Sql => new Sql([text]);

/** Fragments joined by a separator. */
sql.join = (items: readonly Sql[], sep = ', '): Sql => {
  const parts: Part[] = [];
  items.forEach((it, i) => {
    if (i) parts.push(sep);
    parts.push(it);
  });
  return new Sql(parts);
};

/** "(?, ?, ?)" for an IN list (a list must not be empty). */
sql.list = (values: readonly unknown[]): Sql => {
  if (!values.length) throw new Error('an IN list must not be empty');
  return sql`(${sql.join(values.map((v) => sql`${v}`))})`;
};

/** The fragment for the database the statement runs on. */
export function dialect(choices: Record<Dialect, Sql>): Sql {
  return new Sql([new DialectChoice(choices)]);
}

export type Cell = string | number | boolean | null | Date | undefined;

/**
 * INSERT of one or more rows of the same columns (those of the first row), optionally skipping
 * rows whose unique column already holds the value. Both databases take this form.
 */
export function insertSql(table: string, rows: readonly Record<string, Cell>[], opts: { onConflictDoNothing?: string; returning?: string[] } = {}): Sql {
  if (!rows.length) throw new Error(`no rows to insert into ${table}`);
  const cols = Object.keys(rows[0]);
  const tuples = rows.map((r) => sql`(${sql.join(cols.map((c) => sql`${r[c] ?? null}`))})`);
  const conflict = opts.onConflictDoNothing ? sql` ON CONFLICT (${sql.ident(opts.onConflictDoNothing)}) DO NOTHING` : sql``;
  const returning = opts.returning?.length ? sql` RETURNING ${sql.join(opts.returning.map(sql.ident))}` : sql``;
  return sql`INSERT INTO ${sql.ident(table)} (${sql.join(cols.map(sql.ident))}) VALUES ${sql.join(tuples)}${conflict}${returning}`;
}
