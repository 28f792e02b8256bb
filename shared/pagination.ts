// Opaque keyset cursors: the client hands back what the previous page ended on. One codec for
// every list: `toPage` encodes the last row's key, and a list's query schema decodes it with
// `cursorParam(...)` (or `PageQuery`, keyed by id). Only a value this codec issued decodes: anything
// else is 400 validation_failed on `cursor`, so a forged cursor never reaches the SQL.
import { z, type ZodType } from 'zod';
import { Limit } from './schemas';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type CursorPart = number | string;

const MAX_CURSOR_CHARS = 200;

function encodeCursor(parts: readonly CursorPart[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

function decodeJson(value: string): unknown {
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The `cursor` query parameter of a list keyed by these parts, e.g. `cursorParam(CursorId)` or
 * `cursorParam(z.iso.datetime(), CursorId)`. It decodes to the tuple, typed; a value that is not
 * exactly what `encodeCursor` makes of such a tuple (other base64, NaN, Infinity, another shape)
 * is refused.
 */
export function cursorParam<const T extends readonly [ZodType, ...ZodType[]]>(...parts: T) {
  const shape = z.tuple(parts as unknown as [ZodType, ...ZodType[]]) as unknown as z.ZodTuple<[...T], null>;
  return z
    .string()
    .max(MAX_CURSOR_CHARS)
    .transform((value, ctx): z.output<typeof shape> => {
      const decoded = shape.safeParse(decodeJson(value));
      if (decoded.success && encodeCursor(decoded.data) === value) return decoded.data;
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this API issued' });
      return z.NEVER;
    });
}

/** A row id as a cursor part: what every id-keyed list pages by. */
export const CursorId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const IdCursor = cursorParam(CursorId);

/** Where a newest-first list paged by id goes on: below the cursor's id, or below every id on the first page. */
export const idBefore = (cursor: readonly [number] | undefined): number => cursor?.[0] ?? Number.MAX_SAFE_INTEGER;

/** Where an oldest-first list paged by id goes on: above the cursor's id, or above none on the first page. */
export const idAfter = (cursor: readonly [number] | undefined): number => cursor?.[0] ?? 0;

/** `limit` and `cursor` of a list paged by id, newest or oldest first. */
export const PageQuery = { limit: Limit, cursor: IdCursor.optional() };

/** Fetch limit + 1 rows; the extra one only says whether another page exists. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => CursorPart[], view: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null;
  return { items: items.map(view), nextCursor };
}
