/**
 * The few helpers raw SQL needs to run on both providers: placeholders ($1 on PostgreSQL,
 * ? on SQLite) and instants (epoch milliseconds on SQLite, as the adapter stores them here).
 */
export type Provider = 'sqlite' | 'postgresql';

/**
 * A parameter list that hands out the right placeholder for each value it takes. Call add()
 * in the order the placeholders appear in the SQL text: SQLite binds ? by position.
 */
export class Params {
  readonly values: unknown[] = [];
  constructor(private readonly provider: Provider) {}

  /** The placeholder for one value (Dates converted for the provider). */
  add(v: unknown): string {
    this.values.push(v instanceof Date && this.provider === 'sqlite' ? v.getTime() : v);
    return this.provider === 'sqlite' ? '?' : `$${this.values.length}`;
  }

  /** "(?, ?, ?)" for an IN list. */
  list(vs: readonly unknown[]): string {
    return `(${vs.map((v) => this.add(v)).join(', ')})`;
  }
}

/** A stored instant read back through raw SQL, as a Date (or null). */
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v));
  return new Date(String(v));
}
