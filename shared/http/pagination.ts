// Opaque keyset cursors: the client hands back what the previous page ended on.
import { z } from 'zod';
import { Limit } from './schemas';

export interface Page<T> { items: T[]; nextCursor: string | null }

export const Cursor = z.string().max(200).transform((value, ctx) => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'number' || typeof p === 'string')) return parsed as (number | string)[];
  } catch { /* reported below */ }
  ctx.addIssue({ code: 'custom', message: 'is not a cursor this API issued' });
  return z.NEVER;
});

export const PageQuery = { limit: Limit, cursor: Cursor.optional() };

/** Fetch limit + 1 rows; the extra one only says whether another page exists. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => (number | string)[], view: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last !== undefined
    ? Buffer.from(JSON.stringify(key(last)), 'utf8').toString('base64url') : null;
  return { items: items.map(view), nextCursor };
}
