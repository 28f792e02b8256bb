// Who sees a task's private part (API v2, "Privacy of task details"): its customer, its assigned
// executor and admins get `comment`, `history`, `dispute` and `rejections`; anyone else the public
// part only, with `comment` null and no `history`, `dispute` or `rejections`.
import type { Session } from '../accounts/sessions';
import type { Sql } from '../db/request-db';
import { latestDisputes, type DisputeView } from '../disputes/view';
import { taskHistories, type HistoryItem } from './history';
import { detailsOf, loadTaskDetails, type TaskAnswerRow, type TaskDetails, type TaskView } from './view';

export type TaskAnswer = Omit<TaskView, 'rejections'> & { rejections?: number; history?: HistoryItem[]; dispute?: DisputeView | null };

function isParty(task: Pick<TaskView, 'customer' | 'executor'>, viewer: Session | null): boolean {
  if (!viewer) return false;
  return viewer.role === 'admin' || viewer.accountId === task.customer.id || viewer.accountId === task.executor?.id;
}

/** The public part, as the feed and strangers see it. */
export function publicPart(view: TaskView): TaskAnswer {
  const { rejections, ...open } = view;
  return { ...open, comment: null };
}

/** The tasks as this viewer may see them: the private part only where the viewer is a party. */
export async function asSeenBy(db: Sql, views: TaskView[], viewer: Session | null): Promise<TaskAnswer[]> {
  const mine = views.filter((v) => isParty(v, viewer)).map((v) => v.id);
  const [histories, disputes] = await Promise.all([taskHistories(db, mine), latestDisputes(db, mine)]);
  return views.map((v) =>
    histories.has(v.id) ? { ...v, history: histories.get(v.id) ?? [], dispute: disputes.get(v.id) ?? null } : publicPart(v),
  );
}

/** One task's details as this viewer may see them. */
function shownTo(details: TaskDetails, viewer: Session | null): TaskAnswer {
  return isParty(details.view, viewer) ? { ...details.view, history: details.history, dispute: details.dispute } : publicPart(details.view);
}

/** One task as this viewer may see it. */
export async function taskFor(db: Sql, taskId: number, viewer: Session | null): Promise<TaskAnswer> {
  return shownTo(await loadTaskDetails(db, taskId), viewer);
}

/** One task, from the row an action's transaction read last (readTaskAnswerRow), as this viewer may see it. */
export async function answerFromRow(db: Sql, row: TaskAnswerRow, viewer: Session | null): Promise<TaskAnswer> {
  return shownTo(await detailsOf(db, row), viewer);
}
