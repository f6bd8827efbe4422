// Generates the Prisma client twice from prisma/schema.prisma: once for SQLite and once
// for PostgreSQL. A Prisma client is bound to one provider, and DATABASE_URL picks the
// provider at run time, so both are generated (into src/db/generated/, not committed).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pgSchemaText } from './schema-variants.mjs';

const source = readFileSync('prisma/schema.prisma', 'utf8');
mkdirSync('prisma/.generated', { recursive: true });
writeFileSync('prisma/.generated/schema.postgresql.prisma', pgSchemaText(source));

const prisma = ['node_modules/prisma/build/index.js', 'generate', '--no-hints'];
execFileSync(process.execPath, [...prisma, '--schema', 'prisma/schema.prisma'], { stdio: 'inherit' });
execFileSync(process.execPath, [...prisma, '--schema', 'prisma/.generated/schema.postgresql.prisma'], { stdio: 'inherit' });
