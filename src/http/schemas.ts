/**
 * Schema pieces the routes share for what names a row or a page. Ids and pages have upper bounds:
 * an id past the database's integer range, or a page whose offset overflows, is a 400 with a code
 * at the door rather than an out-of-range error from the database (a 500).
 */
import { MAX_ROW_ID } from '../core/ids.js';

/** A stored row's id in a path, query or body. */
export const rowId = { type: 'integer', minimum: 1, maximum: MAX_ROW_ID } as const;

/** `:id` in a path. */
export const idParam = { type: 'object', required: ['id'], properties: { id: rowId } } as const;

/** Far beyond any list here (500 rows a page), and (page - 1) × pageSize stays a safe offset on both databases. */
export const MAX_PAGE = 1_000_000;
export const page = { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 } as const;
