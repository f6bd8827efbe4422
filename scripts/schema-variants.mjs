// The PostgreSQL variant of prisma/schema.prisma: same models, other provider and output.
export function pgSchemaText(sqliteSchema) {
  const out = sqliteSchema
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./dev.db"', 'url      = "postgresql://localhost/unused"')
    .replace('output       = "../src/db/generated/sqlite"', 'output       = "../../src/db/generated/postgresql"');
  if (out === sqliteSchema || !out.includes('generated/postgresql') || !out.includes('"postgresql"')) {
    throw new Error('prisma/schema.prisma: datasource or generator block changed shape; update scripts/schema-variants.mjs');
  }
  return out;
}
