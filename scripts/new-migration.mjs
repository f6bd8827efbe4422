// Writes the migration SQL for both providers from the change to prisma/schema.prisma
// since the last migration (prisma/migrations/schema.snapshot.prisma), then moves the
// snapshot forward. Usage: npm run db:migration -- add_something
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { pgSchemaText } from './schema-variants.mjs';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name in snake_case>');
  process.exit(2);
}
const snapshot = 'prisma/migrations/schema.snapshot.prisma';
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = `${stamp}_${name}`;
mkdirSync('prisma/.generated', { recursive: true });

function diff(provider, fromFile, toFile) {
  const from = fromFile ? ['--from-schema-datamodel', fromFile] : ['--from-empty'];
  return execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'migrate', 'diff', ...from, '--to-schema-datamodel', toFile, '--script'], {
    env: { ...process.env, PRISMA_CLI_PROVIDER: provider },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

const current = readFileSync('prisma/schema.prisma', 'utf8');
const previous = existsSync(snapshot) ? readFileSync(snapshot, 'utf8') : null;
const variants = {
  sqlite: { to: current, from: previous },
  postgresql: { to: pgSchemaText(current), from: previous && pgSchemaText(previous) },
};
for (const [provider, { to, from }] of Object.entries(variants)) {
  const toFile = `prisma/.generated/to.${provider}.prisma`;
  const fromFile = from ? `prisma/.generated/from.${provider}.prisma` : null;
  writeFileSync(toFile, to);
  if (fromFile) writeFileSync(fromFile, from);
  const sql = diff(provider, fromFile, toFile);
  if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
    console.error(`no change for ${provider}: nothing written`);
    process.exit(1);
  }
  mkdirSync(`prisma/migrations/${provider}/${dir}`, { recursive: true });
  writeFileSync(`prisma/migrations/${provider}/${dir}/migration.sql`, sql);
  console.log(`wrote prisma/migrations/${provider}/${dir}/migration.sql`);
}
copyFileSync('prisma/schema.prisma', snapshot);
