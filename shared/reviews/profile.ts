// An account's public profile: name, since when it is a member, whether it is blocked, and its
// record in each role. Ratings come from the aggregate rows; task counts from the task indexes
// (customer_id, status, …) and (executor_id, status, …).
import { accountNames } from '../cache/names';
import type { Sql } from '../db/request-db';
import { notFound } from '../errors';
import { disputeCounts } from '../tasks/dispute-facts';
import { ratingsOf } from './ratings';

export interface ProfileView {
  id: number;
  name: string;
  memberSince: string;
  blocked: boolean;
  asExecutor: { rating: string | null; reviews: number; tasksDone: number; disputes: number };
  asCustomer: { rating: string | null; reviews: number; tasksPosted: number; tasksDone: number; disputes: number };
}

export async function profile(db: Sql, accountId: number): Promise<ProfileView> {
  const [account] = await db.rows<{ createdAt: Date; blocked: number; executorDone: number; posted: number; customerDone: number }>(
    `SELECT a.created_at AS createdAt, a.blocked_at IS NOT NULL AS blocked,
            (SELECT COUNT(*) FROM task WHERE executor_id = a.id AND status = 'done') AS executorDone,
            (SELECT COUNT(*) FROM task WHERE customer_id = a.id) AS posted,
            (SELECT COUNT(*) FROM task WHERE customer_id = a.id AND status = 'done') AS customerDone
       FROM account a WHERE a.id = ?`,
    [accountId],
  );
  if (!account) throw notFound('Account');
  const [names, asExecutor, asCustomer, disputes] = await Promise.all([
    accountNames(db, [accountId]),
    ratingsOf(db, [accountId], 'executor'),
    ratingsOf(db, [accountId], 'customer'),
    disputeCounts(db, accountId),
  ]);
  return {
    id: accountId,
    name: names.get(accountId) ?? '',
    memberSince: account.createdAt.toISOString(),
    blocked: account.blocked === 1,
    asExecutor: { ...asExecutor.get(accountId)!, tasksDone: Number(account.executorDone), disputes: disputes.asExecutor },
    asCustomer: {
      ...asCustomer.get(accountId)!,
      tasksPosted: Number(account.posted),
      tasksDone: Number(account.customerDone),
      disputes: disputes.asCustomer,
    },
  };
}
