// Prisma CLI configuration. Prisma's native engines cannot be downloaded on our machines,
// so the CLI runs its Wasm/JS engines over a driver adapter (see README, "Developers").
// PRISMA_CLI_PROVIDER=postgresql switches the CLI to PostgreSQL (scripts/new-migration.mjs).
import path from 'node:path';
import type { PrismaConfig } from 'prisma';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

export default {
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  async adapter() {
    if (process.env.PRISMA_CLI_PROVIDER === 'postgresql') {
      return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' });
    }
    return new PrismaBetterSQLite3({ url: ':memory:' });
  },
} satisfies PrismaConfig;
