// The category list is small and nearly constant: each container keeps it for a minute.
import { z } from 'zod';
import type { Sql } from '../db/request-db';
import { conflict } from '../errors';
import { text } from '../schemas';

export interface Category {
  id: number;
  slug: string;
  name: string;
}

const KEEP_MS = 60_000;
let cached: { at: number; list: Category[] } | undefined;

export async function listCategories(db: Sql): Promise<Category[]> {
  if (cached && Date.now() - cached.at < KEEP_MS) return cached.list;
  const list = await db.rows<Category>('SELECT id, slug, name FROM category ORDER BY id');
  cached = { at: Date.now(), list };
  return list;
}

/** A category by id or slug. A miss reloads the list once: an admin may have added it moments ago, in another container. */
export async function findCategory(db: Sql, ref: number | string): Promise<Category | undefined> {
  const match = (c: Category) => c.id === ref || c.slug === ref;
  const found = (await listCategories(db)).find(match);
  if (found) return found;
  cached = undefined;
  return (await listCategories(db)).find(match);
}

export const CategoryBody = z.strictObject({
  slug: z.string().regex(/^[a-z0-9-]{2,40}$/, 'must be 2..40 lowercase letters, digits or dashes'),
  name: text(1, 60),
});

export async function addCategory(db: Sql, input: z.output<typeof CategoryBody>): Promise<Category> {
  try {
    const res = await db.exec('INSERT INTO category (slug, name) VALUES (?, ?)', [input.slug, input.name]);
    cached = undefined;
    return { id: res.insertId, ...input };
  } catch (err) {
    if ((err as { errno?: number }).errno === 1062) throw conflict('conflict', 'A category with this slug exists');
    throw err;
  }
}
