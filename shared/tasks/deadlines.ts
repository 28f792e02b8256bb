// Due dates (API v2, "Deadlines"): the customer extends them; a `first` task left overdue for
// OVERDUE_RELEASE_HOURS goes back to the feed, so a silent taker cannot block it for ever.
import type { Session } from '../accounts/sessions';
import { config } from '../config';
import type { RequestDb } from '../db/request-db';
import { enqueue } from '../events/outbox';
import type { TaskAnswer } from './details';
import { invalidateFeed } from './feed-cache';
import { recordStep } from './history';
import { executorOf, lockTask, setStatus, transition } from './transitions';

export async function extendDeadline(
  db: RequestDb,
  taskId: number,
  customer: Session,
  days: number,
  comment: string | undefined,
): Promise<TaskAnswer> {
  return transition(db, taskId, customer, { who: 'owner', from: ['in_work'] }, async (tx, task) => {
    await setStatus(tx, taskId, 'due_at = GREATEST(COALESCE(due_at, NOW(3)), NOW(3)) + INTERVAL ? DAY', [days]);
    const [due] = await tx.rows<{ dueAt: Date }>('SELECT due_at AS dueAt FROM task WHERE id = ?', [taskId]);
    const historyId = await recordStep(tx, taskId, customer.accountId, 'extend', comment);
    await enqueue(tx, {
      type: 'deadline_extended',
      taskId,
      executorId: executorOf(task),
      historyId,
      days,
      dueAt: (due?.dueAt ?? new Date()).toISOString(),
      comment: comment || null,
    });
  });
}

/** Releases every `first` task overdue for OVERDUE_RELEASE_HOURS; safe against the parties acting at the same moment. */
export async function releaseOverdue(db: RequestDb, batch = 100): Promise<number> {
  const graceSeconds = Math.round(config.OVERDUE_RELEASE_HOURS * 3600);
  const overdue = `status = 'in_work' AND assignment = 'first' AND due_at <= NOW(3) - INTERVAL ? SECOND`;
  let released = 0;
  for (;;) {
    const due = await db.strongRows<{ id: number }>(`SELECT id FROM task WHERE ${overdue} ORDER BY due_at LIMIT ?`, [graceSeconds, batch]);
    for (const { id } of due) {
      const done = await db.transaction(async (tx) => {
        const task = await lockTask(tx, id);
        // Checked again under the lock: the executor may have submitted, or the customer extended, meanwhile.
        const res = await tx.exec(`UPDATE task SET status = 'actual', executor_id = NULL, due_at = NULL WHERE id = ? AND ${overdue}`, [
          id,
          graceSeconds,
        ]);
        if (res.affectedRows === 0 || task.executorId === null) return false;
        const historyId = await recordStep(tx, id, null, 'overdue_release');
        await enqueue(tx, { type: 'overdue_released', taskId: id, executorId: task.executorId, historyId });
        tx.onCommit(invalidateFeed);
        return true;
      });
      if (done) released++;
    }
    if (due.length < batch) return released;
  }
}
