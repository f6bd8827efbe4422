/**
 * Seeds a large ticket table straight through better-sqlite3 (one prepared insert, one
 * transaction), for benchmarks that need a million rows in seconds, not Prisma's minutes.
 * Timestamps are stored as Prisma's SQLite adapter stores them here (unix epoch milliseconds).
 */
import Database from 'better-sqlite3';
import { CATEGORIES } from '../src/core/domain.js';

export interface SeedOptions {
  count: number;
  /** tickets are spread evenly over [from, to) */
  from: Date;
  to: Date;
  branches: string[];
  seed?: number;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export function seedTickets(file: string, o: SeedOptions): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(`INSERT INTO "Ticket" ("number","kind","category","scope","severity","source","status","description","firstResponder",
    "branchId","unitId","communityId","createdAt","dispatchedAt","acceptedAt","arrivedAt","resolvedAt","closedAt","ackDueAt","arriveDueAt","resolveDueAt",
    "satisfaction","reopenCount","transferCount","verified","conductConfirmed","updatedAt","version")
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,0,?,0)`);
  const r = rng(o.seed ?? 1);
  const span = o.to.getTime() - o.from.getTime();
  const H = 3600_000;
  db.transaction(() => {
    for (let i = 0; i < o.count; i++) {
      const created = o.from.getTime() + Math.floor((i / o.count) * span);
      const branch = o.branches[i % o.branches.length];
      const category = CATEGORIES[Math.floor(r() * CATEGORIES.length)];
      const primary = r() < 0.2;
      const done = r() < 0.9;
      const accepted = created + Math.floor(r() * 0.5 * H);
      const arrived = primary ? null : created + Math.floor(r() * 1.5 * H);
      const resolved = done ? created + Math.floor(r() * 30 * H) : null;
      const status = done ? (r() < 0.8 ? 'closed' : 'callback') : 'accepted';
      const satisfaction = status === 'closed' ? (['satisfied', 'satisfied', 'satisfied', 'fairly', 'dissatisfied'] as const)[Math.floor(r() * 5)] : null;
      insert.run(
        `T${i}`,
        r() < 0.85 ? 'complaint' : 'consultation',
        category,
        primary ? 'primary' : 'secondary',
        category === 'leak' ? 'urgent' : 'normal',
        r() < 0.5 ? 'telegram' : 'hotline',
        status,
        'seeded',
        'telegram',
        branch,
        `${branch}-field`,
        null,
        created,
        created,
        accepted,
        arrived,
        resolved,
        status === 'closed' ? resolved : null,
        created + 15 * 60_000,
        primary ? null : created + H,
        created + 24 * H,
        satisfaction,
        r() < 0.02 ? 1 : 0,
        r() < 0.03 ? 1 : 0,
        created,
      );
    }
  })();
  db.close();
}
