/**
 * Row ids as the schema stores them: 32-bit integers from 1 (Prisma's `Int @id @default(autoincrement())`,
 * `integer` on both databases). A number outside that range names no row; passed to PostgreSQL it
 * is not "not found" but an out-of-range error, so transports check ids with this before asking.
 */
export const MAX_ROW_ID = 2_147_483_647;

/** Whether x could be the id of a stored row. */
export function isRowId(x: unknown): x is number {
  return Number.isSafeInteger(x) && (x as number) >= 1 && (x as number) <= MAX_ROW_ID;
}
