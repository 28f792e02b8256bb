// Ratings per account and role, from the aggregate rows that publishing and hiding keep exact
// (`account_rating`): the mean of published, non-hidden ratings, or null without reviews.
import type { Sql, Tx } from '../db/request-db';
import type { Party as ReviewRole } from '../accounts/roles';

export interface Rating {
  rating: string | null;
  reviews: number;
}

/** The mean as the contract writes it: two decimals, half up ("4.67"), in integer arithmetic. */
export function formatRating(ratingSum: number, reviews: number): string | null {
  if (reviews === 0) return null;
  const hundredths = Math.floor((ratingSum * 200 + reviews) / (2 * reviews));
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** The rating of each account in `role`; an account without reviews has rating null and 0 reviews. */
export async function ratingsOf(db: Sql, accountIds: number[], role: ReviewRole): Promise<Map<number, Rating>> {
  const ids = [...new Set(accountIds)];
  const ratings = new Map<number, Rating>(ids.map((id) => [id, { rating: null, reviews: 0 }]));
  if (ids.length === 0) return ratings;
  const rows = await db.rows<{ accountId: number; reviews: number; ratingSum: number }>(
    `SELECT account_id AS accountId, reviews, rating_sum AS ratingSum FROM account_rating WHERE role = ? AND account_id IN (?)`,
    [role, ids],
  );
  for (const r of rows) ratings.set(r.accountId, { rating: formatRating(r.ratingSum, r.reviews), reviews: r.reviews });
  return ratings;
}

/**
 * Counts a review in (+1) or out (−1) of its subject's aggregate. The row is locked by the
 * statement itself, so concurrent publications and hides add up exactly.
 */
export async function countReview(tx: Tx, subjectId: number, role: ReviewRole, rating: number, direction: 1 | -1): Promise<void> {
  if (direction === 1) {
    await tx.exec(
      `INSERT INTO account_rating (account_id, role, reviews, rating_sum) VALUES (?, ?, 1, ?)
       ON DUPLICATE KEY UPDATE reviews = reviews + 1, rating_sum = rating_sum + VALUES(rating_sum)`,
      [subjectId, role, rating],
    );
  } else {
    await tx.exec('UPDATE account_rating SET reviews = reviews - 1, rating_sum = rating_sum - ? WHERE account_id = ? AND role = ?', [
      rating,
      subjectId,
      role,
    ]);
  }
}
