// An executor's standing as offers show it. Until reviews exist (API v2, "Reviews and profiles")
// nobody has a rating; the reviews work replaces this one function.
import type { Sql } from '../db/request-db';

export interface ExecutorRating { rating: string | null; reviews: number }

export async function executorRatings(_db: Sql, executorIds: number[]): Promise<Map<number, ExecutorRating>> {
  return new Map(executorIds.map((id) => [id, { rating: null, reviews: 0 }]));
}
