/**
 * Applies the committed migration SQL (prisma/migrations/<provider>/<name>/migration.sql) in
 * name order, through the driver the service runs on. Safe when several instances start at
 * once: SQLite serialises on BEGIN IMMEDIATE, PostgreSQL on an advisory lock. withStartupLock
 * serialises the rest of the start-up work that must happen once (the demo seed) the same way.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseTarget } from './client.js';

const MIGRATIONS_ROOT = resolve(import.meta.dirname, '../../prisma/migrations');
const LOCK_ID = 72_460_301; // any fixed number; the same for every instance of this service
// start-up work after the migrations; its own key, so that it never waits on a migration's lock it holds
const STARTUP_LOCK_ID = 72_460_302;

export interface Migration {
  name: string;
  sql: string;
}

export function listMigrations(provider: DatabaseTarget['provider'], root = MIGRATIONS_ROOT): Migration[] {
  const dir = join(root, provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => existsSync(join(dir, n, 'migration.sql')))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name, 'migration.sql'), 'utf8') }));
}

/** Returns the names of the migrations it applied (empty when the database was up to date). */
export async function migrate(target: DatabaseTarget): Promise<string[]> {
  const migrations = listMigrations(target.provider);
  return target.provider === 'sqlite' ? migrateSqlite(target.url, migrations) : migratePg(target, migrations);
}

function migrateSqlite(file: string, migrations: Migration[]): string[] {
  const db = new Database(file, { timeout: 30_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec('CREATE TABLE IF NOT EXISTS "_app_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)');
      const done = new Set(db.prepare('SELECT "name" FROM "_app_migrations"').pluck().all() as string[]);
      const applied: string[] = [];
      const mark = db.prepare('INSERT INTO "_app_migrations" ("name", "appliedAt") VALUES (?, ?)');
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        db.exec(m.sql);
        mark.run(m.name, new Date().toISOString());
        applied.push(m.name);
      }
      db.exec('COMMIT');
      return applied;
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  } finally {
    db.close();
  }
}

async function migratePg(target: DatabaseTarget, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const schema = target.schema ?? 'public';
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(`SET search_path TO "${schema}"`);
      await client.query('CREATE TABLE IF NOT EXISTS "_app_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TIMESTAMPTZ NOT NULL)');
      const { rows } = await client.query<{ name: string }>('SELECT "name" FROM "_app_migrations"');
      const done = new Set(rows.map((r) => r.name));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        // Prisma writes CREATE SCHEMA "public"; our schema is chosen by search_path instead.
        const sql = m.sql.replace(/^CREATE SCHEMA IF NOT EXISTS "public";$/m, '');
        await client.query('BEGIN');
        try {
          await client.query(sql);
          await client.query('INSERT INTO "_app_migrations" ("name", "appliedAt") VALUES ($1, now())', [m.name]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK');
          throw e;
        }
        applied.push(m.name);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]);
    }
  } finally {
    await client.end();
  }
}

/**
 * Runs `fn` while no other instance of the service on this database runs its own: one-off
 * start-up work such as loading the demo register, which a second instance must wait for instead
 * of starting beside it (and then serving with half a register). PostgreSQL: an advisory lock on a
 * connection of its own, released when `fn` ends or the process dies. SQLite: an exclusive
 * transaction on a small side file (`<database>-startup.lock`) that the database itself never
 * touches, so `fn` can write through the service's own connection; the operating system releases
 * it if the process dies. Waiting polls, so two holders in one process (tests) do not block each
 * other's event loop.
 */
export async function withStartupLock<T>(target: DatabaseTarget, fn: () => Promise<T>): Promise<T> {
  if (target.provider === 'sqlite') {
    const lock = new Database(`${target.url}-startup.lock`, { timeout: 0 });
    try {
      for (;;) {
        try {
          lock.exec('BEGIN EXCLUSIVE');
          break;
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      try {
        return await fn();
      } finally {
        lock.exec('ROLLBACK');
      }
    } finally {
      lock.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    // per schema: instances of other schemas in the same database (tests, a second site) need not wait
    const key = [STARTUP_LOCK_ID, target.schema ?? 'public'];
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', key);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', key);
    }
  } finally {
    await client.end();
  }
}
