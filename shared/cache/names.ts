// "fname sname" by account id, cached as the seed did, so task lists do not join accounts per row.
import type { Sql } from '../db/request-db';
import { cacheGet, cacheSet } from './memcache';

const TTL_SECONDS = 3600;
const key = (id: number) => `name:${id}`;

export async function accountNames(db: Sql, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  const cached = await Promise.all(unique.map((id) => cacheGet(key(id))));
  const names = new Map<number, string>();
  const missing: number[] = [];
  unique.forEach((id, i) => {
    const name = cached[i];
    if (name !== null && name !== undefined) names.set(id, name);
    else missing.push(id);
  });
  if (missing.length > 0) {
    const rows = await db.rows<{ id: number; fname: string; sname: string }>('SELECT id, fname, sname FROM account WHERE id IN (?)', [
      missing,
    ]);
    await Promise.all(
      rows.map((r) => {
        const name = `${r.fname} ${r.sname}`;
        names.set(r.id, name);
        return cacheSet(key(r.id), name, TTL_SECONDS);
      }),
    );
  }
  return names;
}
