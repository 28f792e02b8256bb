// A task's history: one row per step, written in the step's own transaction and never changed,
// so the task's `history` and every notification quote the step they are about.
import type { Sql, Tx } from '../db/request-db';
import { accountNames } from '../cache/names';

export type HistoryAction =
  | 'take'
  | 'assign'
  | 'abandon'
  | 'submit'
  | 'reject'
  | 'accept'
  | 'auto_accept'
  | 'extend'
  | 'cancel'
  | 'overdue_release'
  | 'freeze'
  | 'unfreeze'
  | 'dispute_opened'
  | 'dispute_answered'
  | 'dispute_withdrawn'
  | 'dispute_resolved';

export interface HistoryItem {
  at: string;
  by: { id: number; name: string } | null;
  action: HistoryAction;
  comment: string | null;
}

/** A history row as the answer shows it; `name` is the actor's (null for a scheduled step). */
export function historyItem(row: {
  at: string;
  actorId: number | null;
  name: string | null;
  action: HistoryAction;
  comment: string | null;
}): HistoryItem {
  return {
    at: row.at,
    by: row.actorId === null ? null : { id: row.actorId, name: row.name ?? '' },
    action: row.action,
    comment: row.comment,
  };
}

/** Records a step; `actorId` is null for a scheduled one. Answers the row's id for the step's event. */
export async function recordStep(
  tx: Tx,
  taskId: number,
  actorId: number | null,
  action: HistoryAction,
  comment?: string | null,
): Promise<number> {
  const res = await tx.exec('INSERT INTO task_history (task_id, actor_id, action, comment) VALUES (?, ?, ?, ?)', [
    taskId,
    actorId,
    action,
    comment || null,
  ]);
  return res.insertId;
}

/** The histories of these tasks, oldest step first, by task id. */
export async function taskHistories(db: Sql, taskIds: number[]): Promise<Map<number, HistoryItem[]>> {
  const histories = new Map<number, HistoryItem[]>(taskIds.map((id) => [id, []]));
  if (taskIds.length === 0) return histories;
  const rows = await db.rows<{ taskId: number; at: Date; actorId: number | null; action: HistoryAction; comment: string | null }>(
    `SELECT task_id AS taskId, at, actor_id AS actorId, action, comment FROM task_history
      WHERE task_id IN (?) ORDER BY task_id, id`,
    [taskIds],
  );
  const names = await accountNames(
    db,
    rows.flatMap((r) => (r.actorId === null ? [] : [r.actorId])),
  );
  for (const r of rows) {
    const name = r.actorId === null ? null : (names.get(r.actorId) ?? null);
    histories.get(r.taskId)?.push(historyItem({ ...r, at: r.at.toISOString(), name }));
  }
  return histories;
}
