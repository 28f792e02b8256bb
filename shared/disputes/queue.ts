// The admin's dispute queue: oldest first, with the task each is about.
import type { z } from 'zod';
import type { RequestDb } from '../db/request-db';
import { idAfter, toPage, type Page } from '../pagination';
import { formatMoney, toKopecks } from '../money/kopecks';
import type { AdminDisputesQuery } from './schemas';
import { shownDisputes, toDisputeView, type DisputeView, type ShownDisputeRow } from './view';

export type QueuedDispute = DisputeView & { task: { id: number; title: string; reward: string } };

export async function disputesToReview(db: RequestDb, query: z.output<typeof AdminDisputesQuery>): Promise<Page<QueuedDispute>> {
  const rows = await db.strongRows<ShownDisputeRow>(
    `${shownDisputes(`${query.status ? 'status = ? AND' : ''} id > ? ORDER BY id ASC LIMIT ?`)} ORDER BY d.id ASC`,
    [...(query.status ? [query.status] : []), idAfter(query.cursor), query.limit + 1],
  );
  return toPage(
    rows,
    query.limit,
    (r) => [r.id],
    (r) => ({
      ...toDisputeView(r),
      task: { id: r.taskId, title: r.taskTitle, reward: formatMoney(toKopecks(r.taskReward)) },
    }),
  );
}
